"""LSUN straight from its official lmdb export: keys are image ids, values encoded JPEG/WebP bytes."""
import functools
import operator
import os.path as osp

import numpy as np

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS

from .compact import CompactDataset
from .image_folder import DATASETS_DOC
from .per_process import PerProcessHandle


def open_lmdb(path: str):
    """Open an lmdb environment (a folder holding data.mdb, or the file itself) for reading only.

    ``lock=False``: nothing writes while we train, and readers need no lock
    file (the folder may be read-only). ``readahead=False``: random access
    to a database larger than RAM; reading ahead would evict useful pages.
    """
    try:
        import lmdb
    except ImportError as error:
        raise ImportError("Reading LSUN's lmdb needs the lmdb package: pip install lmdb "
                          "(or pip install -e '.[lmdb]')") from error
    try:
        return lmdb.open(path, subdir=osp.isdir(path), readonly=True, lock=False, readahead=False, meminit=False,
                         max_readers=1024)
    except lmdb.Error as error:
        raise DataError(f"Cannot open the lmdb database '{path}': {error}. See {DATASETS_DOC}.") from error


def read_lmdb_keys(path: str) -> list[bytes]:
    """Every key of the lmdb at ``path``, in the database's (sorted) order."""
    env = open_lmdb(path)
    try:
        with env.begin(write=False) as txn:
            return list(txn.cursor().iternext(keys=True, values=False))
    finally:
        env.close()  # forked workers must not inherit an open environment


@DATASETS.register_module()
class LSUNDataset(CompactDataset):
    """The images of one LSUN lmdb (e.g. ``bedroom_train_lmdb``), decoded by the pipeline.

    Each sample starts as ``{'img_bytes': encoded image, 'img_path':
    'data_root/KEY'}``; ``LoadImage`` decodes it (and skips a corrupt one). The
    environment is opened read-only, lazily, once per process, so the dataset
    works with DataLoader workers (fork or spawn). Listing the 3 million keys
    of LSUN-Bedroom takes a while at start-up; ``ann_file`` can list them
    instead (one key per line, ``lsun_to_images.py --list-keys`` writes it).

    Args:
        data_root: The lmdb folder (holding ``data.mdb``) or the ``data.mdb`` file.
        ann_file: Optional text file of the keys to use, one per line (relative to ``data_root``'s parent
            when not absolute).
        pipeline: Transforms applied to every sample; starts with ``LoadImage``.
        **kwargs: Passed to mmengine's ``BaseDataset``.
    """

    def __init__(self, data_root: str, ann_file: str = '', pipeline: list = (), **kwargs):
        self.env = PerProcessHandle(functools.partial(open_lmdb, data_root), operator.methodcaller('close'))
        super().__init__(data_root=data_root, ann_file=ann_file, pipeline=pipeline, **kwargs)

    def _join_prefix(self) -> None:
        # BaseDataset joins ann_file below data_root; a key list sits beside the lmdb folder instead.
        if self.ann_file and not osp.isabs(self.ann_file):
            self.ann_file = osp.join(osp.dirname(osp.normpath(self.data_root)), self.ann_file)

    def load_data_list(self) -> np.ndarray:
        if not osp.exists(self.data_root):
            raise DataError(f"LSUN lmdb '{self.data_root}' does not exist. See {DATASETS_DOC} for how to get it.")
        if self.ann_file:
            if not osp.isfile(self.ann_file):
                raise DataError(f"Key list '{self.ann_file}' does not exist.")
            with open(self.ann_file, 'rb') as listing:
                keys = [line.strip() for line in listing if line.strip()]
        else:
            keys = read_lmdb_keys(self.data_root)
        if not keys:
            raise DataError(f"LSUN lmdb '{self.data_root}' holds no images. See {DATASETS_DOC}.")
        # Fixed-width bytes: one compact array (keys are ASCII ids; numpy would strip trailing NULs).
        return np.array(keys, dtype=bytes)

    def load_sample(self, key: bytes) -> dict:
        with self.env.get().begin(write=False) as txn:
            content = txn.get(key)
        return {'img_bytes': content, 'img_path': f"{self.data_root}/{key.decode('ascii', 'replace')}"}
