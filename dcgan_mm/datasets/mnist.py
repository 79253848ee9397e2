"""MNIST and Fashion-MNIST from the idx files torchvision writes (plain or gzipped), parsed with numpy."""
import gzip
import os.path as osp
import struct

import numpy as np

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS

from .compact import CompactDataset
from .image_folder import DATASETS_DOC

IDX_UBYTE = 0x08  # idx type code of unsigned bytes
SPLITS = ('train', 'test')


def read_idx(path: str) -> np.ndarray:
    """An idx file of unsigned bytes (e.g. ``train-images-idx3-ubyte[.gz]``) as a uint8 array of its shape."""
    try:
        with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as file:
            data = file.read()
    except (OSError, EOFError) as error:  # gzip raises these for a truncated or non-gzip file
        raise DataError(f"Cannot read '{path}': {error}") from error
    # Magic number: two zero bytes, the element type, the number of dimensions; then each size, big-endian.
    if len(data) < 4 or data[:2] != b'\0\0' or data[2] != IDX_UBYTE:
        raise DataError(f"'{path}' is not an idx file of unsigned bytes (magic {data[:4].hex()})")
    ndim, offset = data[3], 4 + 4 * data[3]
    if len(data) < offset:
        raise DataError(f"'{path}' is truncated inside its header")
    shape = struct.unpack(f'>{ndim}I', data[4:offset])
    if len(data) - offset != int(np.prod(shape)):
        raise DataError(f"'{path}' holds {len(data) - offset} bytes of data; its header {shape} says "
                        f'{int(np.prod(shape))} (truncated or corrupt download?)')
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape).copy()  # writable


def find_file(data_root: str, name: str, raw_folder: str) -> str:
    """The first of ``data_root/name[.gz]`` and torchvision's ``data_root/raw_folder/raw/name[.gz]`` that exists."""
    candidates = [osp.join(folder, name + suffix) for folder in (data_root, osp.join(data_root, raw_folder, 'raw'))
                  for suffix in ('', '.gz')]
    for path in candidates:
        if osp.isfile(path):
            return path
    raise DataError(f"No {name} found; looked for {', '.join(candidates)}. See {DATASETS_DOC} for how to get it.")


@DATASETS.register_module()
class MNISTDataset(CompactDataset):
    """MNIST's 28x28 grayscale digits (60,000 train, 10,000 test), read from its idx files.

    Each sample starts as ``{'img': (28, 28) uint8}``; a ``Resize`` in the
    pipeline brings it to the model's scale. The files are looked up in
    ``data_root`` and in ``data_root/MNIST/raw`` (torchvision's layout),
    gzipped or not. Nothing is downloaded.

    Args:
        data_root: Folder holding the idx files (or torchvision's root).
        split: ``'train'`` or ``'test'``.
        pipeline: Transforms applied to every sample.
        **kwargs: Passed to mmengine's ``BaseDataset``.
    """

    RAW_FOLDER = 'MNIST'  # torchvision's sub-folder: root/MNIST/raw/
    FILES = {'train': 'train-images-idx3-ubyte', 'test': 't10k-images-idx3-ubyte'}

    def __init__(self, data_root: str, split: str = 'train', pipeline: list = (), **kwargs):
        if split not in SPLITS:
            raise ValueError(f"{type(self).__name__}.split must be 'train' or 'test', got {split!r}")
        self.split = split
        self.images: np.ndarray | None = None
        super().__init__(data_root=data_root, pipeline=pipeline, **kwargs)

    def load_data_list(self) -> np.ndarray:
        path = find_file(self.data_root, self.FILES[self.split], self.RAW_FOLDER)
        images = read_idx(path)
        if images.ndim != 3 or len(images) == 0:
            raise DataError(f"'{path}' holds an array of shape {images.shape}, not a stack of images")
        self.images = images
        return np.arange(len(images))

    def load_sample(self, row: int) -> dict:
        return {'img': self.images[row]}


@DATASETS.register_module()
class FashionMNISTDataset(MNISTDataset):
    """Fashion-MNIST (Zalando): 28x28 grayscale clothes, MNIST's file names and format.

    Looked up in ``data_root`` and in ``data_root/FashionMNIST/raw`` (torchvision's layout).
    """

    RAW_FOLDER = 'FashionMNIST'
