"""How long each request of the explorer page (tools/explore.py) takes to decode on this machine.

    python benchmarks/explore.py CONFIG [CHECKPOINT] [--device cpu] [--num 64] [--repeat 5]

Times the :class:`~dcgan_mm.explore.Explorer` call behind each button, which is where a request
spends its time (the page itself only moves a few small PNGs). Without a checkpoint the weights
are random, which decodes exactly as fast. Prints a table and one JSON line.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a source checkout

from dcgan_mm.apis import init_model  # noqa: E402
from dcgan_mm.explore import Explorer, Selection  # noqa: E402


def best_time(fn, repeat: int) -> float:
    """Fastest of ``repeat`` runs in milliseconds (the machine's noise only ever adds time)."""
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def benchmark_explore(config: str, checkpoint: str | None = None, device: str = 'cpu', num: int = 64,
                      repeat: int = 5, steps: int = 10, num_variations: int = 8) -> dict:
    """Milliseconds per request: a grid of ``num``, a click (three group means), A - B + C, a walk."""
    if num < 9:
        raise ValueError(f'--num must be at least 9 (three groups of three), got {num}')
    model = init_model(config, checkpoint, device=device)
    explorer = Explorer(model, num_samples=num)
    selection = Selection()
    explorer.draw(selection, seed=0)  # warm-up: first calls allocate
    selection.groups = {'A': [0, 1, 2], 'B': [3, 4, 5], 'C': [6, 7, 8]}
    selection.endpoints = [0, 1]
    return {
        'config': config, 'device': device, 'threads': torch.get_num_threads(), 'torch': torch.__version__,
        'image_shape': list(explorer.draw(Selection(), seed=0).images.shape[1:]),
        f'draw_{num}_ms': best_time(lambda: explorer.draw(Selection(), seed=1), repeat),
        'click_3_means_ms': best_time(lambda: explorer.group_means(selection), repeat),
        f'arithmetic_{1 + num_variations}_ms': best_time(lambda: explorer.combine(selection, num_variations), repeat),
        f'walk_{steps}_ms': best_time(lambda: explorer.walk(selection, steps), repeat),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description='Time the requests of the explorer page.')
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?', help='weights (default: random, same speed)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--num', type=int, default=64, help='samples in the grid (default 64)')
    parser.add_argument('--repeat', type=int, default=5, help='runs per request, the fastest is kept')
    args = parser.parse_args(argv)
    report = benchmark_explore(args.config, args.checkpoint, args.device, args.num, args.repeat)
    for key, value in report.items():
        print(f'{key:>20}: {value:.1f}' if key.endswith('_ms') else f'{key:>20}: {value}')
    print(json.dumps(report))


if __name__ == '__main__':
    main()
