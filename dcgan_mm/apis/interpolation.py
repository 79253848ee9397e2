"""Walks in latent space between two z (the paper's figure 4: smooth transitions, no memorisation)."""
import torch
from torch import nn

from .sampling import DEFAULT_BATCH_SIZE, decode, seeded_generator

MODES = ('linear', 'slerp')


def lerp(start: torch.Tensor, end: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Straight line: ``(1 - t) * start + t * end``; start, end (R, D), t (T,) -> (R, T, D)."""
    t = t[None, :, None]
    return (1 - t) * start[:, None] + t * end[:, None]


def slerp(start: torch.Tensor, end: torch.Tensor, t: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """Spherical interpolation (Shoemake 1985; White 2016 for GAN latents); shapes as :func:`lerp`.

    Between endpoints of equal norm the path stays on their sphere, where
    almost all the mass of a high-dimensional Gaussian lies, while a straight
    line cuts through the low-norm interior the generator rarely saw.
    Nearly parallel endpoints fall back to the straight line.
    """
    cos = torch.nn.functional.cosine_similarity(start, end, dim=1).clamp(-1, 1)
    omega = torch.acos(cos)[:, None, None]  # (R, 1, 1)
    t = t[None, :, None]
    sin = torch.sin(omega)
    safe_sin = torch.where(sin.abs() < eps, torch.ones_like(sin), sin)
    path = (torch.sin((1 - t) * omega) * start[:, None] + torch.sin(t * omega) * end[:, None]) / safe_sin
    return torch.where(sin.abs() < eps, lerp(start, end, t[0, :, 0]), path)


def interpolate(model: nn.Module, start: torch.Tensor | None = None, end: torch.Tensor | None = None,
                steps: int = 8, mode: str = 'linear', seed: int = 0, rows: int = 1,
                batch_size: int = DEFAULT_BATCH_SIZE, sample_model: str = 'orig') -> tuple[torch.Tensor, torch.Tensor]:
    """Decode ``steps`` evenly spaced points from ``start`` to ``end``, endpoints included.

    Args:
        model: A DCGAN, e.g. from :func:`init_model`.
        start: z of shape (noise_size,) or (rows, noise_size); None draws it from ``seed``.
        end: Like ``start``. Random endpoints are drawn start first, then end.
        steps: Points per walk (at least 2).
        mode: 'linear' (the paper's) or 'slerp'.
        seed: Seed of the random endpoints.
        rows: Number of walks when both endpoints are random.
        batch_size: Images decoded at once.
        sample_model: 'orig', or 'ema' for the averaged generator.

    Returns:
        ``(images, z)``: (rows * steps, C, H, W) float32 in [0, 255] and
        (rows * steps, noise_size), walk by walk, so ``save_image(..., nrow=steps)``
        draws one walk per row.
    """
    if mode not in MODES:
        raise ValueError(f'mode must be one of {MODES}, got {mode!r}')
    if steps < 2:
        raise ValueError(f'steps must be at least 2, got {steps}')
    if rows < 1:
        raise ValueError(f'rows must be at least 1, got {rows}')
    generator = seeded_generator(seed)
    if start is not None:
        rows = 1 if start.dim() == 1 else start.shape[0]
    elif end is not None:
        rows = 1 if end.dim() == 1 else end.shape[0]
    start = as_rows(start, rows, model, generator)
    end = as_rows(end, rows, model, generator)
    if start.shape[0] == 1 and end.shape[0] > 1:  # one shared endpoint, many walks
        start = start.expand_as(end)
    elif end.shape[0] == 1 and start.shape[0] > 1:
        end = end.expand_as(start)
    if start.shape != end.shape:
        raise ValueError(f'start and end must have the same shape, got {tuple(start.shape)} and {tuple(end.shape)}')
    t = torch.linspace(0, 1, steps, dtype=start.dtype)
    z = (lerp if mode == 'linear' else slerp)(start, end, t).reshape(-1, start.shape[1])
    return decode(model, z, batch_size, sample_model), z


def as_rows(z: torch.Tensor | None, rows: int, model: nn.Module, generator: torch.Generator) -> torch.Tensor:
    """Endpoints as a float (rows, noise_size) CPU tensor, drawn from ``generator`` when None."""
    if z is None:
        return model.noise(rows, device='cpu', generator=generator)
    z = z.detach().float().cpu()
    z = z[None] if z.dim() == 1 else z
    if z.dim() != 2 or z.shape[1] != model.noise_size:
        raise ValueError(f'an endpoint must have shape (noise_size,) or (rows, noise_size) with '
                         f'noise_size={model.noise_size}, got {tuple(z.shape)}')
    return z
