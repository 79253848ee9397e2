"""CIFAR-10 from its python pickle batches, read without running any code from them."""
import os.path as osp
import pickle
import warnings

import numpy as np

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS

from .compact import CompactDataset
from .image_folder import DATASETS_DOC

BATCH_FOLDER = 'cifar-10-batches-py'
BATCHES = {'train': [f'data_batch_{index}' for index in range(1, 6)], 'test': ['test_batch']}


class ArrayUnpickler(pickle.Unpickler):
    """Unpickles numpy arrays, lists, dicts and strings only: a crafted batch file cannot run code."""

    ALLOWED = {('numpy.core.multiarray', '_reconstruct'), ('numpy._core.multiarray', '_reconstruct'),
               ('numpy', 'ndarray'), ('numpy', 'dtype')}

    def find_class(self, module: str, name: str):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f'refusing to load {module}.{name}')
        with warnings.catch_warnings():  # numpy 2 warns when old pickles name numpy.core
            warnings.simplefilter('ignore', DeprecationWarning)
            return super().find_class(module, name)


def read_cifar_batch(path: str) -> tuple[np.ndarray, np.ndarray]:
    """One CIFAR python batch: uint8 (N, 32, 32, 3) RGB images and their int64 labels."""
    try:
        with open(path, 'rb') as file:
            batch = ArrayUnpickler(file, encoding='bytes').load()
        # Each row holds the red plane, then green, then blue, each 32x32 row-major.
        images = np.asarray(batch[b'data'], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return images, np.asarray(batch[b'labels'], dtype=np.int64)
    except (pickle.UnpicklingError, KeyError, ValueError, EOFError, TypeError, IndexError) as error:
        raise DataError(f"'{path}' is not a CIFAR-10 python batch: {error}") from error


@DATASETS.register_module()
class CIFAR10Dataset(CompactDataset):
    """CIFAR-10's 32x32 colour images (50,000 train, 10,000 test) from the python version's pickle batches.

    ``data_root`` is the folder holding ``data_batch_1`` ... ``data_batch_5``
    and ``test_batch``, or the folder holding ``cifar-10-batches-py`` (where
    torchvision extracts it). Each sample starts as ``{'img': (32, 32, 3)
    uint8}`` in RGB, the order CIFAR stores. Nothing is downloaded.

    Args:
        data_root: Folder of the batches, or its parent.
        split: ``'train'`` or ``'test'``.
        pipeline: Transforms applied to every sample.
        **kwargs: Passed to mmengine's ``BaseDataset``.
    """

    def __init__(self, data_root: str, split: str = 'train', pipeline: list = (), **kwargs):
        if split not in BATCHES:
            raise ValueError(f"CIFAR10Dataset.split must be 'train' or 'test', got {split!r}")
        self.split = split
        self.images: np.ndarray | None = None
        super().__init__(data_root=data_root, pipeline=pipeline, **kwargs)

    def load_data_list(self) -> np.ndarray:
        root = self.data_root
        if osp.isdir(osp.join(root, BATCH_FOLDER)):
            root = osp.join(root, BATCH_FOLDER)
        paths = [osp.join(root, name) for name in BATCHES[self.split]]
        missing = [path for path in paths if not osp.isfile(path)]
        if missing:
            raise DataError(f"CIFAR-10 batches missing: {', '.join(missing)}. data_root must hold the python "
                            f"version's {BATCH_FOLDER} folder; see {DATASETS_DOC}.")
        images = np.concatenate([read_cifar_batch(path)[0] for path in paths])
        self.images = np.ascontiguousarray(images)
        return np.arange(len(images))

    def load_sample(self, row: int) -> dict:
        return {'img': self.images[row]}
