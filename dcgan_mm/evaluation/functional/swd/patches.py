"""Random patch positions that do not depend on batching, and patch extraction.

OpenMMLab and PGGAN draw patch centres from numpy's global RNG batch by batch,
so the result depends on the batch size and disturbs training's random state.
Here the centres of image ``i`` are a counter-based hash (splitmix64) of
``(seed, level, i, patch, axis)``: the same for any batching or number of
ranks, and no generator state is touched at all.
"""
import numpy as np
import torch
from torch import Tensor

_MASK = 0xFFFFFFFFFFFFFFFF
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection of uint64 that scrambles every input bit into every output bit."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def hash_uniform(seed: int, stream: int, counters: np.ndarray) -> np.ndarray:
    """Uniform floats in [0, 1), one per uint64 counter, from the splitmix64 sequence keyed by (seed, stream)."""
    with np.errstate(over='ignore'):
        key = _mix64(_mix64(np.array([seed & _MASK], dtype=np.uint64)) + np.uint64(stream & _MASK))
        bits = _mix64(key + counters.astype(np.uint64) * _GOLDEN)
    # The top 53 bits make an exactly representable double in [0, 1).
    return (bits >> np.uint64(11)).astype(np.float64) * 2.0**-53


def patch_centres(seed: int, level: int, first_index: int, num_images: int, nhoods_per_image: int,
                  height: int, width: int, nhood_size: int) -> np.ndarray:
    """Patch centres ``(num_images * nhoods_per_image, 2)`` as (y, x), drawn uniformly in [r, S - r).

    ``r = nhood_size // 2``: as in PGGAN and OpenMMLab, the last valid centre ``S - r - 1``
    is included and ``S - r`` excluded. Rows are grouped by image, images
    ``first_index, first_index + 1, ...``.
    """
    radius = nhood_size // 2
    if min(height, width) < 2 * radius + 1:
        raise ValueError(f'A {nhood_size}x{nhood_size} patch does not fit in a {height}x{width} level.')
    images = np.arange(first_index, first_index + num_images, dtype=np.uint64)
    patches = np.arange(nhoods_per_image, dtype=np.uint64)
    counters = (images[:, None] * np.uint64(nhoods_per_image) + patches[None, :]).reshape(-1)
    centres = np.empty((counters.size, 2), dtype=np.int64)
    for axis, size in enumerate((height, width)):
        u = hash_uniform(seed, 2 * level + axis, counters)
        centres[:, axis] = radius + np.floor(u * (size - 2 * radius)).astype(np.int64)
    return centres


def extract_patches(images: Tensor, centres: np.ndarray | Tensor, nhood_size: int, out: Tensor | None = None) -> Tensor:
    """Gather ``nhood_size`` square patches around ``centres``.

    Args:
        images: ``(N, C, H, W)``.
        centres: ``(N * P, 2)`` (y, x) positions, P per image, grouped by image.
        nhood_size: Patch side.
        out: Optional destination, e.g. a slice of a preallocated set.

    Returns:
        ``(N * P, C, nhood_size, nhood_size)`` contiguous patches, patch j from image ``j // P``,
        laid out (channel, x, y) like PGGAN's and OpenMMLab's descriptors, so that the same
        directions give the same projections.
    """
    n = images.shape[0]
    centres = torch.as_tensor(centres, device=images.device)
    radius = nhood_size // 2
    # A strided view of every patch (N, C, H-k+1, W-k+1, kx, ky); indexing copies only the chosen ones.
    windows = images.unfold(2, nhood_size, 1).unfold(3, nhood_size, 1).transpose(-1, -2)
    image_index = torch.arange(n, device=images.device).repeat_interleave(centres.shape[0] // n)
    patches = windows[image_index, :, centres[:, 0] - radius, centres[:, 1] - radius]
    # Indexing keeps the view's (transposed) strides; later reshapes want contiguous rows.
    return patches.contiguous() if out is None else out.copy_(patches)
