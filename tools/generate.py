"""Draw what the paper shows from a checkpoint: samples, latent walks, z arithmetic.

    python tools/generate.py CONFIG CHECKPOINT --out DIR [--seed S] samples [--num 64]
    python tools/generate.py CONFIG CHECKPOINT --out DIR walk [--rows 8 --steps 10 --interp slerp]
    python tools/generate.py CONFIG CHECKPOINT --out DIR arithmetic --z DIR/z.pt \\
        --groups 3,7,9 12,15,20 4,5,6 --signs + - +
    python tools/generate.py CONFIG CHECKPOINT --out DIR decode --z FILE [--nrow 8]

Every run is reproducible from --seed and saves the z it decoded beside the
PNGs; `decode` draws the grid of any saved z file (e.g. one the explorer page,
tools/explore.py, offers for download) again. Sample i of a `samples` run is DIR/samples/000i.png and cell i (row-major)
of its grid; `arithmetic` picks samples by those indices from its z file.
"""
import argparse
import math
import os
import os.path as osp

import numpy as np
import torch
from mmengine.config import DictAction

from dcgan_mm.apis import arithmetic, decode, init_model, interpolate, sample, save_grid_png, save_z
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.errors import DataError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Generate samples, latent walks or z arithmetic from a DCGAN.')
    parser.add_argument('config', help='config file the checkpoint was trained with')
    parser.add_argument('checkpoint', help='checkpoint path or http(s) URL')
    parser.add_argument('--out', required=True, help='folder for the PNGs and the z files')
    parser.add_argument('--seed', type=int, default=0, help='seed of every random draw (default 0)')
    parser.add_argument('--sample-model', choices=['orig', 'ema'], default='orig', help='generator to sample')
    parser.add_argument('--device', default='cpu', help="e.g. 'cpu' or 'cuda:0'")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    modes = parser.add_subparsers(dest='mode', required=True, metavar='MODE')

    samples = modes.add_parser('samples', help='N images as PNGs, a grid, and their z (z.pt)')
    samples.add_argument('--num', type=int, default=64, help='number of images (default 64)')
    samples.add_argument('--nrow', type=int, default=8, help='images per grid row (default 8)')

    walk = modes.add_parser('walk', help="interpolation grid (the paper's figure 4): one walk per row")
    walk.add_argument('--rows', type=int, default=8, help='walks, each between two random z (default 8)')
    walk.add_argument('--steps', type=int, default=10, help='images per walk, endpoints included (default 10)')
    walk.add_argument('--interp', choices=['linear', 'slerp'], default='linear', help='path (default linear)')

    arith = modes.add_parser('arithmetic', help="z arithmetic on chosen samples (the paper's figure 7)")
    arith.add_argument('--z', required=True, help='z file of a previous `samples` run (z.pt or .npy)')
    arith.add_argument('--groups', nargs='+', required=True, metavar='I,J,K',
                       help='sample indices of each group, comma-separated, e.g. 3,7,9 12,15,20 4,5,6')
    arith.add_argument('--signs', nargs='+', required=True, metavar='SIGN',
                       help='one sign (+ or -, or a number) per group, e.g. + - +')
    arith.add_argument('--num-variations', type=int, default=8, help='noisy copies of the result (default 8)')
    arith.add_argument('--noise-scale', type=float, default=0.25, help='uniform noise half-width (default 0.25)')

    decode_z = modes.add_parser('decode', help='the grid of a saved z file, e.g. one from tools/explore.py')
    decode_z.add_argument('--z', required=True, help='z file of shape (N, noise_size), .pt or .npy')
    decode_z.add_argument('--nrow', type=int, default=8, help='images per grid row (default 8)')
    return parser.parse_args(argv)


def load_z(path: str, noise_size: int) -> torch.Tensor:
    """A (N, noise_size) float tensor from a .pt (tensor or {'z': tensor}) or .npy file."""
    if not osp.isfile(path):
        raise DataError(f"z file '{path}' does not exist: run the `samples` mode first, it writes DIR/z.pt")
    try:
        if path.endswith('.npy'):
            z = torch.from_numpy(np.load(path, allow_pickle=False))
        else:
            z = torch.load(path, map_location='cpu', weights_only=True)
            z = z.get('z') if isinstance(z, dict) else z
    except Exception as error:  # numpy and torch raise many types for a broken file
        raise DataError(f"z file '{path}' could not be read: {error}") from error
    if not isinstance(z, torch.Tensor) or z.dim() != 2 or z.shape[1] != noise_size:
        shape = tuple(z.shape) if isinstance(z, torch.Tensor) else type(z).__name__
        raise DataError(f"z file '{path}' must hold a (N, {noise_size}) tensor for this model, got {shape}")
    return z.float()


def parse_groups(texts: list[str], count: int) -> list[list[int]]:
    """'3,7,9' -> [3, 7, 9], every index checked against the ``count`` samples in the z file."""
    groups = []
    for text in texts:
        try:
            group = [int(item) for item in text.split(',') if item.strip()]
        except ValueError:
            raise ValueError(f"--groups: '{text}' is not a comma-separated list of sample indices") from None
        bad = [index for index in group if not 0 <= index < count]
        if not group or bad:
            raise ValueError(f"--groups: '{text}' has indices out of range {bad or ''}: "
                             f'the z file holds {count} samples, indices 0 to {count - 1}')
        groups.append(group)
    return groups


def parse_sign(text: str) -> float:
    try:
        return {'+': 1.0, '-': -1.0}.get(text) or float(text)
    except ValueError:
        raise ValueError(f"--signs: '{text}' is not +, - or a number") from None


def run_samples(model, args) -> None:
    images, z = sample(model, args.num, seed=args.seed, sample_model=args.sample_model)
    for index, image in enumerate(images):
        save_grid_png(image[None], osp.join(args.out, 'samples', f'{index:04d}.png'))
    save_grid_png(images, osp.join(args.out, 'samples.png'), nrow=args.nrow)
    save_z(z, osp.join(args.out, 'z.pt'))
    print(f'Wrote {args.num} samples to {args.out}/samples/, the grid {args.out}/samples.png, '
          f'their z to {args.out}/z.pt')


def run_walk(model, args) -> None:
    images, z = interpolate(model, steps=args.steps, mode=args.interp, seed=args.seed, rows=args.rows,
                            sample_model=args.sample_model)
    save_grid_png(images, osp.join(args.out, 'walk.png'), nrow=args.steps)
    save_z(z.view(args.rows, args.steps, -1), osp.join(args.out, 'walk_z.pt'))
    print(f'Wrote {args.rows} walks of {args.steps} steps to {args.out}/walk.png, their z to {args.out}/walk_z.pt')


def run_arithmetic(model, args) -> None:
    bank = load_z(args.z, model.noise_size)
    groups = parse_groups(args.groups, len(bank))
    signs = [parse_sign(text) for text in args.signs]
    if len(signs) != len(groups):
        raise ValueError(f'got {len(groups)} --groups but {len(signs)} --signs: give one sign per group')
    images, z = arithmetic(model, [bank[group] for group in groups], signs, num_variations=args.num_variations,
                           noise_scale=args.noise_scale, seed=args.seed, sample_model=args.sample_model)
    save_grid_png(group_rows(model, bank, groups, args.sample_model), osp.join(args.out, 'arithmetic_groups.png'),
             nrow=max(map(len, groups)) + 1)
    # The paper's 3x3 grid has the exact result in the centre, its noisy neighbours around it.
    order = list(range(1, len(images)))
    order.insert(len(order) // 2, 0)
    save_grid_png(images[order], osp.join(args.out, 'arithmetic.png'), nrow=math.ceil(math.sqrt(len(images))))
    save_z(z, osp.join(args.out, 'arithmetic_z.pt'))
    print(f'Wrote the groups (each row: its samples, then their mean z) to {args.out}/arithmetic_groups.png, '
          f'the result (centre) and {args.num_variations} variations to {args.out}/arithmetic.png, '
          f'their z (result first) to {args.out}/arithmetic_z.pt')


def run_decode(model, args) -> None:
    z = load_z(args.z, model.noise_size)
    save_grid_png(decode(model, z, sample_model=args.sample_model), osp.join(args.out, 'decoded.png'), nrow=args.nrow)
    print(f'Wrote the {len(z)} images of {args.z} to {args.out}/decoded.png')


def group_rows(model, bank: torch.Tensor, groups: list[list[int]], sample_model: str) -> torch.Tensor:
    """One row per group: its samples, blank cells, then the decoded mean of its z."""
    width = max(map(len, groups)) + 1
    rows = []
    for group in groups:
        z = torch.cat([bank[group], bank[group].mean(0, keepdim=True)])
        images = decode(model, z, sample_model=sample_model)
        blank = images.new_zeros(width - len(images), *images.shape[1:])
        rows.append(torch.cat([images[:-1], blank, images[-1:]]))
    return torch.cat(rows)


def main(argv=None) -> None:
    args = parse_args(argv)

    def generate() -> None:
        model = init_model(args.config, args.checkpoint, device=args.device, cfg_options=args.cfg_options)
        os.makedirs(args.out, exist_ok=True)
        modes = {'samples': run_samples, 'walk': run_walk, 'arithmetic': run_arithmetic, 'decode': run_decode}
        modes[args.mode](model, args)

    run_cli(generate, args.debug)


if __name__ == '__main__':
    main()
