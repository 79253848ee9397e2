"""A web page to explore a checkpoint's latent space: samples, groups A - B + C, walks (the paper's figures 4, 7).

    python tools/explore.py CONFIG CHECKPOINT [--port 7860] [--device cpu|cuda] [--host 127.0.0.1]

CHECKPOINT is a path or an http(s) URL (model-zoo weights are downloaded once and hash-checked).
Needs the ``explore`` extra: pip install -e ".[explore]".
"""
import argparse
import os
import os.path as osp

import torch
from mmengine.config import DictAction

from dcgan_mm.apis import init_model
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.errors import DataError, DcganError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Explore a DCGAN's latent space in the browser.")
    parser.add_argument('config', help='config file the checkpoint was trained with')
    parser.add_argument('checkpoint', help='checkpoint path or http(s) URL')
    parser.add_argument('--port', type=int, default=7860, help='port of the page (default 7860)')
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to bind (default 127.0.0.1: only this machine sees the page)')
    parser.add_argument('--device', default='cpu', help="where the model runs, e.g. 'cpu' or 'cuda' (default cpu)")
    parser.add_argument('--num', type=int, default=64, help='samples in the grid (default 64)')
    parser.add_argument('--nrow', type=int, default=8, help='samples per grid row (default 8)')
    parser.add_argument('--batch-size', type=int, default=64, help='images decoded at once (default 64)')
    parser.add_argument('--sample-model', choices=['orig', 'ema'], default='orig', help='generator to sample')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args(argv)


def check_device(device: str) -> None:
    """Stop before loading anything when the page would run on a GPU this machine does not have."""
    if device.startswith('cuda') and not torch.cuda.is_available():
        raise DcganError(f'--device {device}: this machine has no CUDA device; use --device cpu.')


def check_checkpoint(checkpoint: str) -> None:
    """Refuse a folder given as the checkpoint, naming the checkpoint files inside it."""
    if osp.isdir(checkpoint):
        found = sorted(name for name in os.listdir(checkpoint) if name.endswith('.pth'))
        inside = f"its checkpoints: {', '.join(found)}" if found else 'it holds no .pth file'
        raise DataError(f"Checkpoint '{checkpoint}' is a folder, not a checkpoint file ({inside}).")


def main(argv=None) -> None:
    args = parse_args(argv)

    def explore() -> None:
        from dcgan_mm.explore.app import build_app, import_gradio, serve
        from dcgan_mm.explore.state import Explorer

        import_gradio()  # a missing extra stops here, before the model is loaded
        check_device(args.device)

        def load_model(checkpoint: str):
            check_checkpoint(checkpoint)
            return init_model(args.config, checkpoint, device=args.device, cfg_options=args.cfg_options)

        explorer = Explorer(load_model(args.checkpoint), num_samples=args.num, nrow=args.nrow,
                            batch_size=args.batch_size, sample_model=args.sample_model)
        app = build_app(explorer, args.config, args.checkpoint, load_model, cfg_options=args.cfg_options)
        try:
            serve(app, args.host, args.port, block=False)
        except OSError as error:  # gradio's launch, when it cannot bind host:port
            raise DcganError(f'Cannot serve the page on {args.host}:{args.port}: the port is in use (or the '
                             f'address is not one of this machine\'s). Try another port, e.g. --port '
                             f'{args.port + 1}.') from error
        print(f'Serving the explorer on http://{args.host}:{args.port} (Ctrl+C stops it)', flush=True)
        app.block_thread()

    run_cli(explore, args.debug)


if __name__ == '__main__':
    main()
