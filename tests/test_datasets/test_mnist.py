"""MNISTDataset and FashionMNISTDataset from idx files, plain or gzipped, in either layout."""
import numpy as np
import pytest
from mmengine.registry import DefaultScope

from dcgan_mm.datasets.mnist import read_idx
from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS
from tests.test_datasets.tiny_data import smooth_images, write_idx

PIPELINE = [dict(type='Resize', scale=(32, 32), keep_ratio=False, interpolation='bilinear'),
            dict(type='PackGANInputs')]


def build(dataset_type, root, **kwargs):
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        return DATASETS.build(dict(type=dataset_type, data_root=str(root), pipeline=PIPELINE, **kwargs))


@pytest.mark.parametrize('gz', [False, True])
def test_read_idx_round_trips(tmp_path, gz):
    images = smooth_images(3, 28, channels=1)
    path = write_idx(tmp_path / 'train-images-idx3-ubyte', images, gz=gz)
    np.testing.assert_array_equal(read_idx(str(path)), images)


def test_mnist_in_data_root_and_fashion_mnist_in_torchvision_layout(tmp_path):
    train, test = smooth_images(5, 28, channels=1), smooth_images(2, 28, channels=1, seed=1)
    write_idx(tmp_path / 'mnist' / 'train-images-idx3-ubyte', train)
    write_idx(tmp_path / 'mnist' / 't10k-images-idx3-ubyte', test, gz=True)
    write_idx(tmp_path / 'torchvision' / 'FashionMNIST' / 'raw' / 'train-images-idx3-ubyte', train, gz=True)

    mnist = build('MNISTDataset', tmp_path / 'mnist')
    assert len(mnist) == 5 and mnist[0]['inputs'].shape == (1, 32, 32)
    np.testing.assert_array_equal(mnist.get_data_info(4)['img'], train[4])
    mnist_test = build('MNISTDataset', tmp_path / 'mnist', split='test')
    np.testing.assert_array_equal(mnist_test.get_data_info(1)['img'], test[1])
    fashion = build('FashionMNISTDataset', tmp_path / 'torchvision')
    np.testing.assert_array_equal(fashion.get_data_info(2)['img'], train[2])
    assert len(build('MNISTDataset', tmp_path / 'mnist', indices=[1, 3])) == 2


def test_missing_truncated_or_foreign_files_are_clear_errors(tmp_path):
    with pytest.raises(DataError, match='MNIST/raw/train-images-idx3-ubyte.gz.*docs/datasets.md'):
        build('MNISTDataset', tmp_path)
    path = write_idx(tmp_path / 'train-images-idx3-ubyte', smooth_images(3, 28, channels=1))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataError, match='truncated'):
        build('MNISTDataset', tmp_path)
    path.write_bytes(b'\x89PNG not idx')
    with pytest.raises(DataError, match='not an idx file'):
        build('MNISTDataset', tmp_path)
    with pytest.raises(ValueError, match='split'):
        build('MNISTDataset', tmp_path, split='val')
