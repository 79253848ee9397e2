"""Images decoded and resized once by the packer: rows of a uint8 memory map, read with no decoding."""
import functools
import json
import os.path as osp

import numpy as np
import torch

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS

from .collate import SampleBatch, new_batch_tensor
from .compact import CompactDataset
from .image_folder import DATASETS_DOC
from .per_process import PerProcessHandle
from .transforms import PackGANInputs

ARRAY_FILE = 'images.npy'  # uint8 (N, H, W, C), a standard .npy: np.load(path, mmap_mode='r') reads it
HEADER_FILE = 'images.json'  # shape, channel order, source, count; written last, when packing is complete
FORMAT = 'dcgan_mm.packed/1'


def read_header(folder: str) -> dict:
    """The header of a complete packing in ``folder``; DataError if there is none or it is unfinished."""
    path = osp.join(folder, HEADER_FILE)
    if not osp.isfile(path):
        unfinished = osp.isfile(osp.join(folder, ARRAY_FILE))
        reason = ('packing was interrupted: run the packer again, it resumes' if unfinished else
                  'it does not exist or holds no packed images')
        raise DataError(f"Packed dataset '{folder}' is not usable: {reason}. "
                        f'See {DATASETS_DOC} (tools/dataset_converters/pack_images.py).')
    with open(path) as file:
        header = json.load(file)
    if header.get('format') != FORMAT:
        raise DataError(f"'{path}' is not a {FORMAT} header (format {header.get('format')!r})")
    return header


def open_packed_array(path: str) -> np.ndarray:
    # Copy-on-write: rows are writable views (torch wants them) and the file is never changed.
    return np.load(path, mmap_mode='c')


@DATASETS.register_module()
class PackedDataset(CompactDataset):
    """A folder written by ``tools/dataset_converters/pack_images.py``: no decoding, no resizing.

    Each sample starts as ``{'img': (H, W, 3) uint8 in RGB}`` (the stored order) or
    ``(H, W, 1)`` for grayscale, a row of the memory-mapped ``images.npy``.
    The map is opened lazily in each process (DataLoader workers included),
    so the operating system's page cache, not each worker, holds the data.
    The pipeline only needs ``PackGANInputs``; with that pipeline alone, a
    DataLoader fetches each batch at once as one tensor (:meth:`__getitems__`),
    which ``collate_fn=dict(type='dcgan_mm.packed_collate')`` passes through.

    Args:
        data_root: The packer's output folder (``images.npy`` and ``images.json``).
        pipeline: Transforms applied to every sample.
        **kwargs: Passed to mmengine's ``BaseDataset``.
    """

    def __init__(self, data_root: str, pipeline: list = (), **kwargs):
        self.header: dict = {}
        self.images = PerProcessHandle(functools.partial(open_packed_array, osp.join(data_root, ARRAY_FILE)))
        self.buffers = PerProcessHandle(dict)  # this process's own read buffer, reused batch after batch
        super().__init__(data_root=data_root, pipeline=pipeline, **kwargs)

    def load_data_list(self) -> np.ndarray:
        self.header = read_header(self.data_root)
        array = np.load(osp.join(self.data_root, ARRAY_FILE), mmap_mode='r')  # reads the .npy header only
        if list(array.shape) != self.header['shape']:
            raise DataError(f"'{self.data_root}': {ARRAY_FILE} has shape {array.shape}, its header says "
                            f"{self.header['shape']}. Pack it again.")
        if len(array) == 0:
            raise DataError(f"Packed dataset '{self.data_root}' holds no images.")
        return np.arange(len(array))

    def load_sample(self, row: int) -> dict:
        image = self.images.get()[row]
        return {'img': image}

    def __getitems__(self, indices: list[int]) -> SampleBatch | list[dict]:
        """The samples at ``indices``, which torch's DataLoader asks for a batch at a time.

        When the pipeline is ``PackGANInputs`` alone, the batch is read at once
        (:meth:`read_batch`) into one tensor: a :class:`SampleBatch`, which
        ``packed_collate`` delivers as it is and any other collate function
        sees as the per-sample dicts. Any other pipeline runs per sample.
        """
        pipeline = self.pipeline.transforms
        if len(pipeline) != 1 or not isinstance(pipeline[0], PackGANInputs):
            return [self[index] for index in indices]
        if not self._fully_initialized:
            self.full_init()
        return SampleBatch(self.read_batch(self.data_list[np.asarray(indices)]))

    def read_batch(self, rows: np.ndarray) -> torch.Tensor:
        """Rows ``rows`` of the map, in that order, as one (N, C, H, W) uint8 tensor.

        Two copies in all: the rows into this process's reusable buffer (a
        fresh one would cost a page fault per 4 KiB), then the transposing copy
        into the result, made in shared memory in a worker (see
        ``new_batch_tensor``); the transpose is most of the time (docs/benchmarks.md).

        Args:
            rows: Row numbers of ``images.npy`` (``data_list`` entries).
        """
        images = self.images.get()
        buffers = self.buffers.get()
        if len(buffers.get('rows', ())) < len(rows):
            buffers['rows'] = np.empty((len(rows), *images.shape[1:]), dtype=np.uint8)
        read = buffers['rows'][:len(rows)]
        np.take(images, rows, axis=0, out=read, mode='clip')  # rows are valid; 'raise' would buffer
        inputs = new_batch_tensor((len(rows), read.shape[3], *read.shape[1:3]))
        np.copyto(inputs.numpy(), read.transpose(0, 3, 1, 2))
        return inputs
