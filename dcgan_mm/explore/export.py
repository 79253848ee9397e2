"""A result of the page as files: the PNG grid and the z that decodes to it, readable by tools/generate.py."""
from pathlib import Path

import torch
from torchvision.utils import save_image

from .state import GROUPS, Result, Selection

GRID_PADDING = 2  # tools/generate.py's save_png: with the same padding the PNGs are byte-identical


def save_result(result: Result, folder: str | Path, name: str) -> tuple[Path, Path]:
    """Write ``name.png`` (the grid as shown) and ``name_z.pt`` (its z, row i = cell i) under ``folder``.

    ``python tools/generate.py CONFIG CHECKPOINT --out DIR decode --z name_z.pt --nrow N``
    decodes that z file back to the same PNG.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, z_file = folder / f'{name}.png', folder / f'{name}_z.pt'
    save_image(result.images.float() / 255.0, str(png), nrow=result.nrow, padding=GRID_PADDING)
    torch.save(result.z.clone(), z_file)
    return png, z_file


def decode_command(config: str, checkpoint: str, z_file: str | Path, nrow: int) -> str:
    """The tools/generate.py line that decodes ``z_file`` to the same grid."""
    return f'python tools/generate.py {config} {checkpoint} --out DIR decode --z {z_file} --nrow {nrow}'


def arithmetic_command(config: str, checkpoint: str, samples_z: str | Path, selection: Selection,
                       num_variations: int, noise_scale: float) -> str:
    """The tools/generate.py line that redoes A - B + C from the grid's z file, noise included."""
    groups = ' '.join(','.join(map(str, selection.groups[name])) for name in GROUPS)
    return (f'python tools/generate.py {config} {checkpoint} --out DIR --seed {selection.seed} arithmetic '
            f'--z {samples_z} --groups {groups} --signs + - + --num-variations {int(num_variations)} '
            f'--noise-scale {float(noise_scale)}')
