"""Frozen OpenMMLab (mmagic 1.2.0) numbers on the deterministic test images.

Computed once by a throw-away script that loaded the functions of
``mmagic/evaluation/metrics/{ms_ssim,swd}.py`` from the mmagic 1.2.0 wheel;
mmagic is not needed to run the tests.
"""
import json
from pathlib import Path

import torch

from .images import make_images

# Not under a data/ folder: .gitignore ignores those.
REFERENCE = json.loads((Path(__file__).resolve().parent / 'openmmlab_reference.json').read_text())


def images_for(spec: dict) -> torch.Tensor:
    """The uint8 images a reference entry was computed on."""
    return make_images(spec['num'], spec['size'], spec['channels'], spec['seed'], spec['kind'])


def ms_ssim_case_images(case: dict) -> torch.Tensor:
    """Images of an MS-SSIM case, pairs (0, 1), (2, 3), ...; 'rgb64_mixed' interleaves stripes and blobs."""
    images = images_for(case)
    if case['name'] == 'rgb64_mixed':
        other = make_images(case['num'], case['size'], case['channels'], case['seed'] + 100, 'blobs')
        images = torch.stack([images, other], 1).reshape(-1, *images.shape[1:])[:case['num']]
    return images


def reference_directions(seed: int, dim: int = 147, repeats: int = 4, per_repeat: int = 128) -> torch.Tensor:
    """The directions mmagic drew after ``torch.manual_seed(seed)``, drawn from a private generator."""
    generator = torch.Generator().manual_seed(seed)
    dirs = []
    for _ in range(repeats):
        d = torch.randn(dim, per_repeat, generator=generator)
        dirs.append(d / torch.sqrt(torch.sum(d**2, dim=0, keepdim=True)))
    return torch.cat(dirs, dim=1)
