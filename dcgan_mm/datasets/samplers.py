"""An infinite sampler that can start anywhere in its stream: resuming never replays the data."""
from collections.abc import Iterator

import torch
from mmengine.dataset.sampler import InfiniteSampler

from dcgan_mm.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ResumableInfiniteSampler(InfiniteSampler):
    """mmengine's ``InfiniteSampler`` whose position in the stream can be set.

    The global stream is epoch after epoch of the dataset, each epoch in the
    order of ``randperm(len(dataset))`` seeded by ``seed + epoch`` (or in
    file order without ``shuffle``); rank r of W takes items r, r + W, ...
    of it. The order therefore depends only on the seed, the world size and
    the position, so a run resumed at iteration k with :meth:`set_position`
    sees exactly the batches an uninterrupted run would, without loading
    the k batches before them.

    Args:
        dataset: The dataset to sample from.
        shuffle: Shuffle each epoch.
        seed: Seed of the shuffles; None draws one and shares it across ranks.
    """

    def __init__(self, dataset, shuffle: bool = True, seed: int | None = None):
        super().__init__(dataset, shuffle=shuffle, seed=seed)
        self.position = 0  # samples this rank has consumed

    def set_position(self, consumed: int) -> None:
        """Continue after the first ``consumed`` samples of this rank's stream."""
        self.position = consumed

    def epoch_order(self, epoch: int) -> torch.Tensor:
        if not self.shuffle:
            return torch.arange(self.size)
        return torch.randperm(self.size, generator=torch.Generator().manual_seed(self.seed + epoch))

    def _infinite_indices(self) -> Iterator[int]:
        index = self.position * self.world_size + self.rank  # in the global stream
        epoch, order = -1, None
        while True:
            this_epoch, offset = divmod(index, self.size)
            if this_epoch != epoch:
                epoch, order = this_epoch, self.epoch_order(this_epoch).tolist()
            yield order[offset]
            index += self.world_size

    def __iter__(self) -> Iterator[int]:
        yield from self._infinite_indices()
