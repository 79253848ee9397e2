"""Vector arithmetic on averaged z (the paper's figure 7: smiling woman - neutral woman + neutral man)."""
from collections.abc import Sequence

import torch
from torch import nn

from .sampling import DEFAULT_BATCH_SIZE, decode, seeded_generator


def combine(groups: Sequence[torch.Tensor], signs: Sequence[float]) -> torch.Tensor:
    """``sum_i signs[i] * mean(groups[i])``: one z of shape (noise_size,).

    The paper averages three samples per concept because arithmetic on
    single samples was unstable; the mean keeps what the samples share.

    Args:
        groups: Each a (k, noise_size) tensor (or one (noise_size,) z) of chosen samples.
        signs: One weight per group, e.g. ``(1, -1, 1)``.
    """
    if not groups:
        raise ValueError('arithmetic needs at least one group of z')
    if len(signs) != len(groups):
        raise ValueError(f'got {len(groups)} groups but {len(signs)} signs: give one sign per group')
    means = []
    for index, group in enumerate(groups):
        group = group.detach().float().cpu()
        group = group[None] if group.dim() == 1 else group
        if group.dim() != 2 or group.shape[0] == 0:
            raise ValueError(f'group {index} must be a non-empty (k, noise_size) tensor, got {tuple(group.shape)}')
        means.append(group.mean(0))
    if len({mean.shape for mean in means}) != 1:
        raise ValueError(f'all groups must have the same noise size, got {[tuple(m.shape) for m in means]}')
    return sum(float(sign) * mean for sign, mean in zip(signs, means))


def arithmetic(model: nn.Module, groups: Sequence[torch.Tensor], signs: Sequence[float], num_variations: int = 8,
               noise_scale: float = 0.25, seed: int = 0, batch_size: int = DEFAULT_BATCH_SIZE,
               sample_model: str = 'orig') -> tuple[torch.Tensor, torch.Tensor]:
    """Decode ``y = sum_i signs[i] * mean(groups[i])`` and variations of it.

    As in the paper's figure 7, the variations add uniform noise in
    ``[-noise_scale, noise_scale]`` to every coordinate of y, showing the
    neighbourhood of the result rather than one lucky point.

    Args:
        model: A DCGAN, e.g. from :func:`init_model`.
        groups: z of the chosen samples, one (k, noise_size) tensor per group.
        signs: One weight per group, e.g. ``(1, -1, 1)``.
        num_variations: Noisy copies of y (8 fill the paper's 3x3 grid).
        noise_scale: Half-width of the uniform noise.
        seed: Seed of the noise.
        batch_size: Images decoded at once.
        sample_model: 'orig', or 'ema' for the averaged generator.

    Returns:
        ``(images, z)``: (1 + num_variations, C, H, W) float32 in [0, 255] and
        (1 + num_variations, noise_size); index 0 is y itself.
    """
    result = combine(groups, signs)
    if result.shape[0] != model.noise_size:
        raise ValueError(f'the groups hold z of size {result.shape[0]}, the model expects {model.noise_size}')
    noise = torch.rand(num_variations, result.shape[0], generator=seeded_generator(seed))
    z = torch.cat([result[None], result + (2 * noise - 1) * noise_scale])
    return decode(model, z, batch_size, sample_model), z
