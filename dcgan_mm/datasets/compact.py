"""Datasets whose sample list is one numpy array (row numbers, lmdb keys) instead of one dict per image."""
import numpy as np
from mmengine.dataset import BaseDataset, force_full_init


class CompactDataset(BaseDataset):
    """mmengine's ``BaseDataset`` with ``data_list`` held as one numpy array of entries.

    BaseDataset pickles one dict per sample at start-up, a cost that grows with
    the dataset (LSUN-Bedroom has 3 million images) and is paid again by every
    rank. One array of row numbers or keys is built at once, and forked
    DataLoader workers share it without copying. Subclasses return that array from ``load_data_list`` and
    turn one entry into the sample dict in :meth:`load_sample`; ``indices``
    (subsets) and ``lazy_init`` work as in BaseDataset.

    Args:
        pipeline: Transforms applied to every sample.
        **kwargs: Passed to ``BaseDataset``; ``serialize_data`` is ignored (the array is already compact).
    """

    def __init__(self, pipeline: list = (), **kwargs):
        kwargs.pop('serialize_data', None)
        super().__init__(pipeline=list(pipeline), serialize_data=False, **kwargs)

    def load_sample(self, entry) -> dict:
        """The sample dict of one ``data_list`` entry (before the pipeline)."""
        raise NotImplementedError

    @force_full_init
    def get_data_info(self, idx: int) -> dict:
        info = self.load_sample(self.data_list[idx])
        info['sample_idx'] = idx if idx >= 0 else len(self) + idx
        return info

    def _get_unserialized_subset(self, indices) -> np.ndarray:
        return np.asarray(super()._get_unserialized_subset(indices), dtype=self.data_list.dtype)

