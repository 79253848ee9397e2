"""Curves and timing from training logs (OpenMMLab's analyze_logs.py commands).

    python tools/analysis_tools/analyze_logs.py plot_curve WORK_DIR_OR_JSON... \\
        --keys loss_disc loss_gen swd/avg --out curves.png
    python tools/analysis_tools/analyze_logs.py cal_train_time WORK_DIR_OR_JSON...

A work dir stands for every ``<timestamp>/vis_data/scalars.json`` in it (a resumed
run writes one per session), read in order; a JSON file is read as it is.
"""
import argparse
import ast
import glob
import json
import os.path as osp
from datetime import timedelta

from dcgan_mm.cli.entry import run_cli
from dcgan_mm.errors import DcganError


class LogError(DcganError):
    """A log cannot be found or does not hold what was asked for."""


def scalar_files(path: str) -> list[str]:
    """The scalars.json files a work dir or a JSON path stands for."""
    if osp.isfile(path):
        return [path]
    files = sorted(glob.glob(osp.join(path, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise LogError(f"No logs at '{path}': give a work dir of tools/train.py (it holds "
                       '<timestamp>/vis_data/scalars.json) or such a JSON file.')
    return files


def load_run(path: str) -> dict[str, tuple[list[int], list[float]]]:
    """Every key's (steps, values) over the run's sessions; a later session's step replaces an earlier one's."""
    rows: dict[tuple[int, str], float] = {}
    for file in scalar_files(path):
        with open(file) as lines:
            for line in lines:
                if not line.strip():
                    continue
                record = json.loads(line)
                step = record.pop('step', record.get('iter'))
                for key, value in record.items():
                    if isinstance(value, (int, float)) and key != 'iter':
                        rows[(step, key)] = float(value)
    curves: dict[str, tuple[list[int], list[float]]] = {}
    for (step, key), value in sorted(rows.items()):
        steps, values = curves.setdefault(key, ([], []))
        steps.append(step)
        values.append(value)
    return curves


def run_label(path: str) -> str:
    """A run's name in the legend: its work dir's name."""
    path = osp.normpath(path)
    if osp.isfile(path):
        vis_data = osp.dirname(path)
        if osp.basename(vis_data) != 'vis_data':
            return osp.splitext(osp.basename(path))[0]
        path = osp.dirname(osp.dirname(vis_data))
    return osp.basename(path)


def plot_curves(runs: list[tuple[str, dict]], keys: list[str], log_scale: bool = False, title: str | None = None):
    """One panel per key, one line per run, iterations on x.

    Args:
        runs: (label, curves) per run, curves as :func:`load_run` returns them.
        keys: The scalars to plot, one panel each.
        log_scale: Logarithmic y axes.
        title: Title of the figure.

    Returns:
        The matplotlib figure.

    Raises:
        LogError: No run logs one of the keys; the message lists the keys there are.
    """
    try:
        import matplotlib
    except ImportError:
        raise LogError('plot_curve needs matplotlib: pip install -e ".[plot]" (or pip install matplotlib).') from None
    matplotlib.use('Agg')  # files only, no display needed
    import matplotlib.pyplot as plt

    for key in keys:
        if not any(key in curves for _, curves in runs):
            known = sorted({name for _, curves in runs for name in curves})
            raise LogError(f"No run logs '{key}'. Keys in these logs: {', '.join(known)}.")
    figure, axes = plt.subplots(len(keys), 1, figsize=(8, 2.6 * len(keys)), sharex=True, squeeze=False)
    for axis, key in zip(axes[:, 0], keys):
        for label, curves in runs:
            if key in curves:
                steps, values = curves[key]
                # Metrics come every few thousand iterations: markers show where they were measured.
                axis.plot(steps, values, label=label, marker='o' if len(steps) < 30 else None, linewidth=1.2)
        axis.set_ylabel(key)
        axis.grid(alpha=0.3)
        if log_scale:
            axis.set_yscale('log')
        axis.legend(fontsize='small')
    axes[-1, 0].set_xlabel('iteration')
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def max_iters_of(path: str) -> int | None:
    """``train_cfg.max_iters`` from the config the Runner dumped beside the scalars."""
    config = osp.join(osp.dirname(scalar_files(path)[-1]), 'config.py')
    if not osp.isfile(config):
        return None
    for node in ast.walk(ast.parse(open(config).read())):
        if isinstance(node, ast.keyword) and node.arg == 'max_iters' and isinstance(node.value, ast.Constant):
            return int(node.value.value)
    return None


def train_time(path: str, max_iters: int | None = None) -> dict:
    """Mean seconds per iteration, the last iteration logged and the time left to ``max_iters``."""
    curves = load_run(path)
    if 'time' not in curves:
        raise LogError(f"'{path}' has no training iterations logged (no 'time' key).")
    steps, times = curves['time']
    mean = sum(times) / len(times)
    total = max_iters or max_iters_of(path)
    left = max(total - steps[-1], 0) if total else None
    return dict(mean_iter_time=mean, last_iter=steps[-1], max_iters=total,
                eta_s=None if left is None else left * mean)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Plot curves and time training runs from their logs.')
    commands = parser.add_subparsers(dest='command', required=True)
    plot = commands.add_parser('plot_curve', help='plot scalars of one or more runs, one panel per key')
    plot.add_argument('logs', nargs='+', help='work dirs or scalars.json files')
    plot.add_argument('--keys', nargs='+', default=['loss_disc', 'loss_gen'], help='scalars to plot')
    plot.add_argument('--legend', nargs='+', help='one label per run (default: the work dir names)')
    plot.add_argument('--title', help='title of the figure')
    plot.add_argument('--log-scale', action='store_true', help='logarithmic y axes')
    plot.add_argument('--out', default='curves.png', help='image file to write (PNG, PDF, SVG, ...)')
    timing = commands.add_parser('cal_train_time', help='mean iteration time and ETA of runs')
    timing.add_argument('logs', nargs='+', help='work dirs or scalars.json files')
    timing.add_argument('--max-iters', type=int, help='total iterations (default: from the run\'s config)')
    for sub in (plot, timing):
        sub.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args()


def main() -> None:
    args = parse_args()

    def analyze() -> None:
        if args.command == 'plot_curve':
            labels = args.legend or [run_label(path) for path in args.logs]
            if len(labels) != len(args.logs):
                raise LogError(f'--legend has {len(labels)} labels for {len(args.logs)} runs; give one per run.')
            runs = [(label, load_run(path)) for label, path in zip(labels, args.logs)]
            figure = plot_curves(runs, args.keys, args.log_scale, args.title)
            figure.savefig(args.out, dpi=100)
            print(f'Saved {len(args.keys)} panels of {len(args.logs)} runs to {args.out}')
            return
        for path in args.logs:
            timing = train_time(path, args.max_iters)
            eta = 'unknown (pass --max-iters)' if timing['eta_s'] is None else timedelta(seconds=round(timing['eta_s']))
            print(f'{path}: {timing["mean_iter_time"]:.4f} s/iter on average, at iteration {timing["last_iter"]}'
                  f' of {timing["max_iters"] or "?"}, ETA {eta}')

    run_cli(analyze, args.debug)


if __name__ == '__main__':
    main()
