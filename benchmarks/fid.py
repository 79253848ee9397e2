"""Timing Inception-v3 feature extraction (the cost of FID, KID and precision/recall) and the FID maths.

``tools/benchmark.py fid``: digits-sized images (32x32 gray, resized to 299 by the network)
through :class:`dcgan_mm.evaluation.functional.InceptionNetwork` on the chosen device, the
float64 Fréchet distance of two sets of 2048-d features, and the time a whole FID of
``--fakes`` generated images against the 1,797 digits would take at that rate.
"""
import time

import numpy as np
import torch

from dcgan_mm.evaluation.functional import fid
from dcgan_mm.evaluation.functional.inception_weights import load_inception

DIGITS = 1797  # real images of the demo


def benchmark_fid(images: int = 64, batch_size: int = 32, warmup: int = 1, device: str = 'cpu',
                  inception_path: str | None = None, fakes: int = 10000, seed: int = 0) -> dict:
    """Images/s of feature extraction (after ``warmup`` untimed batches) and FID seconds.

    Returns:
        A JSON-ready report; ``whole_fid_s`` extrapolates ``fakes`` + 1,797 real passes at the
        measured rate plus the measured maths.
    """
    network = load_inception(inception_path, device=device, batch_size=batch_size)
    generator = torch.Generator().manual_seed(seed)
    batch = torch.randint(0, 256, (batch_size, 1, 32, 32), generator=generator, dtype=torch.uint8)
    for _ in range(warmup):  # TorchScript's profiling executor optimises during the first calls
        network.features(batch.to(device))
    sync = torch.cuda.synchronize if str(device).startswith('cuda') else (lambda: None)
    done, start = 0, time.perf_counter()
    while done < images:
        network.features(batch[:images - done].to(device))
        done += min(batch_size, images - done)
    sync()
    seconds = time.perf_counter() - start
    rng = np.random.default_rng(seed)
    real, fake = rng.normal(size=(DIGITS, 2048)), rng.normal(0.1, 1.0, size=(fakes, 2048))
    start = time.perf_counter()
    fid(real, fake)
    maths_s = time.perf_counter() - start
    rate = images / seconds
    return {'device': str(device), 'torch_threads': torch.get_num_threads(), 'network': network.source,
            'network_sha256': network.sha256, 'images': images, 'batch_size': batch_size, 'seconds': seconds,
            'images_per_s': rate, 'fid_maths_s': maths_s, 'fakes': fakes,
            'whole_fid_s': (fakes + DIGITS) / rate + maths_s}
