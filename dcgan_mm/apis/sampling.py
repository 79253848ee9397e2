"""Reproducible sampling: z from a seeded generator of its own, decoded in batches."""
import torch
from torch import nn

DEFAULT_BATCH_SIZE = 64


def seeded_generator(seed: int) -> torch.Generator:
    """A CPU generator: z drawn on the CPU is the same on every device, and the global RNG is untouched."""
    return torch.Generator().manual_seed(seed)


@torch.no_grad()
def decode(model: nn.Module, z: torch.Tensor, batch_size: int = DEFAULT_BATCH_SIZE,
           sample_model: str = 'orig') -> torch.Tensor:
    """Images of ``z`` (N, noise_size) as float32 (N, C, H, W) in [0, 255] on the CPU.

    The model runs in eval mode (restored afterwards): in train mode BatchNorm
    would normalise with the batch's statistics and update its running ones,
    so an image would depend on its batch and sampling would change the model.
    """
    was_training = model.training
    model.eval()
    try:
        chunks = [model.generate(chunk, sample_model=sample_model).cpu() for chunk in z.split(batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(chunks)


def sample(model: nn.Module, num: int, seed: int = 0, batch_size: int = DEFAULT_BATCH_SIZE,
           sample_model: str = 'orig', to_uint8: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw ``num`` images from z ~ N(0, I), reproducibly from ``seed``.

    Args:
        model: A DCGAN (``noise``, ``generate``), e.g. from :func:`init_model`.
        num: Number of images.
        seed: Seed of the noise; the same seed gives the same z on any device
            and for any ``batch_size``.
        batch_size: Images decoded at once (memory only, not the result).
        sample_model: 'orig', or 'ema' for the averaged generator.
        to_uint8: Round the images to uint8.

    Returns:
        ``(images, z)``: images (num, C, H, W) in [0, 255] RGB, float32 or uint8,
        and z (num, noise_size), both on the CPU.
    """
    if num < 1:
        raise ValueError(f'num must be at least 1, got {num}')
    z = model.noise(num, device='cpu', generator=seeded_generator(seed))
    images = decode(model, z, batch_size, sample_model)
    return (images.round().to(torch.uint8) if to_uint8 else images), z
