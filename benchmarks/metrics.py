"""Timing the functional MS-SSIM and SWD and, optionally, OpenMMLab's on the same inputs.

OpenMMLab's functions are read from an unpacked mmagic 1.2.0 without
importing mmagic (``tools/benchmark.py metrics --reference DIR``).
"""
import ast
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


def benchmark_metrics(num_pairs: int = 5000, swd_images: int = 896, reference: str | None = None, repeat: int = 3,
                      reference_repeat: int = 1, seed: int = 0, device: str = 'cpu') -> dict:
    """Time MS-SSIM on ``num_pairs`` pairs and SWD on ``swd_images`` vs ``swd_images`` 64x64 RGB images.

    Args:
        num_pairs: MS-SSIM pairs.
        swd_images: Images in each SWD set.
        reference: Unpacked mmagic 1.2.0 (the folder holding ``mmagic/``) to time OpenMMLab's
            functions on the same inputs, or None.
        repeat: Runs of ours; the fastest is reported.
        reference_repeat: Runs of OpenMMLab's.
        seed: Seed of the images and of SWD's patches and directions.
        device: Where ours runs ('cpu' or 'cuda'); OpenMMLab's run on the CPU.

    Returns:
        Seconds (``ms_ssim_s``, ``swd_s``), the scores and, with ``reference``,
        OpenMMLab's seconds and scores, the largest MS-SSIM difference and the speed-ups.
    """
    generator = torch.Generator().manual_seed(seed)
    size = (3, 64, 64)
    pairs = torch.randint(0, 256, (2, num_pairs, *size), dtype=torch.uint8, generator=generator)
    real, fake = torch.randint(0, 256, (2, swd_images, *size), dtype=torch.uint8, generator=generator)
    device = torch.device(device)
    pairs, real, fake = pairs.to(device), real.to(device), fake.to(device)
    report = {'device': str(device), 'torch_threads': torch.get_num_threads(), 'repeat': repeat,
              'num_pairs': num_pairs, 'swd_images': swd_images}

    ms_ssim(pairs[0, :8], pairs[1, :8])  # warm-up: allocator, kernels
    report['ms_ssim_s'], scores = best_time(lambda: ms_ssim(pairs[0], pairs[1]), repeat)
    report['ms_ssim_mean'] = float(scores.double().mean())
    report['swd_s'], result = best_time(lambda: swd(real, fake, seed=seed), repeat)
    report['swd'] = result

    if reference:
        root = Path(reference) / 'mmagic' / 'evaluation' / 'metrics'
        ref_ms, ref_swd = load_reference_functions(root / 'ms_ssim.py'), load_reference_functions(root / 'swd.py')
        nhwc = pairs.cpu().numpy().transpose(0, 1, 3, 4, 2).astype(np.float32)
        report['reference_ms_ssim_s'], ref_scores = best_time(
            lambda: ref_ms['ms_ssim'](nhwc[0], nhwc[1], reduce_mean=False), reference_repeat)
        report['ms_ssim_max_abs_diff'] = float(np.abs(ref_scores - scores.double().cpu().numpy()).max())
        np.random.seed(seed)  # OpenMMLab draws patches from numpy's and directions from torch's global RNG
        torch.manual_seed(seed)
        report['reference_swd_s'], ref_result = best_time(lambda: reference_swd(ref_swd, real.cpu(), fake.cpu()),
                                                          reference_repeat)
        report['reference_swd'] = dict(zip([*result], ref_result))
        report['ms_ssim_speedup'] = report['reference_ms_ssim_s'] / report['ms_ssim_s']
        report['swd_speedup'] = report['reference_swd_s'] / report['swd_s']
    return report
