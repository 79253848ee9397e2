"""Deterministic test images, identical on every platform.

Only numpy's PCG64 stream and exact float64 arithmetic (additions of small
integers, one division, rounding) are used, so the uint8 results do not depend
on SIMD paths or library versions; the frozen reference numbers were computed
from exactly these arrays.
"""
import numpy as np
import torch


def _box_blur(image: np.ndarray, radius: int) -> np.ndarray:
    """Separable box blur over the two middle axes of NHWC, edge-padded; exact in float64."""
    for axis in (1, 2):
        pad = [(0, 0)] * 4
        pad[axis] = (radius, radius)
        padded = np.pad(image, pad, mode='edge')
        size = image.shape[axis]
        image = sum(np.take(padded, range(offset, offset + size), axis=axis) for offset in range(2 * radius + 1))
        image = image / (2 * radius + 1)
    return image


def make_images(num: int, size: int = 64, channels: int = 3, seed: int = 0, kind: str = 'blobs') -> torch.Tensor:
    """uint8 NCHW images.

    Args:
        num: Number of images.
        size: Side.
        channels: 1 or 3.
        seed: numpy Generator seed.
        kind: ``'blobs'`` (smooth colour blobs with a little grain, photo-like
            statistics), ``'noise'`` (uniform i.i.d. pixels) or ``'stripes'``
            (oriented sinusoid-like ramps: strong structure at one scale).
    """
    rng = np.random.default_rng(seed)
    if kind == 'noise':
        images = rng.integers(0, 256, size=(num, size, size, channels)).astype(np.float64)
    elif kind == 'blobs':
        cells = max(2, size // 8)
        coarse = rng.integers(0, 256, size=(num, cells, cells, channels)).astype(np.float64)
        images = np.repeat(np.repeat(coarse, size // cells, axis=1), size // cells, axis=2)
        images = _box_blur(images, max(1, size // 16))
        images = images + rng.integers(-12, 13, size=images.shape)
    elif kind == 'stripes':
        period = rng.integers(4, 16, size=(num, 1, 1, channels))
        phase = rng.integers(0, 16, size=(num, 1, 1, channels))
        grid = np.arange(size)[None, :, None, None] + np.arange(size)[None, None, :, None] * rng.integers(
            0, 3, size=(num, 1, 1, 1))
        ramp = (grid + phase) % period
        images = ramp * (255.0 / (period - 1)) + rng.integers(-8, 9, size=(num, size, size, channels))
    else:
        raise ValueError(f'Unknown kind {kind!r}.')
    images = np.clip(np.round(images), 0, 255).astype(np.uint8)
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))
