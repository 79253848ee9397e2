"""Sliced Wasserstein distance between two image sets (Karras et al. 2018).

Pipeline per pyramid level: images -> Laplacian level -> 128 random 7x7x3
patches per image -> per-set, per-channel standardisation -> sliced
Wasserstein distance over 4 x 128 random directions -> x 1e3. ``avg`` is the
mean over the levels.

By default this is OpenMMLab's variant (the model-zoo numbers);
``pyramid='pggan'`` gives the original PGGAN pyramid (mirror padding,
zero-insertion upsampling, biased std, no four-level cap), whose numbers are
not comparable with the model-zoo table.
"""
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from torch import Tensor

from .distance import (
    DEFAULT_BUFFER_BYTES,
    ChunkSource,
    projection_block,
    random_directions,
    sliced_wasserstein,
)
from .patches import extract_patches, patch_centres
from .pyramid import check_pyramid, laplacian_pyramid, pyramid_level, swd_resolutions

ImageSet = Tensor | Sequence[Tensor]
AVG_KEY = 'avg'
# Images turned into descriptors at once: 256 x 128 patches x 147 floats is ~19 MB.
CHUNK_IMAGES = 256
# Fewest directions per projection block worth keeping descriptors in memory for.
MIN_BLOCK = 16


def to_swd_input(images: Tensor) -> Tensor:
    """NCHW images in [0, 255] (uint8 or float) -> float32 in [-1, 1] with 3 channels."""
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f'SWD expects NCHW images with 1 or 3 channels, got shape {tuple(images.shape)}.')
    # (x - 127.5) / 127.5 exactly as OpenMMLab computes it, in two passes and one allocation;
    # detached: a metric, not a loss.
    out = torch.empty(images.shape, dtype=torch.float32, device=images.device)
    torch.sub(images.detach(), 127.5, out=out).div_(127.5)
    return out.repeat(1, 3, 1, 1) if out.shape[1] == 1 else out


def swd_descriptors(images: Tensor, seed: int = 0, first_index: int = 0, nhood_size: int = 7,
                    nhoods_per_image: int = 128, pyramid: str = 'openmmlab', levels: Sequence[int] | None = None,
                    out: Sequence[Tensor] | None = None) -> list[Tensor]:
    """Raw (not yet standardised) descriptors of the SWD pyramid levels.

    Args:
        images: NCHW images in [0, 255]: images ``first_index, first_index + 1, ...`` of their set.
        seed: Seed of the patch positions.
        first_index: Index of ``images[0]`` in its set; positions depend on it, not on batching.
        nhood_size: Patch side.
        nhoods_per_image: Patches per image and level.
        pyramid: ``'openmmlab'`` or ``'pggan'``.
        levels: Pyramid levels wanted (0 = finest); all SWD levels by default.
        out: Optional destinations, one per level wanted.

    Returns:
        One ``(N * nhoods_per_image, 3, nhood_size, nhood_size)`` float32 tensor per level.
    """
    num_levels = len(swd_resolutions(images.shape[-2], pyramid))
    levels = list(range(num_levels) if levels is None else levels)
    inputs = to_swd_input(images)
    if len(levels) == 1:
        bands = [pyramid_level(inputs, levels[0], num_levels, pyramid)]
    else:
        bands = laplacian_pyramid(inputs, num_levels, pyramid)  # shares the Gaussian levels
        bands = [bands[level] for level in levels]
    descriptors = []
    for index, (level, band) in enumerate(zip(levels, bands)):
        centres = patch_centres(seed, level, first_index, band.shape[0], nhoods_per_image, band.shape[2],
                                band.shape[3], nhood_size)
        descriptors.append(extract_patches(band, centres, nhood_size, None if out is None else out[index]))
    return descriptors


def _image_chunks(images: ImageSet, device: torch.device) -> Iterator[tuple[int, Tensor]]:
    """(index of the first image, chunk on ``device``) over a tensor or a sequence of batches, in order."""
    first = 0
    for batch in [images] if isinstance(images, Tensor) else images:
        for start in range(0, batch.shape[0], CHUNK_IMAGES):
            yield first + start, batch[start:start + CHUNK_IMAGES].to(device)
        first += batch.shape[0]


def _set_shape(images: ImageSet) -> tuple[int, int, int]:
    batches = [images] if isinstance(images, Tensor) else list(images)
    if not batches or any(b.ndim != 4 for b in batches):
        raise ValueError('SWD needs a non-empty NCHW tensor or sequence of NCHW batches per set.')
    sizes = {tuple(b.shape[2:]) for b in batches}
    if len(sizes) != 1:
        raise ValueError(f'All batches of a set must have one spatial size, got {sorted(sizes)}.')
    return sum(b.shape[0] for b in batches), *sizes.pop()


def _cached_levels(images: ImageSet, levels: list[int], count: int, device: torch.device, nhood_size: int,
                   nhoods_per_image: int, **kwargs) -> list[Tensor]:
    """Descriptors of the given levels for a whole set, from one pass over the images.

    Each level goes into one preallocated tensor: a single GEMM operand later, and one
    large allocation instead of many chunks kept between temporaries, which would
    fragment the heap (resident memory well above the data).
    """
    cached = [torch.empty((count * nhoods_per_image, 3, nhood_size, nhood_size), device=device) for _ in levels]
    for first, chunk in _image_chunks(images, device):
        rows = slice(first * nhoods_per_image, (first + chunk.shape[0]) * nhoods_per_image)
        swd_descriptors(chunk, first_index=first, nhood_size=nhood_size, nhoods_per_image=nhoods_per_image,
                        levels=levels, out=[level[rows] for level in cached], **kwargs)
    return cached


def _level_source(images: ImageSet, level: int, device: torch.device, **kwargs) -> ChunkSource:
    """Recomputes one level's descriptors chunk by chunk each time it is iterated."""
    def chunks() -> Iterator[Tensor]:
        for first, chunk in _image_chunks(images, device):
            yield swd_descriptors(chunk, first_index=first, levels=[level], **kwargs)[0]
    return chunks


def plan_memory(count: int, dim: int, num_levels: int, num_dirs: int, buffer_bytes: int) -> tuple[int, int]:
    """How to spend ``buffer_bytes``: levels whose descriptors are kept per pass, and bytes for projections.

    Keeping a level's descriptors (both sets, float32) lets every block of directions
    reuse them; when not even one level fits next to a minimal projection block, the
    descriptors are recomputed from the images for each block (slow, but bounded).

    Returns:
        ``(levels_per_pass, projection_bytes)``; ``levels_per_pass`` is 0 for recomputation.
    """
    level_bytes = 2 * count * dim * 4
    min_projection = 2 * 4 * count * min(num_dirs, MIN_BLOCK)
    levels_per_pass = int(min(num_levels, max(0, buffer_bytes - min_projection) // level_bytes))
    return levels_per_pass, buffer_bytes - levels_per_pass * level_bytes


def swd(real: ImageSet, fake: ImageSet, seed: int = 0, nhood_size: int = 7, nhoods_per_image: int = 128,
        dir_repeats: int = 4, dirs_per_repeat: int = 128, pyramid: str = 'openmmlab',
        buffer_bytes: int = DEFAULT_BUFFER_BYTES, device: str | torch.device | None = None) -> dict[str, float]:
    """Sliced Wasserstein distance (x 1e3) between real and fake images at every pyramid level.

    Args:
        real: NCHW images in [0, 255], uint8 or float, 1 or 3 channels; a tensor or a
            sequence of batches (streamed; never concatenated).
        fake: The same number of images, same spatial size.
        seed: Seed of the patch positions and projection directions. Image i of a set
            gets the same patches however the set is batched.
        nhood_size: Patch side.
        nhoods_per_image: Patches per image and level.
        dir_repeats: Repeats of random directions.
        dirs_per_repeat: Directions per repeat.
        pyramid: ``'openmmlab'`` (model-zoo numbers) or ``'pggan'`` (original PGGAN code;
            not comparable with the model zoo).
        buffer_bytes: Working-memory budget (bytes) on top of the images and one chunk's
            workspace; see :func:`plan_memory`. The default keeps all levels of 896 64x64
            images; 16,384 64x64 images need 2.55 GiB to keep one level at a time.
        device: Where to compute; the device of the first real batch by default.

    Returns:
        ``{'64': .., '32': .., '16': .., 'avg': ..}`` for 64x64 images: keys are the level
        resolutions, then ``'avg'``; lower is better.
    """
    check_pyramid(pyramid)
    num_real, *size_real = _set_shape(real)
    num_fake, *size_fake = _set_shape(fake)
    if num_real != num_fake or size_real != size_fake:
        raise ValueError(f'SWD compares equal sets: got {num_real} real images of {size_real} and '
                         f'{num_fake} fake images of {size_fake}.')
    resolutions = swd_resolutions(size_real[0], pyramid)
    if not resolutions:
        raise ValueError(f'SWD needs images of at least 16x16, got {size_real}.')
    device = torch.device(device) if device is not None else (real if isinstance(real, Tensor) else real[0]).device
    count, dim, num_dirs = num_real * nhoods_per_image, 3 * nhood_size**2, dir_repeats * dirs_per_repeat
    per_pass, projection_bytes = plan_memory(count, dim, len(resolutions), num_dirs, buffer_bytes)
    # One projection buffer for all levels (see sliced_wasserstein's workspace).
    workspace = torch.empty(2 * count * projection_block(count, num_dirs, projection_bytes), device=device)
    kwargs = dict(seed=seed, nhood_size=nhood_size, nhoods_per_image=nhoods_per_image, pyramid=pyramid)
    levels = list(range(len(resolutions)))
    results = {}
    for group in [levels[i:i + max(1, per_pass)] for i in range(0, len(levels), max(1, per_pass))]:
        # One pass over the images for the group's levels, descriptors kept; or (per_pass == 0)
        # recomputed for every block of directions.
        cached = ([_cached_levels(images, group, num_real, device, **kwargs) for images in (real, fake)]
                  if per_pass else None)
        for position, level in enumerate(group):
            directions = random_directions(dim, dir_repeats, dirs_per_repeat, seed, level, device)
            if cached is not None:
                # Handed over, not shared: the level's descriptors are freed as soon as it is scored.
                sources = [cached[0][position], cached[1][position]]
                cached[0][position] = cached[1][position] = None
            else:
                sources = [_level_source(images, level, device, **kwargs) for images in (real, fake)]
            distance = sliced_wasserstein(*sources, directions, unbiased=pyramid != 'pggan',
                                          buffer_bytes=projection_bytes, workspace=workspace)
            sources = None
            results[str(resolutions[level])] = distance * 1e3
    results[AVG_KEY] = float(np.mean(list(results.values())))
    return results
