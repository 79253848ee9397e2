"""Laplacian pyramids for SWD, in the OpenMMLab and the original PGGAN flavours.

Both blur with the 5x5 binomial kernel / 256 and keep the last Gaussian level
as the last pyramid level. They differ at the borders and in upsampling:

- ``'openmmlab'`` (mmagic's swd.py, whose numbers fill the model-zoo table):
  zero padding; upsampling = nearest x2 then the blur.
- ``'pggan'`` (Karras et al.'s sliced_wasserstein.py, like ``cv2.pyrDown/pyrUp``):
  mirror padding (``scipy.ndimage`` 'mirror' = torch 'reflect'); upsampling =
  zero insertion then the blur times 4.

The kernel is separable and every step is linear, so each 2-D operation is
``left.T @ image @ right`` with small banded matrices that already contain the
padding, stride and upsampling: on a CPU two GEMMs are much faster than a
depthwise ``conv2d`` (see docs/benchmarks.md), and the result equals the
convolution up to float rounding.
"""
from functools import lru_cache

import torch
from torch import Tensor

PYRAMIDS = ('openmmlab', 'pggan')
# The coarsest level SWD looks at; a 7x7 patch still fits with room to move.
MIN_RESOLUTION = 16
# OpenMMLab stops after four levels (128, 64, 32, 16 for a 128x128 model); PGGAN does not.
MAX_LEVELS = {'openmmlab': 4, 'pggan': None}
# One factor of the 5x5 binomial kernel: outer(_TAPS, _TAPS) = [[1, 4, 6, 4, 1], ...] / 256.
_TAPS = (1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16)


def check_pyramid(pyramid: str) -> None:
    """Fail early, listing the valid names, on an unknown pyramid flavour."""
    if pyramid not in PYRAMIDS:
        raise ValueError(f"Unknown pyramid '{pyramid}'; valid: {', '.join(PYRAMIDS)}.")


def swd_resolutions(size: int, pyramid: str = 'openmmlab') -> list[int]:
    """Resolutions of the SWD levels for images of side ``size``: size, size/2, ... while >= 16."""
    check_pyramid(pyramid)
    resolutions, max_levels = [], MAX_LEVELS[pyramid]
    while size >= MIN_RESOLUTION and (max_levels is None or len(resolutions) < max_levels):
        resolutions.append(size)
        size //= 2
    return resolutions


def _source_index(position: int, length: int, pyramid: str) -> int | None:
    """Where a padded position reads from: None for zero padding, mirrored for 'pggan'."""
    if 0 <= position < length:
        return position
    if pyramid == 'openmmlab':
        return None
    return -position if position < 0 else 2 * (length - 1) - position


@lru_cache(maxsize=64)
def blur_matrix(length: int, stride: int, pyramid: str) -> Tensor:
    """``(length, ceil(length / stride))`` matrix M: ``x @ M`` blurs rows of x with padding 2, then strides.

    Cached and shared: callers must not modify it in place.
    """
    out = (length + stride - 1) // stride
    matrix = torch.zeros(length, out, dtype=torch.float64)
    for col in range(out):
        for tap, weight in enumerate(_TAPS):
            row = _source_index(col * stride + tap - 2, length, pyramid)
            if row is not None:
                matrix[row, col] += weight
    return matrix


@lru_cache(maxsize=64)
def upsample_matrix(length: int, pyramid: str) -> Tensor:
    """``(length, 2 * length)`` matrix M: ``x @ M`` upsamples rows of x by 2 the pyramid's way."""
    spread = torch.zeros(length, 2 * length, dtype=torch.float64)
    index = torch.arange(length)
    if pyramid == 'pggan':
        # Zero insertion; the 4x gain of the 2-D kernel is 2x per axis.
        spread[index, 2 * index] = 2.0
    else:
        spread[index, 2 * index] = 1.0
        spread[index, 2 * index + 1] = 1.0
    return spread @ blur_matrix(2 * length, 1, pyramid)


def _apply(images: Tensor, rows: Tensor, cols: Tensor) -> Tensor:
    """``rows.T @ images @ cols`` over the last two dims, matrices cast to the images' dtype and device."""
    rows = rows.to(images.device, images.dtype)
    cols = cols.to(images.device, images.dtype)
    return torch.matmul(rows.t(), torch.matmul(images, cols))


def pyr_down(images: Tensor, pyramid: str = 'openmmlab') -> Tensor:
    """Blur then keep every second row and column: ``(N, C, H, W) -> (N, C, ceil(H/2), ceil(W/2))``."""
    height, width = images.shape[-2:]
    return _apply(images, blur_matrix(height, 2, pyramid), blur_matrix(width, 2, pyramid))


def pyr_up(images: Tensor, pyramid: str = 'openmmlab') -> Tensor:
    """Double the size: ``(N, C, H, W) -> (N, C, 2H, 2W)``."""
    height, width = images.shape[-2:]
    return _apply(images, upsample_matrix(height, pyramid), upsample_matrix(width, pyramid))


def laplacian_pyramid(images: Tensor, num_levels: int, pyramid: str = 'openmmlab') -> list[Tensor]:
    """Band-pass levels ``G_i - up(G_{i+1})`` and, last, the Gaussian level ``G_{num_levels-1}``.

    Args:
        images: Float images ``(N, C, H, W)`` with even sides down to the last level.
        num_levels: Number of levels returned (1 returns the images themselves).
        pyramid: ``'openmmlab'`` or ``'pggan'``; see the module docstring.

    Returns:
        ``num_levels`` tensors, level i of side ``H / 2**i``.
    """
    check_pyramid(pyramid)
    gaussians = [images]
    for _ in range(num_levels - 1):
        gaussians.append(pyr_down(gaussians[-1], pyramid))
    bands = [fine - pyr_up(coarse, pyramid) for fine, coarse in zip(gaussians[:-1], gaussians[1:])]
    return bands + [gaussians[-1]]


def pyramid_level(images: Tensor, level: int, num_levels: int, pyramid: str = 'openmmlab') -> Tensor:
    """Level ``level`` of ``laplacian_pyramid(images, num_levels)``, computing nothing coarser.

    Lets SWD stream one level at a time without holding a whole pyramid.
    """
    check_pyramid(pyramid)
    if not 0 <= level < num_levels:
        raise ValueError(f'level must be in [0, {num_levels}), got {level}.')
    gaussian = images
    for _ in range(level):
        gaussian = pyr_down(gaussian, pyramid)
    if level == num_levels - 1:
        return gaussian
    return gaussian - pyr_up(pyr_down(gaussian, pyramid), pyramid)
