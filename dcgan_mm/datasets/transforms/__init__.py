"""Data pipeline transforms. mmcv's (LoadImageFromFile, Resize, RandomFlip) resolve through the root registry."""
import mmcv.transforms  # noqa: F401  (registers mmcv's transforms in mmengine's root registry)

from .formatting import PackGANInputs
from .loading import LoadImage, decode_image

__all__ = ['LoadImage', 'PackGANInputs', 'decode_image']
