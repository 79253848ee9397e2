"""A collate function that passes through batches a dataset has already assembled."""
from collections.abc import Sequence
from typing import Any

import torch
from mmengine.dataset import default_collate
from torch.utils.data import get_worker_info

from dcgan_mm.registry import FUNCTIONS


class SampleBatch(Sequence):
    """Samples a dataset read as one batch: ``inputs`` is their (N, C, H, W) uint8 tensor.

    ``packed_collate`` hands the tensor on as it is. Any other collate function
    sees a sequence of ``{'inputs': (C, H, W) view}`` dicts, so a config that
    keeps ``default_collate`` still works (stacking the views again).

    Args:
        inputs: The batch, first dimension the samples.
    """

    def __init__(self, inputs: torch.Tensor):
        self.inputs = inputs

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, index: int) -> dict:
        if not -len(self) <= index < len(self):
            raise IndexError(f'sample {index} of a batch of {len(self)}')
        return {'inputs': self.inputs[index]}


def new_batch_tensor(shape: Sequence[int]) -> torch.Tensor:
    """An uninitialised uint8 tensor of ``shape``; in a DataLoader worker, in shared memory.

    A worker's batch travels to the main process through shared memory: made
    there from the start, as torch's ``default_collate`` does, it is not copied
    again when sent.
    """
    if get_worker_info() is None:
        return torch.empty(tuple(shape), dtype=torch.uint8)
    storage = torch.UntypedStorage._new_shared(int(torch.Size(shape).numel()))
    return torch.empty(0, dtype=torch.uint8).set_(storage).view(tuple(shape))


@FUNCTIONS.register_module()
def packed_collate(data_batch: SampleBatch | Sequence) -> Any:
    """``{'inputs': (N, C, H, W) tensor}`` of a :class:`SampleBatch`; anything else goes to ``default_collate``.

    Configs name it ``collate_fn=dict(type='dcgan_mm.packed_collate')``: mmengine's
    Runner looks collate functions up in its root registry, which finds this
    one by the scoped name only.
    """
    if isinstance(data_batch, SampleBatch):
        return {'inputs': data_batch.inputs}
    return default_collate(data_batch)
