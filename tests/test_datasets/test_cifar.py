"""CIFAR10Dataset from the python pickle batches."""
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS
from tests.test_datasets.tiny_data import write_cifar


def build(root, pipeline=(dict(type='PackGANInputs'),), **kwargs):
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        return DATASETS.build(dict(type='CIFAR10Dataset', data_root=str(root), pipeline=list(pipeline), **kwargs))


def test_train_and_test_splits_reach_the_model_in_rgb(tmp_path):
    train, test = write_cifar(tmp_path)
    dataset = build(tmp_path)
    assert len(dataset) == 10 and len(build(tmp_path / 'cifar-10-batches-py', split='test')) == 2
    expected = torch.from_numpy(np.ascontiguousarray(train[7].transpose(2, 0, 1)))
    assert torch.equal(dataset[7]['inputs'], expected)
    np.testing.assert_array_equal(dataset.get_data_info(7)['img'], train[7])  # RGB, as stored, into the pipeline
    np.testing.assert_array_equal(build(tmp_path, split='test').get_data_info(1)['img'], test[1])


def test_missing_batches_and_code_in_pickles_are_refused(tmp_path):
    with pytest.raises(DataError, match='data_batch_1.*docs/datasets.md'):
        build(tmp_path)
    write_cifar(tmp_path)

    class Exploit:
        def __reduce__(self):
            return os.system, ('echo pwned',)

    with open(tmp_path / 'cifar-10-batches-py' / 'data_batch_3', 'wb') as file:
        pickle.dump({b'data': Exploit()}, file)
    with pytest.raises(DataError, match='refusing to load'):
        build(tmp_path)
