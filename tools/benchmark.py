"""Benchmarks, one subcommand each.

    python tools/benchmark.py metrics [--num-pairs 5000] [--swd-images 896] [--reference DIR]

``metrics`` times :func:`dcgan_mm.evaluation.functional.ms_ssim` and ``swd`` on
deterministic 64x64 RGB images and, with ``--reference`` pointing at an
unpacked mmagic 1.2.0 (the directory holding ``mmagic/``), OpenMMLab's own
functions on the same inputs. It prints a human summary and one JSON line.
"""
import argparse
import ast
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from dcgan_mm.evaluation.functional import ms_ssim, swd

# Batch size of OpenMMLab's metric loop when it feeds the reference SWD (its configs use 64).
REFERENCE_BATCH = 64


def best_time(fn: Callable, repeat: int) -> tuple[float, object]:
    """Fastest of ``repeat`` runs (the machine's noise only ever adds time) and the last result."""
    best, result = float('inf'), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_reference_functions(path: Path) -> dict:
    """The plain functions of one mmagic metric file, without importing mmagic.

    Only top-level ``def``s and third-party imports are executed: the registry
    and the metric classes (which need mmagic) are left out.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    keep = [node for node in tree.body
            if isinstance(node, (ast.Import, ast.FunctionDef))
            or (isinstance(node, ast.ImportFrom) and node.level == 0 and not (node.module or '').startswith('mmagic'))]
    namespace: dict = {}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(path), 'exec'), namespace)
    return namespace


def reference_swd(ref: dict, real: torch.Tensor, fake: torch.Tensor) -> list[float]:
    """OpenMMLab's SWD as its metric computes it: descriptors batch by batch, then the distance."""
    kernel = ref['get_gaussian_kernel']()
    num_levels = 3  # 64x64 images: levels 64, 32, 16
    descs = {'real': [[] for _ in range(num_levels)], 'fake': [[] for _ in range(num_levels)]}
    for start in range(0, real.shape[0], REFERENCE_BATCH):
        for name, images in (('real', real), ('fake', fake)):
            batch = (images[start:start + REFERENCE_BATCH].float() - 127.5) / 127.5
            for level, band in enumerate(ref['laplacian_pyramid'](batch, num_levels - 1, kernel)):
                descs[name][level].append(ref['get_descriptors_for_minibatch'](band, 7, 128))
    distances = [ref['sliced_wasserstein'](ref['finalize_descriptors'](r), ref['finalize_descriptors'](f), 4, 128) * 1e3
                 for r, f in zip(descs['real'], descs['fake'])]
    return distances + [float(np.mean(distances))]


def benchmark_metrics(args: argparse.Namespace) -> dict:
    """Time MS-SSIM on ``num_pairs`` pairs and SWD on ``swd_images`` vs ``swd_images`` images."""
    generator = torch.Generator().manual_seed(args.seed)
    size = (3, 64, 64)
    pairs = torch.randint(0, 256, (2, args.num_pairs, *size), dtype=torch.uint8, generator=generator)
    real, fake = torch.randint(0, 256, (2, args.swd_images, *size), dtype=torch.uint8, generator=generator)
    device = torch.device(args.device)
    pairs, real, fake = pairs.to(device), real.to(device), fake.to(device)
    report = {'device': str(device), 'torch_threads': torch.get_num_threads(), 'repeat': args.repeat,
              'num_pairs': args.num_pairs, 'swd_images': args.swd_images}

    ms_ssim(pairs[0, :8], pairs[1, :8])  # warm-up: allocator, kernels
    report['ms_ssim_s'], scores = best_time(lambda: ms_ssim(pairs[0], pairs[1]), args.repeat)
    report['ms_ssim_mean'] = float(scores.double().mean())
    report['swd_s'], result = best_time(lambda: swd(real, fake, seed=args.seed), args.repeat)
    report['swd'] = result

    if args.reference:
        root = Path(args.reference) / 'mmagic' / 'evaluation' / 'metrics'
        ref_ms, ref_swd = load_reference_functions(root / 'ms_ssim.py'), load_reference_functions(root / 'swd.py')
        nhwc = pairs.cpu().numpy().transpose(0, 1, 3, 4, 2).astype(np.float32)
        report['reference_ms_ssim_s'], ref_scores = best_time(
            lambda: ref_ms['ms_ssim'](nhwc[0], nhwc[1], reduce_mean=False), args.reference_repeat)
        report['ms_ssim_max_abs_diff'] = float(np.abs(ref_scores - scores.double().cpu().numpy()).max())
        np.random.seed(args.seed)  # OpenMMLab draws patches from numpy's and directions from torch's global RNG
        torch.manual_seed(args.seed)
        report['reference_swd_s'], ref_result = best_time(lambda: reference_swd(ref_swd, real.cpu(), fake.cpu()),
                                                          args.reference_repeat)
        report['reference_swd'] = dict(zip([*result], ref_result))
        report['ms_ssim_speedup'] = report['reference_ms_ssim_s'] / report['ms_ssim_s']
        report['swd_speedup'] = report['reference_swd_s'] / report['swd_s']
    return report


def print_metrics_summary(report: dict) -> None:
    print(f"device {report['device']}, {report['torch_threads']} torch threads, best of {report['repeat']}")
    print(f"MS-SSIM  {report['num_pairs']} pairs 64x64 RGB: {report['ms_ssim_s']:.2f} s"
          + (f"  (OpenMMLab {report['reference_ms_ssim_s']:.2f} s, {report['ms_ssim_speedup']:.1f}x; "
             f"max |diff| {report['ms_ssim_max_abs_diff']:.1e})" if 'reference_ms_ssim_s' in report else ''))
    print(f"SWD      {report['swd_images']} vs {report['swd_images']} 64x64 RGB: {report['swd_s']:.2f} s"
          + (f"  (OpenMMLab {report['reference_swd_s']:.2f} s, {report['swd_speedup']:.1f}x)"
             if 'reference_swd_s' in report else ''))
    print('SWD x1e3 ours      ' + ', '.join(f'{k}: {v:.3f}' for k, v in report['swd'].items()))
    if 'reference_swd' in report:
        print('SWD x1e3 OpenMMLab ' + ', '.join(f'{k}: {v:.3f}' for k, v in report['reference_swd'].items())
              + '  (random patches/directions differ)')


def run_metrics(args: argparse.Namespace) -> int:
    report = benchmark_metrics(args)
    print_metrics_summary(report)
    print(json.dumps(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


def add_metrics_parser(subparsers) -> None:
    parser = subparsers.add_parser('metrics', help='time the functional MS-SSIM and SWD (and OpenMMLab\'s)')
    parser.add_argument('--num-pairs', type=int, default=5000, help='MS-SSIM pairs of 64x64 RGB images')
    parser.add_argument('--swd-images', type=int, default=896, help='images per SWD set')
    parser.add_argument('--reference', metavar='DIR',
                        help='unpacked mmagic 1.2.0 (the folder holding mmagic/) to time OpenMMLab on the same inputs')
    parser.add_argument('--repeat', type=int, default=3, help='runs of ours; the fastest is reported')
    parser.add_argument('--reference-repeat', type=int, default=1, help='runs of OpenMMLab\'s')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    parser.add_argument('--json', metavar='FILE', help='also write the report here')
    parser.set_defaults(func=run_metrics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    subparsers = parser.add_subparsers(dest='command', required=True)
    add_metrics_parser(subparsers)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
