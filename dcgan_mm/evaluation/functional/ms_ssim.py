"""Multi-scale SSIM (Wang et al. 2003), batched in torch.

The same numbers as the PGGAN / OpenMMLab numpy code (``scipy.signal.fftconvolve``
per image), but the Gaussian window is applied as two banded matrix products:
the circular Gaussian is exactly separable, and on a CPU a GEMM is much faster
than ``conv2d`` with an 11x1 kernel on single-channel maps (see docs/benchmarks.md).
"""
from collections.abc import Sequence

import torch
from torch import Tensor

# Level weights from the paper; they do not sum to 1, as in the MATLAB code.
DEFAULT_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
# Pairs filtered at once: a ~35 MB working set at 64x64 RGB, mostly cache-resident.
CHUNK_PAIRS = 64
# Statistics are computed on images shifted by mid-grey: variances are shift invariant and the
# smaller magnitudes lose less to float32 cancellation in E[x^2] - E[x]^2.
_SHIFT = 127.5


def gaussian_window_1d(size: int, sigma: float, device: torch.device | None = None) -> Tensor:
    """One factor of the normalised circular Gaussian window.

    The grid is centred on the window, so an even size sits half a pixel off
    the integers (-1.5, -0.5, 0.5, 1.5 for size 4). The outer product of this
    vector with itself is the 2-D window, already summing to 1.
    """
    grid = torch.arange(size, dtype=torch.float64, device=device) - (size - 1) / 2
    window = torch.exp(-grid**2 / (2.0 * sigma**2))
    return window / window.sum()


def valid_filter_matrix(length: int, window: Tensor) -> Tensor:
    """Banded ``(length, length - k + 1)`` matrix: ``x @ M`` is a 'valid' correlation of rows of x."""
    size = window.numel()
    out = length - size + 1
    matrix = window.new_zeros(length, out)
    cols = torch.arange(out, device=window.device)
    for tap in range(size):
        matrix[cols + tap, cols] = window[tap]
    return matrix


class _Level:
    """Filter matrices and reusable buffers of one pyramid level.

    Buffers are allocated once per call and reused by every chunk: fresh
    allocations of this size page-fault on every chunk, a third of the time here.
    Layout ``(pairs, 4 maps, C, H, W)``, so a smaller last chunk is a contiguous prefix.
    """

    def __init__(self, pairs: int, channels: int, height: int, width: int, filter_size: int, filter_sigma: float,
                 device: torch.device) -> None:
        size = min(filter_size, height, width)
        self.rows = self.cols = None
        out_h, out_w = height, width
        if filter_size:
            # A smaller window at the coarse levels keeps the same sigma-to-size ratio.
            window = gaussian_window_1d(size, size * filter_sigma / filter_size, device)
            self.rows = valid_filter_matrix(height, window).float().t().contiguous()
            self.cols = valid_filter_matrix(width, window).float()
            out_h, out_w = height - size + 1, width - size + 1
        empty = lambda *shape: torch.empty(shape, dtype=torch.float32, device=device)  # noqa: E731
        self.maps = empty(pairs, 4, channels, height, width)
        self.half = empty(pairs, 4, channels, height, out_w) if filter_size else None
        self.blurred = empty(pairs, 4, channels, out_h, out_w) if filter_size else None
        self.diff = empty(pairs, channels, out_h, out_w)


def _downsample(images: Tensor, out: Tensor) -> None:
    """2x2 box average over the last two dims (odd sizes floor); strided adds beat avg_pool2d on a CPU."""
    h, w = out.shape[-2:]
    torch.add(images[..., 0:2 * h:2, 0:2 * w:2], images[..., 1:2 * h:2, 0:2 * w:2], out=out)
    out += images[..., 0:2 * h:2, 1:2 * w:2]
    out += images[..., 1:2 * h:2, 1:2 * w:2]
    out.mul_(0.25)


def _level_ssim_cs(level: _Level, pairs: int, c1: float, c2: float) -> tuple[Tensor, Tensor]:
    """Mean SSIM and contrast-structure terms of one pyramid level, one value per pair.

    ``level.maps[:pairs, :2]`` hold the shifted images on entry.
    """
    maps = level.maps[:pairs]
    img1, img2 = maps[:, 0], maps[:, 1]
    # Only s11 + s22 appears in SSIM, so x^2 + y^2 is filtered as one map (4 maps, not 5).
    # The constants ride along: the window sums to 1, so C2 + x^2 + y^2 blurs to
    # E[x^2 + y^2] + C2 at no extra pass. Everything below works in place: at these
    # sizes the element-wise passes, not the GEMMs, dominate the time.
    torch.addcmul(maps.new_tensor(c2), img1, img1, out=maps[:, 2]).addcmul_(img2, img2)
    torch.addcmul(maps.new_tensor(c2 / 2), img1, img2, out=maps[:, 3])
    if level.rows is not None:
        torch.matmul(maps, level.cols, out=level.half[:pairs])
        maps = torch.matmul(level.rows, level.half[:pairs], out=level.blurred[:pairs])
    mu1, mu2, v2, v1 = maps.unbind(1)
    # v2 = s11 + s22 + C2 and v1 = 2 * s12 + C2, from the (shifted) moments.
    v2.addcmul_(mu1, mu1, value=-1.0).addcmul_(mu2, mu2, value=-1.0)
    v1.addcmul_(mu1, mu2, value=-1.0).mul_(2.0)
    cs_map = v1.div_(v2)
    # Luminance on the unshifted means: (2 m1 m2 + C1) / (m1^2 + m2^2 + C1), whose
    # denominator is the numerator plus (m1 - m2)^2.
    diff_sq = torch.sub(mu1, mu2, out=level.diff[:pairs]).square_()
    num = torch.addcmul(maps.new_tensor(c1), mu1.add_(_SHIFT), mu2.add_(_SHIFT), value=2.0, out=mu1)
    luminance = num.div_(diff_sq.add_(num)).flatten(1)
    cs_map = cs_map.flatten(1)
    # mean(luminance * cs) as a batched dot product: no product map is written.
    ssim = torch.bmm(luminance.unsqueeze(1), cs_map.unsqueeze(2)).view(-1) / cs_map.shape[1]
    return ssim, cs_map.mean(dim=1)


def _ms_ssim_chunk(img1: Tensor, img2: Tensor, weights: Tensor, levels: list[_Level], c1: float,
                   c2: float) -> Tensor:
    pairs = img1.shape[0]
    torch.sub(img1, _SHIFT, out=levels[0].maps[:pairs, 0])
    torch.sub(img2, _SHIFT, out=levels[0].maps[:pairs, 1])
    ssims, css = [], []
    for index, level in enumerate(levels):
        if index:
            _downsample(levels[index - 1].maps[:pairs, :2], level.maps[:pairs, :2])
        ssim, cs = _level_ssim_cs(level, pairs, c1, c2)
        ssims.append(ssim)
        css.append(cs)
    # Clip at 0: a negative cs to a fractional power would be NaN.
    cs = torch.stack(css[:-1]).clamp_min(0)
    ssim = ssims[-1].clamp_min(0)
    return torch.prod(cs ** weights[:-1, None], dim=0) * ssim ** weights[-1]


def ms_ssim(img1: Tensor, img2: Tensor, max_val: float = 255.0, filter_size: int = 11,
            filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03,
            weights: Sequence[float] | None = None) -> Tensor:
    """MS-SSIM between ``img1[i]`` and ``img2[i]`` for every i.

    Args:
        img1: Images ``(N, C, H, W)`` in [0, max_val], uint8 or float, any channel count.
        img2: Images of the same shape.
        max_val: Dynamic range of the pixel values.
        filter_size: Gaussian window size, reduced to the image size at coarse levels;
            0 disables the blur.
        filter_sigma: Gaussian sigma for the full-size window.
        k1: SSIM luminance constant, ``C1 = (k1 * max_val) ** 2``.
        k2: SSIM contrast constant, ``C2 = (k2 * max_val) ** 2``.
        weights: Per-level exponents; their count is the number of levels.
            Defaults to the paper's five weights.

    Returns:
        float32 tensor ``(N,)`` on the images' device: one score per pair.
    """
    if img1.shape != img2.shape:
        raise ValueError(f'Input images must have the same shape ({tuple(img1.shape)} vs. {tuple(img2.shape)}).')
    if img1.ndim != 4:
        raise ValueError(f'Input images must be NCHW, got {img1.ndim} dimensions.')
    img1, img2 = img1.detach(), img2.detach()  # a metric, not a loss: no autograd graph
    weights_t = torch.tensor(DEFAULT_WEIGHTS if weights is None else list(weights),
                             dtype=torch.float32, device=img1.device)
    if img1.shape[0] == 0:
        return torch.zeros(0, device=img1.device)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    num, channels, height, width = img1.shape
    pairs = min(num, CHUNK_PAIRS)
    levels = [_Level(pairs, channels, height >> i, width >> i, filter_size, filter_sigma, img1.device)
              for i in range(weights_t.numel())]
    scores = [_ms_ssim_chunk(img1[start:start + pairs], img2[start:start + pairs], weights_t, levels, c1, c2)
              for start in range(0, num, pairs)]
    return torch.cat(scores)
