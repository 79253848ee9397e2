"""Images and their z on disk, as tools/generate.py and the explorer page write them: one writer, same bytes."""
import torch
from torchvision.utils import save_image

from dcgan_mm.utils import atomic_file

GRID_PADDING = 2  # pixels between grid cells


def save_grid_png(images: torch.Tensor, path: str, nrow: int = 8) -> None:
    """[0, 255] NCHW (float or uint8) -> one PNG (a grid when several images), written whole or not at all.

    Rounded first, as ``sample(..., to_uint8=True)`` does: without it save_image's own truncation
    could put a pixel one level off. No fsync: these are outputs to look at, drawn again from the
    saved z if a power cut took them.
    """
    with atomic_file(str(path), fsync=False) as file:
        save_image(images.float().round() / 255.0, file, format='png', nrow=nrow, padding=GRID_PADDING)


def save_z(z: torch.Tensor, path: str) -> None:
    """The z that decoded to an image file, written atomically: a half-written z file would decode to others."""
    with atomic_file(str(path), fsync=False) as file:
        torch.save(z.clone(), file)
