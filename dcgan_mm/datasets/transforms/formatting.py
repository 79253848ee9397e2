"""Packs a loaded image into the tensor the data preprocessor expects."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform

from dcgan_mm.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackGANInputs(BaseTransform):
    """``results['img']`` (H, W[, C]) uint8 -> ``{'inputs': (C, H, W) uint8 tensor}`` in RGB.

    Only the image travels on: no per-sample metadata objects, so
    ``default_collate`` stacks a batch into one tensor.

    Args:
        input_channel_order: Order of a 3-channel ``results['img']``; mmcv's
            ``LoadImageFromFile`` decodes with OpenCV, which gives 'bgr'.
    """

    def __init__(self, input_channel_order: str = 'bgr'):
        if input_channel_order not in ('rgb', 'bgr'):
            raise ValueError(f"input_channel_order must be 'rgb' or 'bgr', got {input_channel_order!r}")
        self.input_channel_order = input_channel_order

    def transform(self, results: dict) -> dict:
        image = results['img']
        if image.ndim == 2:
            image = image[:, :, None]
        if image.shape[2] == 3 and self.input_channel_order == 'bgr':
            image = image[:, :, ::-1]
        return {'inputs': torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))}

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(input_channel_order={self.input_channel_order!r})'
