"""Sliced Wasserstein distance between two sets of patch descriptors, in bounded memory.

A descriptor set is raw patches ``(M, C, k, k)``: a tensor, or a *chunk source*
(a callable returning a fresh iterator over the same chunks each time). Each
set is standardised per channel by its own mean and std, then projected on
random unit directions; per direction the sorted projections of the two sets
are compared. Only one chunk and one block of projections per set are in
memory at a time, so 16,384 images (2M descriptors per set and level) fit a
fixed budget instead of 1.2 GB per set and level.
"""
from collections.abc import Callable, Iterable

import numpy as np
import torch
from torch import Tensor

ChunkSource = Callable[[], Iterable[Tensor]]
# A set of descriptors: one tensor, a list of chunks, or a callable re-creating the chunks.
DescriptorSet = Tensor | list[Tensor] | ChunkSource
# Separates the direction stream from the patch-centre streams drawn from the same seed.
_DIRECTIONS_STREAM = 1
# Working memory of one SWD evaluation (descriptors kept between passes and the projection blocks):
# 16,384 64x64 images on each side fit it (docs/benchmarks.md).
DEFAULT_BUFFER_BYTES = int(2.6 * (1 << 30))
# Bytes of sorted rows compared at once: about one core's L2 cache.
_CACHE_BYTES = 2 << 20


def random_directions(dim: int, dir_repeats: int = 4, dirs_per_repeat: int = 128, seed: int = 0,
                      level: int = 0, device: torch.device | None = None) -> Tensor:
    """``dir_repeats * dirs_per_repeat`` random unit vectors as the columns of a ``(dim, R * D)`` matrix.

    Drawn from a numpy Generator keyed by ``(seed, level)``; the global RNGs are untouched.
    """
    rng = np.random.default_rng([seed & 0xFFFFFFFF, level, _DIRECTIONS_STREAM])
    dirs = rng.standard_normal((dim, dir_repeats * dirs_per_repeat))
    dirs /= np.sqrt(np.sum(dirs**2, axis=0, keepdims=True))
    return torch.from_numpy(dirs.astype(np.float32)).to(device)


def channel_stats(chunks: Iterable[Tensor], unbiased: bool = True) -> tuple[Tensor, Tensor, int]:
    """Per-channel mean and std of descriptors ``(n, C, k, k)`` over (patches, k, k).

    Sums and sums of squares are accumulated in float64 (numpy's float64-accumulating
    reductions on a CPU: exact to the last bit here and faster than ``torch.var_mean``
    over non-contiguous dims, see docs/benchmarks.md), so the result does not depend on
    how the set was chunked. Descriptors live in [-2, 2] with stds far above 1e-6,
    so ``E[x^2] - E[x]^2`` loses nothing that matters in float64.

    Returns:
        ``(mean, std, count)``: float64 CPU tensors ``(C,)`` and the number of descriptors.
    """
    count, sums, squares = 0, None, None
    for chunk in chunks:
        flat = chunk.reshape(chunk.shape[0], chunk.shape[1], -1)
        if chunk.device.type == 'cpu':
            values = flat.float().numpy()
            chunk_sums = torch.from_numpy(values.sum(axis=(0, 2), dtype=np.float64))
            chunk_squares = torch.from_numpy(np.einsum('ijk,ijk->j', values, values, dtype=np.float64))
        else:
            values = flat.double()
            chunk_sums, chunk_squares = values.sum(dim=(0, 2)).cpu(), values.square().sum(dim=(0, 2)).cpu()
        sums = chunk_sums if sums is None else sums + chunk_sums
        squares = chunk_squares if squares is None else squares + chunk_squares
        count += chunk.shape[0]
    if not count:
        raise ValueError('Cannot standardise an empty descriptor set.')
    elements = count * flat.shape[2]
    mean = sums / elements
    var = (squares - elements * mean**2).clamp_min(0.0) / (elements - 1 if unbiased else elements)
    return mean, var.sqrt(), count


def normalize_descriptors(desc: Tensor, mean: Tensor, std: Tensor) -> Tensor:
    """Standardise each channel and flatten: ``(n, C, k, k) -> (n, C * k * k)`` float32.

    :func:`sliced_wasserstein` folds this into the projection instead; this is the
    explicit form, e.g. to compare with other implementations.
    """
    shape = (1, -1, 1, 1)
    mean = mean.to(desc.device, torch.float32).view(shape)
    std = std.to(desc.device, torch.float32).view(shape)
    return ((desc.float() - mean) / std).reshape(desc.shape[0], -1)


def _as_source(desc: DescriptorSet) -> ChunkSource:
    if isinstance(desc, Tensor):
        return lambda: (desc,)
    if isinstance(desc, (list, tuple)):
        return lambda: desc
    return desc


def _projections(source: ChunkSource, dirs: Tensor, mean: Tensor, std: Tensor, count: int,
                 out: Tensor) -> tuple[Tensor, Tensor]:
    """Projections ``(num_dirs, count)`` of the standardised set, plus a per-direction offset.

    ``((x - m) / s) . d = x . (d / s) - (m / s) . d``: scaling the directions saves a
    pass over the descriptors; the offset (float64) is removed after sorting, which
    a constant shift per row does not change.
    """
    per_channel = dirs.shape[0] // mean.numel()
    inv_std = (1.0 / std).repeat_interleave(per_channel)
    dirs64 = dirs.double().cpu()
    offset = (mean.repeat_interleave(per_channel) * inv_std) @ dirs64
    scaled_t = (dirs64 * inv_std[:, None]).t().contiguous().to(dirs.device, torch.float32)
    out = out[:dirs.shape[1] * count].view(dirs.shape[1], count)
    start = 0
    for chunk in source():
        stop = start + chunk.shape[0]
        if stop > count:
            raise ValueError(f'The descriptor source yielded more than the {count} descriptors it counted.')
        flat = chunk.reshape(chunk.shape[0], -1).to(dirs.device, torch.float32)
        # GEMM straight into the column block: no (n, num_dirs) temporary and no transpose copy.
        torch.mm(scaled_t, flat.t(), out=out[:, start:stop])
        start = stop
    if start != count:
        raise ValueError(f'The descriptor source yielded {start} descriptors, expected {count}.')
    return out, offset


def _sum_abs_sorted_diff(proj_a: Tensor, proj_b: Tensor, shift: Tensor) -> float:
    """``sum |sort(a_r) - sort(b_r) - shift_r|`` over rows r; destroys both inputs."""
    if proj_a.device.type != 'cpu':
        diff = torch.sort(proj_a, dim=1).values - torch.sort(proj_b, dim=1).values
        return float((diff - shift.to(diff)[:, None]).abs().sum(dtype=torch.float64))
    # On a CPU numpy's SIMD sort is much faster than torch.sort (see docs/benchmarks.md).
    a, b = proj_a.numpy(), proj_b.numpy()
    shift = shift.numpy().astype(np.float32)
    # Rows in small blocks, so the difference is taken while the sorted rows are still in cache.
    step = max(1, _CACHE_BYTES // (8 * a.shape[1]))
    total = 0.0
    for row in range(0, a.shape[0], step):
        block_a, block_b = a[row:row + step], b[row:row + step]
        block_a.sort(axis=1)
        block_b.sort(axis=1)
        np.subtract(block_a, block_b, out=block_a)
        block_a -= shift[row:row + step, None]
        np.abs(block_a, out=block_a)
        total += float(block_a.sum(dtype=np.float64))
    return total


def projection_block(count: int, num_dirs: int, buffer_bytes: int = DEFAULT_BUFFER_BYTES) -> int:
    """Directions per block, so that both sets' float32 ``(block, count)`` projections fit the budget."""
    return max(1, min(num_dirs, buffer_bytes // (2 * 4 * count)))


def sliced_wasserstein(desc_a: DescriptorSet, desc_b: DescriptorSet, directions: Tensor,
                       unbiased: bool = True, buffer_bytes: int = DEFAULT_BUFFER_BYTES,
                       workspace: Tensor | None = None) -> float:
    """Mean over directions of the 1-D Wasserstein-1 distance between the standardised, projected sets.

    For each direction both sets are projected, sorted and compared element-wise
    (mean absolute difference). OpenMMLab's mean over repeats of per-repeat means is
    the same number, the repeats being equal in size.

    Args:
        desc_a: Raw descriptors ``(M, C, k, k)``: a tensor, a list of chunks, or a
            callable returning a fresh iterable of the same chunks on every call.
        desc_b: The other set, with the same number M of descriptors.
        directions: Unit directions ``(C * k * k, num_dirs)``; projections are computed on their device.
        unbiased: Standardise with the unbiased std (OpenMMLab) or the biased one (PGGAN).
        buffer_bytes: Budget for the projection buffers; directions are processed in
            blocks that fit (see :func:`projection_block`), reading the sources once per block.
        workspace: Optional float32 tensor of at least ``2 * block * M`` elements on the
            directions' device, reused across calls: fresh memory costs a page fault per
            4 kB, which is ~40% of a GEMM's time here.

    Returns:
        The distance (not yet multiplied by 1e3).
    """
    source_a, source_b = _as_source(desc_a), _as_source(desc_b)
    mean_a, std_a, count = channel_stats(source_a(), unbiased)
    mean_b, std_b, count_b = channel_stats(source_b(), unbiased)
    if count != count_b:
        raise ValueError(f'Both sets need the same number of descriptors; got {count} and {count_b}.')
    num_dirs = directions.shape[1]
    block = projection_block(count, num_dirs, buffer_bytes)
    size = block * count
    if workspace is None or workspace.numel() < 2 * size:
        workspace = directions.new_empty(2 * size)
    total = 0.0
    for start in range(0, num_dirs, block):
        dirs = directions[:, start:start + block]
        proj_a, offset_a = _projections(source_a, dirs, mean_a, std_a, count, workspace[:size])
        proj_b, offset_b = _projections(source_b, dirs, mean_b, std_b, count, workspace[size:2 * size])
        total += _sum_abs_sorted_diff(proj_a, proj_b, offset_a - offset_b)
    return total / (count * num_dirs)
