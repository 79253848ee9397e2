"""Benchmarks, one subcommand each; each prints a human summary and one JSON line.

    python tools/benchmark.py train CONFIG [--iters 5] [--warmup 2] [--batch-size B] [--peak-tflops T]
    python tools/benchmark.py data CONFIG [--iters 50] [--num-workers K] [--batch-size B] [--warmup 5]
    python tools/benchmark.py metrics [--num-pairs 5000] [--swd-images 896] [--reference DIR]
    python tools/benchmark.py fid [--images 64] [--batch-size 32] [--device cpu] [--fakes 10000]

``train`` times the config's real training step (``Runner.train()`` with its
hooks) and a minimal hand-written PyTorch loop of the same networks,
optimizers and batch on random images, interleaved iteration by iteration,
and reports the median of each, their ratio, images/s, the model's FLOPs per
iteration and the TFLOP/s achieved (with ``--peak-tflops``, the model FLOP
utilisation). ``data`` times the config's train dataloader alone. ``metrics``
times :func:`dcgan_mm.evaluation.functional.ms_ssim` and ``swd`` on
deterministic 64x64 RGB images and, with ``--reference`` pointing at an
unpacked mmagic 1.2.0 (the directory holding ``mmagic/``), OpenMMLab's own
functions on the same inputs. ``fid`` times Inception-v3 feature extraction and the FID
maths (:mod:`benchmarks.fid`). Figures and commands: docs/benchmarks.md.
"""
import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

# benchmarks/ belongs to the source checkout and is not installed with the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.data import benchmark_data  # noqa: E402
from benchmarks.fid import benchmark_fid  # noqa: E402
from benchmarks.metrics import benchmark_metrics, load_reference_functions  # noqa: E402, F401  (tests use it)
from benchmarks.train import benchmark_train  # noqa: E402
from dcgan_mm.cli.amp import AMP_PRECISIONS  # noqa: E402
from dcgan_mm.cli.config import DictAction  # noqa: E402
from dcgan_mm.utils import write_json  # noqa: E402


def emit(report: dict, print_summary: Callable[[dict], None], json_path: str | None) -> int:
    """The summary, then the report as one JSON line (and in ``json_path``, if given)."""
    print_summary(report)
    print(json.dumps(report))
    if json_path:
        write_json(json_path, report, indent=2)
    return 0


# ----------------------------------------------------------------------- train
def print_train_summary(report: dict) -> None:
    print(f"{report['config']}: batch {report['batch_size']}, {report['device_name']} "
          f"({report['threads']} threads), torch {report['torch']}")
    print(f"{report['iters']} timed iterations of each loop after {report['warmup']} warm-up, interleaved; "
          'medians (fastest in brackets)')
    for name, key in (('ours        ', 'framework'), ('hand-written', 'handwritten')):
        print(f"{name} {report[f'{key}_s_per_iter']:.4f} s/it ({report[f'{key}_min_s']:.4f})  "
              f"{report[f'{key}_images_per_s']:.1f} img/s  {report[f'{key}_tflops']:.4g} TFLOP/s")
    print(f"ratio ours / hand-written: {report['ratio']:.3f} (medians), {report['ratio_min']:.3f} (fastest)")
    print(f"model FLOPs per iteration: {report['flops_per_iter'] / 1e9:.4g} GFLOP")
    if 'mfu' in report:
        print(f"model FLOP utilisation at {report['peak_tflops']:g} TFLOP/s peak: ours {report['mfu']:.1%}, "
              f"hand-written {report['handwritten_mfu']:.1%}")


def run_train(args: argparse.Namespace) -> int:
    report = benchmark_train(args.config, args.iters, args.warmup, args.batch_size, args.cfg_options, args.work_dir,
                             args.amp)
    if args.peak_tflops:
        report['peak_tflops'] = args.peak_tflops
        report['mfu'] = report['framework_tflops'] / args.peak_tflops
        report['handwritten_mfu'] = report['handwritten_tflops'] / args.peak_tflops
    return emit(report, print_train_summary, args.json)


def add_train_parser(subparsers) -> None:
    parser = subparsers.add_parser('train', help='time the training step against a hand-written PyTorch loop')
    parser.add_argument('config', help='config file, e.g. configs/dcgan_1xb128-300kiters_celeba-cropped-64.py')
    parser.add_argument('--iters', type=int, default=5, help='timed iterations of each loop')
    parser.add_argument('--warmup', type=int, default=2, help='untimed iterations of each loop first')
    parser.add_argument('--batch-size', type=int, help="images per batch (default: the config's)")
    parser.add_argument('--amp', nargs='?', const='auto', choices=AMP_PRECISIONS, metavar='{fp16,bf16}',
                        help='mixed precision in both loops, as tools/train.py --amp')
    parser.add_argument('--peak-tflops', type=float,
                        help='peak TFLOP/s of the device at the training precision, to report MFU '
                             '(e.g. 989 for an H100 SXM in dense bf16/fp16, 67 in fp32)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values, e.g. model.channels_last=True')
    parser.add_argument('--work-dir', default='work_dirs/benchmark', help="where the runner's logs go")
    parser.add_argument('--json', metavar='FILE', help='also write the report here')
    parser.set_defaults(func=run_train)


# ------------------------------------------------------------------------ data
def print_data_summary(report: dict) -> None:
    print(f"{report['config']}: {report['images']} images in {report['seconds']:.2f} s, "
          f"{report['images_per_s']:.0f} img/s (batch {report['batch_size']}, {report['num_workers']} workers; "
          f"start-up and warm-up {report['startup_s']:.2f} s)")


def run_data(args: argparse.Namespace) -> int:
    report = benchmark_data(args.config, args.iters, args.num_workers, args.batch_size, args.warmup, args.cfg_options)
    return emit({'config': args.config, **report}, print_data_summary, args.json)


def add_data_parser(subparsers) -> None:
    parser = subparsers.add_parser('data', help="time the config's train dataloader alone (images/s)")
    parser.add_argument('config', help='config file')
    parser.add_argument('--iters', type=int, default=50, help='batches to time')
    parser.add_argument('--num-workers', type=int, help="dataloader worker processes (default: the config's)")
    parser.add_argument('--batch-size', type=int, help="images per batch (default: the config's)")
    parser.add_argument('--warmup', type=int, default=5, help='batches loaded before timing (workers starting)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, metavar='KEY=VALUE',
                        help='override config values, e.g. train_dataloader.dataset.data_root=DIR')
    parser.add_argument('--json', metavar='FILE', help='also write the report here')
    parser.set_defaults(func=run_data)


# --------------------------------------------------------------------- metrics
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
    report = benchmark_metrics(args.num_pairs, args.swd_images, args.reference, args.repeat, args.reference_repeat,
                               args.seed, args.device)
    return emit(report, print_metrics_summary, args.json)


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


# ------------------------------------------------------------------------- fid
def print_fid_summary(report: dict) -> None:
    print(f"Inception-v3 features on {report['device']} ({report['torch_threads']} threads): {report['images']} "
          f"images in {report['seconds']:.1f} s, {report['images_per_s']:.2f} img/s (batch {report['batch_size']})")
    print(f"FID maths (float64, {report['fakes']} x 2048 vs 1797 x 2048): {report['fid_maths_s']:.2f} s; "
          f"whole FID of {report['fakes']} fakes vs the digits at this rate: {report['whole_fid_s'] / 60:.1f} min")


def run_fid(args: argparse.Namespace) -> int:
    report = benchmark_fid(args.images, args.batch_size, args.warmup, args.device, args.inception, args.fakes)
    return emit(report, print_fid_summary, args.json)


def add_fid_parser(subparsers) -> None:
    parser = subparsers.add_parser('fid', help='time Inception-v3 feature extraction and the FID maths')
    parser.add_argument('--images', type=int, default=64, help='images to time (32x32 gray, as the demo)')
    parser.add_argument('--batch-size', type=int, default=32, help='images per Inception pass')
    parser.add_argument('--warmup', type=int, default=1, help='untimed batches first')
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    parser.add_argument('--inception', help='Inception file (default: the usual precedence, offline included)')
    parser.add_argument('--fakes', type=int, default=10000, help='generated images of the extrapolated FID')
    parser.add_argument('--json', metavar='FILE', help='also write the report here')
    parser.set_defaults(func=run_fid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    subparsers = parser.add_subparsers(dest='command', required=True)
    add_train_parser(subparsers)
    add_data_parser(subparsers)
    add_metrics_parser(subparsers)
    add_fid_parser(subparsers)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
