"""Datasets whose sample list is one numpy array (row numbers, lmdb keys) instead of one dict per image."""
import cv2
import numpy as np
from mmengine.dataset import BaseDataset, force_full_init

CHANNEL_ORDERS = ('bgr', 'rgb')


class CompactDataset(BaseDataset):
    """mmengine's ``BaseDataset`` with ``data_list`` held as one numpy array of entries.

    BaseDataset pickles one dict per sample at start-up, about 2 s per million
    samples (LSUN-Bedroom has 3 million) and a copy per rank. One array of row
    numbers or keys is built at once, and forked DataLoader workers share it
    without copying. Subclasses return that array from ``load_data_list`` and
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


def check_channel_order(channel_order: str, owner: str) -> str:
    """``channel_order`` if it is 'bgr' or 'rgb', else a ValueError naming ``owner``."""
    if channel_order not in CHANNEL_ORDERS:
        raise ValueError(f"{owner}.channel_order must be 'bgr' or 'rgb', got {channel_order!r}")
    return channel_order


def convert_channel_order(image: np.ndarray, stored: str, wanted: str) -> np.ndarray:
    """``image`` (H, W, 3) from the ``stored`` channel order to the ``wanted`` one; grayscale passes through."""
    if image.ndim == 3 and image.shape[2] == 3 and stored != wanted:
        # OpenCV swaps channels ten times faster than numpy copies an [..., ::-1] view.
        return cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    return image
