"""LSUNDataset: JPEG and WebP values straight from an lmdb, in the main process and in workers."""
import pickle

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from torch.utils.data import DataLoader

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS
from tests.test_datasets.tiny_data import lsun_values, write_lmdb

PIPELINE = [dict(type='LoadImage'), dict(type='PackGANInputs')]


def build(root, **kwargs):
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        return DATASETS.build(dict(type='LSUNDataset', data_root=str(root), pipeline=PIPELINE, **kwargs))


def rgb_tensor(bgr: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(bgr[:, :, ::-1].transpose(2, 0, 1)))


@pytest.fixture
def lsun(tmp_path):
    values, decoded = lsun_values()
    return write_lmdb(tmp_path / 'bedroom_train_lmdb', values), decoded


def test_jpeg_and_webp_values_decode_to_their_images_in_key_order(lsun):
    root, decoded = lsun
    dataset = build(root)
    assert len(dataset) == 5
    for index, key in enumerate(sorted(decoded)):
        assert torch.equal(dataset[index]['inputs'], rgb_tensor(decoded[key]))


def test_works_in_forked_and_pickled_workers_after_use_in_the_main_process(lsun):
    root, decoded = lsun
    dataset = build(root)
    first = dataset[0]['inputs']  # opens the environment in this process
    loader = DataLoader(dataset, batch_size=5, num_workers=2)
    batch = next(iter(loader))['inputs']
    assert torch.equal(batch[0], first)
    assert torch.equal(batch, torch.stack([rgb_tensor(decoded[key]) for key in sorted(decoded)]))
    spawned = DataLoader(dataset, batch_size=5, num_workers=1, multiprocessing_context='spawn')
    assert torch.equal(next(iter(spawned))['inputs'], batch)  # the dataset went there pickled


def test_pickles_without_its_open_environment(lsun):
    dataset = build(lsun[0])
    dataset[0]
    clone = pickle.loads(pickle.dumps(dataset))
    assert clone.env._value is None and clone.env.opener.args == dataset.env.opener.args


def test_a_corrupt_value_is_skipped(tmp_path):
    values, _ = lsun_values()
    key = sorted(values)[1]
    values[key] = values[key][:40]
    dataset = build(write_lmdb(tmp_path / 'db', values))
    assert all(dataset[index]['inputs'].shape == (3, 24, 24) for index in range(len(dataset)))


def test_a_key_list_selects_images(lsun, tmp_path):
    root, decoded = lsun
    keys = sorted(decoded)[3:]
    (tmp_path / 'keys.txt').write_bytes(b'\n'.join(keys) + b'\n')
    dataset = build(root, ann_file='keys.txt')  # beside the lmdb folder
    assert len(dataset) == 2 and torch.equal(dataset[1]['inputs'], rgb_tensor(decoded[keys[1]]))


def test_missing_or_empty_lmdb_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match='does not exist.*docs/datasets.md'):
        build(tmp_path / 'missing_lmdb')
    with pytest.raises(DataError, match='holds no images'):
        build(write_lmdb(tmp_path / 'empty_lmdb', {}))
