"""A result of the page as files: the PNG grid and the z that decodes to it, readable by tools/generate.py."""
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from dcgan_mm.apis import save_grid_png, save_z

from .state import GROUPS, Result, Selection


def save_result(result: Result, folder: str | Path, name: str) -> tuple[Path, Path]:
    """Write ``name.png`` (the grid as shown) and ``name_z.pt`` (its z, row i = cell i) under ``folder``.

    ``python tools/generate.py CONFIG CHECKPOINT --out DIR decode --z name_z.pt --nrow N``
    decodes that z file back to the same PNG. Each file appears whole or not at all; without fsync,
    as these are downloads of a running page, not records that must survive a power cut.
    """
    folder = Path(folder)
    png, z_file = folder / f'{name}.png', folder / f'{name}_z.pt'
    save_grid_png(result.images, png, nrow=result.nrow)
    save_z(result.z, z_file)
    return png, z_file


@dataclass
class ModelSource:
    """What tools/generate.py needs to load the page's model: every flag of its that changes the images."""

    config: str
    checkpoint: str
    sample_model: str = 'orig'
    device: str = 'cpu'
    cfg_options: dict = field(default_factory=dict)

    def command(self, seed: int | None = None) -> str:
        """``python tools/generate.py CONFIG CHECKPOINT ... --out DIR``, up to the mode, quoted for a shell."""
        words = ['python', 'tools/generate.py', self.config, self.checkpoint]
        if self.cfg_options:  # before --out: its nargs='+' would swallow a mode name that followed it
            words += ['--cfg-options'] + [f'{key}={format_option(value)}' for key, value in self.cfg_options.items()]
        words += ['--out', 'DIR', '--sample-model', self.sample_model, '--device', self.device]
        if seed is not None:
            words += ['--seed', str(seed)]
        return ' '.join(word if word == 'DIR' else shlex.quote(word) for word in words)


def format_option(value) -> str:
    """A ``--cfg-options`` value as mmengine's DictAction reads it back: ``[1,2]``, ``(a,b)``, ``0.5``, ``None``."""
    if isinstance(value, list):
        return '[' + ','.join(map(format_option, value)) + ']'
    if isinstance(value, tuple):
        return '(' + ','.join(map(format_option, value)) + ')'
    return str(value)


def samples_command(source: ModelSource, seed: int, num: int, nrow: int) -> str:
    """The tools/generate.py line that draws the page's grid again (its samples.png and z.pt)."""
    return f'{source.command(seed)} samples --num {int(num)} --nrow {int(nrow)}'


def decode_command(source: ModelSource, z_file: str | Path, nrow: int) -> str:
    """The tools/generate.py line that decodes the downloaded ``z_file`` (named as downloaded) to the same grid."""
    return f'{source.command()} decode --z {shlex.quote(Path(z_file).name)} --nrow {int(nrow)}'


def arithmetic_command(source: ModelSource, samples_z: str | Path, selection: Selection, num_variations: int,
                       noise_scale: float) -> str:
    """The tools/generate.py line that redoes A - B + C, noise included, from the grid's downloaded z file."""
    groups = ' '.join(','.join(map(str, selection.groups[name])) for name in GROUPS)
    return (f'{source.command(selection.seed)} arithmetic --z {shlex.quote(Path(samples_z).name)} '
            f'--groups {groups} --signs + - + --num-variations {int(num_variations)} '
            f'--noise-scale {float(noise_scale)}')
