"""The packer: decode and resize a dataset once into a uint8 memory map that resumes after an interruption."""
import json
import os
import os.path as osp

import numpy as np
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar
from torch.utils.data import DataLoader, Dataset

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS
from dcgan_mm.utils import write_json

from ..packed_array import ARRAY_FILE, FORMAT, HEADER_FILE, read_header

PROGRESS_FILE = 'progress.json'  # where an unfinished packing stands; removed when it completes
# Source kinds of the packer: dataset type, and whether its samples are encoded files (else arrays).
SOURCES = {'folder': ('ImageFolderDataset', True), 'lsun': ('LSUNDataset', True),
           'mnist': ('MNISTDataset', False), 'fashion-mnist': ('FashionMNISTDataset', False),
           'cifar10': ('CIFAR10Dataset', False)}
GRAYSCALE_SOURCES = ('mnist', 'fashion-mnist')


def packing_pipeline(scale: int, grayscale: bool = False, decode: bool = True) -> list[dict]:
    """The loading part of the training pipelines (``LoadImage``, bilinear ``Resize``), so packed pixels equal
    what training would have decoded. ``decode=False`` for datasets that hold arrays (MNIST, CIFAR-10)."""
    load = [dict(type='LoadImage', color_type='grayscale' if grayscale else 'color', on_corrupt='skip')]
    return (load if decode else []) + [dict(type='Resize', scale=(scale, scale), keep_ratio=False,
                                            interpolation='bilinear')]


def source_dataset(kind: str, data_root: str, scale: int, grayscale: bool = False, split: str = 'train') -> dict:
    """The dataset config that loads a ``kind`` of source (a key of ``SOURCES``) at ``scale`` for packing."""
    if kind not in SOURCES:
        raise ValueError(f"unknown source kind {kind!r}; choose one of {', '.join(SOURCES)}")
    dataset_type, encoded = SOURCES[kind]
    grayscale = grayscale or kind in GRAYSCALE_SOURCES
    dataset = dict(type=dataset_type, data_root=data_root, pipeline=packing_pipeline(scale, grayscale, encoded))
    if not encoded:
        dataset['split'] = split
    return dataset


class PreparedImages(Dataset):
    """``dataset``'s pipeline output image for each index, or None for a skipped (corrupt) one; no refetching."""

    def __init__(self, dataset):
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> np.ndarray | None:
        results = self.dataset.prepare_data(index)
        return None if results is None else results['img']


def pack_dataset(dataset: dict, out_dir: str, scale: int, channels: int = 3, num_workers: int = 0,
                 batch_size: int = 256) -> dict:
    """Decode and resize every image of ``dataset`` into ``out_dir/images.npy``, uint8 (N, scale, scale, channels).

    Colour images are stored in RGB. Corrupt images are skipped (``LoadImage``
    warns about each). ``out_dir/progress.json`` records how far packing got
    after every batch, once the batch is flushed to disk; run again after an
    interruption and it continues there, filling the same memory map in
    place. ``out_dir/images.json`` (shape, channel order, source, count) is
    written last, so a folder with it is complete.

    Args:
        dataset: Dataset config (type, data_root, ..., pipeline), e.g. with :func:`packing_pipeline`.
        out_dir: Output folder.
        scale: Side of the images the pipeline produces.
        channels: 3 for colour, 1 for grayscale.
        num_workers: DataLoader processes decoding in parallel.
        batch_size: Images decoded between two progress records.

    Returns:
        The header written to ``images.json``.
    """
    source = json.loads(json.dumps(dict(dataset=dataset, shape=[scale, scale, channels])))  # as read back
    if osp.isfile(osp.join(out_dir, HEADER_FILE)):
        header = read_header(out_dir)
        if header['source'] != source:
            raise DataError(f"'{out_dir}' already holds a packing of another source ({header['source']}); "
                            'choose another folder or delete it.')
        print(f"'{out_dir}' is already packed ({header['count']} images).")
        return header
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        images = DATASETS.build(dataset)
    total = len(images)
    os.makedirs(out_dir, exist_ok=True)
    array, progress = open_array(out_dir, source, (total, scale, scale, channels))
    if progress['next']:
        print(f"Resuming: {progress['next']} of {total} images already packed.")
    loader = DataLoader(PreparedImages(images), batch_size=batch_size, sampler=range(progress['next'], total),
                        num_workers=num_workers, collate_fn=list)
    bar = ProgressBar(total - progress['next'])
    for batch in loader:
        for image in batch:
            if image is None:
                progress['skipped'] += 1
                continue
            array[progress['count']] = to_stored(image, array.shape[1:])
            progress['count'] += 1
        array.flush()  # rows on disk before the record that says they are
        progress['next'] += len(batch)
        write_json(osp.join(out_dir, PROGRESS_FILE), progress)
        bar.update(len(batch))
    print()
    del array, loader
    return finish(out_dir, source, progress)


def open_array(out_dir: str, source: dict, shape: tuple) -> tuple[np.memmap, dict]:
    """The memory map to fill and the progress record: resumed when they belong to ``source``, else new."""
    array_path, progress_path = osp.join(out_dir, ARRAY_FILE), osp.join(out_dir, PROGRESS_FILE)
    if osp.isfile(progress_path) and osp.isfile(array_path):
        with open(progress_path) as file:
            progress = json.load(file)
        if progress['source'] == source and progress['total'] == shape[0]:
            return np.load(array_path, mmap_mode='r+'), progress
    progress = dict(source=source, total=shape[0], next=0, count=0, skipped=0)
    array = np.lib.format.open_memmap(array_path, mode='w+', dtype=np.uint8, shape=shape)
    write_json(progress_path, progress)
    return array, progress


def to_stored(image: np.ndarray, shape: tuple) -> np.ndarray:
    """A pipeline image (RGB or grayscale, as every loader delivers) as a stored row of ``shape``."""
    if image.ndim == 2:
        image = image[:, :, None]
    if image.shape != tuple(shape):
        raise DataError(f'The packing pipeline produced an image of shape {image.shape}, expected {tuple(shape)}')
    return image


def finish(out_dir: str, source: dict, progress: dict) -> dict:
    """Drop the rows left unused by skipped images, then write the header and remove the progress record."""
    array_path = osp.join(out_dir, ARRAY_FILE)
    if progress['count'] == 0:
        raise DataError(f"No image of {source['dataset']} could be decoded; nothing packed.")
    shape = truncate_npy(array_path, progress['count'])
    header = dict(format=FORMAT, shape=list(shape), dtype='uint8', channel_order='rgb' if shape[3] == 3 else 'gray',
                  count=progress['count'], skipped=progress['skipped'], source=source)
    write_json(osp.join(out_dir, HEADER_FILE), header)
    os.remove(osp.join(out_dir, PROGRESS_FILE))
    print(f"Packed {header['count']} images ({header['skipped']} skipped) into {array_path}")
    return header


def truncate_npy(path: str, rows: int) -> tuple:
    """Keep the first ``rows`` rows of a C-order .npy file, in place: rewrite its shape, cut the file.

    Returns:
        The new shape.
    """
    with open(path, 'r+b') as file:
        version = np.lib.format.read_magic(file)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(file)
        offset = file.tell()
        if rows == shape[0]:
            return shape
        shape = (rows, *shape[1:])
        # Same header length (fewer digits, more padding), so the data stays where it is.
        text = f"{{'descr': '{dtype.str}', 'fortran_order': False, 'shape': {shape}, }}"
        prefix = 12 if version == (2, 0) else 10  # magic, version and the header length field
        file.seek(prefix)
        file.write(text.ljust(offset - prefix - 1).encode('latin1') + b'\n')
        file.truncate(offset + rows * int(np.prod(shape[1:])) * dtype.itemsize)
    return shape
