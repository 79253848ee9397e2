"""Moves image batches to the model's device and maps [0, 255] <-> [-1, 1]."""
import torch
from mmengine.model import BaseDataPreprocessor

from dcgan_mm.registry import MODELS


@MODELS.register_module()
class GANDataPreprocessor(BaseDataPreprocessor):
    """Turns a collated batch of uint8 images into the generator's value range.

    Datasets deliver ``{'inputs': uint8 tensor (N, C, H, W)}`` in RGB (or a
    list of (C, H, W) tensors when collated with ``pseudo_collate``). The
    output is float32 in [-1, 1], the range of the generator's Tanh.

    Args:
        mean: Value mapped to 0.
        std: Half the value range.
        non_blocking: Copy to the device asynchronously (with pinned memory).
    """

    def __init__(self, mean: float = 127.5, std: float = 127.5, non_blocking: bool = True):
        super().__init__(non_blocking=non_blocking)
        self.mean = mean
        self.std = std

    def forward(self, data: dict, training: bool = False) -> dict:
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))
        inputs = self.cast_data(inputs)
        return {'inputs': self.normalize(inputs)}

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """[0, 255] -> [-1, 1], float32 (the subtraction's fresh tensor is divided in place: one buffer fewer)."""
        return (images.float() - self.mean).div_(self.std)

    def denormalize(self, images: torch.Tensor) -> torch.Tensor:
        """[-1, 1] -> [0, 255], float32, clipped."""
        return (images.float() * self.std + self.mean).clamp_(0, 255)
