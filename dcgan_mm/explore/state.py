"""What the explorer page does, without the page: a seeded grid of samples, groups A, B, C, their
arithmetic and walks, every image decoded through :mod:`dcgan_mm.apis`, so a test can check the logic
without a browser and the page cannot drift from ``tools/generate.py``."""
import math
import threading
from dataclasses import dataclass, field

import torch
from torch import nn

from dcgan_mm.apis import arithmetic, combine, decode, interpolate, sample
from dcgan_mm.errors import DataError

GROUPS = ('A', 'B', 'C')
SIGNS = (1.0, -1.0, 1.0)  # A - B + C, the paper's "smiling woman - neutral woman + neutral man"
WALK = 'walk'  # the click target that picks the two endpoints of a walk
MAX_SEED = 2**63 - 1


def parse_seed(text: str | int | float | None) -> int:
    """A seed typed on the page as an int in [0, 2**63 - 1]; anything else is a DataError saying so."""
    value = str(text).strip() if text is not None else ''
    if not value.isdigit() or int(value) > MAX_SEED:
        raise DataError(f'The seed must be a whole number from 0 to {MAX_SEED}, got {value!r}.')
    return int(value)


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """Float [0, 255] images as uint8, rounded as ``sample(..., to_uint8=True)`` does."""
    return images.round().clamp(0, 255).to(torch.uint8)


@dataclass
class Result:
    """Decoded images and the z they came from, in display order, with the grid's row width."""

    images: torch.Tensor  # (N, C, H, W) uint8
    z: torch.Tensor  # (N, noise_size) float32, row i decodes to images[i]
    nrow: int


@dataclass
class Selection:
    """One visitor's state: the grid's seed and z, the samples in each group, the walk's endpoints."""

    seed: int = 0
    z: torch.Tensor | None = None
    groups: dict[str, list[int]] = field(default_factory=lambda: {name: [] for name in GROUPS})
    endpoints: list[int] = field(default_factory=list)
    samples_z: str = ''  # the grid's z file as downloaded, for tools/generate.py's arithmetic --z
    folders: dict[str, str] = field(default_factory=dict)  # result kind -> the page's folder of its latest files

    def toggle(self, index: int, target: str) -> None:
        """Click on sample ``index``: in or out of group ``target``, or one of the two walk endpoints."""
        if self.z is None or not 0 <= index < len(self.z):
            raise DataError('Draw samples first, then click one of them.')
        if target == WALK:
            self.endpoints = [i for i in self.endpoints if i != index][-1:] + [index]
        elif target in self.groups:
            group = self.groups[target]
            group.remove(index) if index in group else group.append(index)
        else:
            raise DataError(f'Pick where a click puts a sample: one of {GROUPS + (WALK,)}, got {target!r}.')

    def describe(self) -> str:
        """The groups and endpoints as text, e.g. ``A: 2, 25, 45 | B: - | C: 11 | walk: 3 -> 7``."""
        parts = [f"{name}: {', '.join(map(str, group)) or '-'}" for name, group in self.groups.items()]
        parts.append(f"{WALK}: {' -> '.join(map(str, self.endpoints)) or '-'}")
        return ' | '.join(parts)


class Explorer:
    """Decodes what the page asks for with one model, one request at a time.

    Args:
        model: A DCGAN (``noise_size``, ``generate``), e.g. from ``init_model``, on its device.
        num_samples: Samples in the grid.
        nrow: Samples per grid row.
        batch_size: Images decoded at once on the model's device.
        sample_model: 'orig', or 'ema' for the averaged generator.
    """

    def __init__(self, model: nn.Module, num_samples: int = 64, nrow: int = 8, batch_size: int = 64,
                 sample_model: str = 'orig') -> None:
        self.model = model
        self.num_samples = num_samples
        self.nrow = nrow
        self.batch_size = batch_size
        self.sample_model = sample_model
        # The page serves several requests in threads; one model decodes one batch at a time.
        self.lock = threading.Lock()

    def replace_model(self, model: nn.Module) -> None:
        with self.lock:
            self.model = model

    def draw(self, selection: Selection, seed: int) -> Result:
        """A new grid from ``seed``: the groups and endpoints of the old grid no longer apply."""
        with self.lock:
            images, z = sample(self.model, self.num_samples, seed=seed, batch_size=self.batch_size,
                               sample_model=self.sample_model)
        selection.seed, selection.z = seed, z
        selection.groups = {name: [] for name in GROUPS}
        selection.endpoints = []
        return Result(to_uint8(images), z, self.nrow)

    def group_means(self, selection: Selection) -> dict[str, Result]:
        """The decoded mean z of each non-empty group, all in one batch."""
        names = [name for name, group in selection.groups.items() if group]
        if not names:
            return {}
        z = torch.stack([combine([selection.z[selection.groups[name]]], [1.0]) for name in names])
        with self.lock:
            images = to_uint8(decode(self.model, z, self.batch_size, self.sample_model))
        return {name: Result(images[i:i + 1], z[i:i + 1], 1) for i, name in enumerate(names)}

    def combine(self, selection: Selection, num_variations: int = 8, noise_scale: float = 0.25) -> Result:
        """``A - B + C`` in the centre of a square grid, its noisy neighbours around it (the paper's figure 7)."""
        empty = [name for name, group in selection.groups.items() if not group]
        if selection.z is None or empty:
            raise DataError(f"Group {', '.join(empty or GROUPS)} is empty: click samples to put them in "
                            'groups A, B and C first.')
        groups = [selection.z[group] for group in selection.groups.values()]
        result = self._arithmetic(groups, SIGNS, num_variations, noise_scale, seed=selection.seed)
        order = list(range(1, len(result.z)))
        order.insert(len(order) // 2, 0)  # the same layout as tools/generate.py's arithmetic.png
        return Result(result.images[order], result.z[order], math.ceil(math.sqrt(len(order))))

    def walk(self, selection: Selection, steps: int = 10, mode: str = 'linear') -> Result:
        """The walk between the two picked samples, endpoints included."""
        if selection.z is None or len(selection.endpoints) != 2:
            raise DataError("Pick two samples for the walk: choose 'walk' and click two samples.")
        start, end = (selection.z[index] for index in selection.endpoints)
        with self.lock:
            images, z = interpolate(self.model, start, end, steps=int(steps), mode=mode,
                                    batch_size=self.batch_size, sample_model=self.sample_model)
        return Result(to_uint8(images), z, int(steps))

    def _arithmetic(self, groups: list[torch.Tensor], signs, num_variations: int, noise_scale: float = 0.25,
                    seed: int = 0) -> Result:
        with self.lock:
            images, z = arithmetic(self.model, groups, signs, num_variations=int(num_variations),
                                   noise_scale=float(noise_scale), seed=seed, batch_size=self.batch_size,
                                   sample_model=self.sample_model)
        return Result(to_uint8(images), z, 1 + int(num_variations))
