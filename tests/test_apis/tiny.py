"""A tiny grayscale DCGAN (16x16, z of 8) shared by the API and tool tests, as a config and a checkpoint."""
from pathlib import Path

import torch
from mmengine.config import Config

from dcgan_mm import __version__
from dcgan_mm.registry import MODELS

TINY_MODEL = dict(
    type='DCGAN',
    noise_size=8,
    generator=dict(type='DCGANGenerator', output_scale=16, out_channels=1, base_channels=16),
    discriminator=dict(type='DCGANDiscriminator', input_scale=16, in_channels=1, base_channels=8),
)
# Two stages (8 and 16 channels), each pooled to 4x4.
TINY_FEATURE_SIZE = (8 + 16) * 16


def tiny_config() -> Config:
    return Config(dict(model=TINY_MODEL))


def tiny_model(seed: int = 0, **overrides) -> torch.nn.Module:
    """The tiny DCGAN with seeded weights and BatchNorm statistics far from their defaults, in eval mode."""
    torch.manual_seed(seed)
    model = MODELS.build({**TINY_MODEL, **overrides})
    for module in model.modules():  # eval mode must use these, not the identity of fresh BatchNorm
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
    return model.eval()


def write_tiny(folder: Path, seed: int = 0) -> tuple[Path, Path]:
    """Write the tiny config and a checkpoint of :func:`tiny_model` under ``folder``; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / 'tiny_dcgan.py'
    config.write_text(f'model = {TINY_MODEL!r}\n')
    checkpoint = folder / 'tiny.pth'
    torch.save({'meta': {'dcgan_mm_version': __version__}, 'state_dict': tiny_model(seed).state_dict()}, checkpoint)
    return config, checkpoint
