"""Packs a loaded image into the tensor the data preprocessor expects."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform

from dcgan_mm.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackGANInputs(BaseTransform):
    """``results['img']`` (H, W[, C]) uint8 -> ``{'inputs': (C, H, W) uint8 tensor}``, channels unchanged.

    Every dataset and ``LoadImage`` deliver RGB (or one gray channel), so
    nothing is swapped here; the one BGR swap is the model's ``channel_order``
    for generators trained on BGR (OpenMMLab's published weights). Only the
    image travels on: no per-sample metadata objects, so ``default_collate``
    stacks a batch into one tensor.
    """

    def transform(self, results: dict) -> dict:
        image = results['img']
        if image.ndim == 2:
            image = image[:, :, None]
        return {'inputs': torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))}
