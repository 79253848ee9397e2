"""Evaluate a checkpoint: python tools/test.py CONFIG CHECKPOINT [--out metrics.json].

The metrics (with the protocol of FID & co: network, image counts, real dataset, seed) are
written, atomically, to WORK_DIR/metrics.json and WORK_DIR/metrics/test_<timestamp>.json, as
validation writes them, and to --out when given.

CHECKPOINT is a local path or an http(s) URL; a URL is downloaded once into
the cache ($DCGAN_MM_HOME/checkpoints, by default ~/.cache/dcgan_mm/checkpoints)
and checked against the sha256 prefix in its name (`...-<8 hex>.pth`); a file
that does not match is removed. The config must be a local file: configs are
Python code. See docs/model_zoo.md for the published weights.
"""
import argparse
import os.path as osp

from mmengine.config import DictAction
from mmengine.dist import barrier, get_rank, get_world_size
from mmengine.runner import Runner

from dcgan_mm.checkpoint import install_safe_loading, load_weights, local_checkpoint
from dcgan_mm.checkpoint.download import is_url
from dcgan_mm.cli.config import default_work_dir, load_config
from dcgan_mm.cli.config_check import check_config
from dcgan_mm.cli.dist import backend_for_this_node, end_process_group, init_process_group_early
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.errors import ConfigError
from dcgan_mm.evaluation.metrics import metric_protocols
from dcgan_mm.utils import unwrap_model, write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Evaluate a trained DCGAN (SWD, MS-SSIM, FID, ...) from a checkpoint.')
    parser.add_argument('config', help='config file the checkpoint was trained with (a local file)')
    parser.add_argument('checkpoint', help='checkpoint path or http(s) URL')
    parser.add_argument('--work-dir', help='where logs and metrics.json go (default: work_dirs/CONFIG)')
    parser.add_argument('--out', help='also write the metrics to this JSON file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values, e.g. test_dataloader.dataset.data_root=data/celeba')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def fetch_checkpoint(path_or_url: str) -> str:
    """The local path of the checkpoint; a URL is downloaded by rank 0 while the other ranks wait."""
    if is_url(path_or_url) and get_world_size() > 1:
        if get_rank() == 0:
            local_checkpoint(path_or_url)
        barrier()  # then every rank finds it in the cache (a node without a shared cache downloads its own)
    return local_checkpoint(path_or_url)


def write_metrics(runner: Runner, metrics: dict, out: str | None = None) -> list[str]:
    """Write the test metrics and their protocols like DumpMetricsHook does for validation; return the paths.

    ``metrics.json`` in the work dir always holds the latest evaluation (of training or of this tool);
    ``metrics/test_<timestamp>.json`` keeps this one. Every file is written atomically.
    """
    record = {key: float(value) for key, value in metrics.items()}
    protocols = metric_protocols(runner.test_loop.evaluator)  # FID & co: network, sizes, reference, dataset, seed
    if protocols:
        record['protocol'] = protocols
    paths = [osp.join(runner.work_dir, 'metrics', f'test_{runner.timestamp}.json'),
             osp.join(runner.work_dir, 'metrics.json')] + ([out] if out else [])
    for path in paths:
        write_json(path, record)
    return paths


def main(argv=None) -> None:
    args = parse_args(argv)

    def test() -> None:
        if is_url(args.config):
            raise ConfigError('Configs are Python code and are never fetched from a URL: download the config, '
                              'read it, and pass its local path.')
        cfg = load_config(args.config, args.cfg_options)
        cfg.work_dir = args.work_dir or cfg.get('work_dir') or default_work_dir(args.config)
        cfg.launcher = args.launcher
        cfg.load_from = None  # loaded below, strictly
        check_config(cfg)
        if args.launcher != 'none':
            cfg.env_cfg.dist_cfg.backend = backend_for_this_node(cfg.env_cfg.dist_cfg.get('backend', 'nccl'))
        init_process_group_early(cfg.launcher, cfg.env_cfg.dist_cfg.backend)
        checkpoint = fetch_checkpoint(args.checkpoint)
        install_safe_loading()
        runner = Runner.from_cfg(cfg)
        model = unwrap_model(runner.model)
        load_weights(model, checkpoint)  # its sub-networks may be DDP-wrapped: load_weights sees through that
        runner.logger.info(f'Loaded {checkpoint} (generator draws {getattr(model, "channel_order", "rgb")})')
        metrics = runner.test()
        if runner.rank == 0:
            paths = write_metrics(runner, metrics, args.out)
            runner.logger.info(f'Metrics written to {", ".join(paths[1:])}')
        end_process_group()

    run_cli(test, args.debug)


if __name__ == '__main__':
    main()
