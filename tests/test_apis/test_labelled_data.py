import pickle

import numpy as np
import pytest

from dcgan_mm.apis.labelled_data import load_labelled, subset, to_model_input
from dcgan_mm.errors import DataError


def test_digits_split_is_stratified_seeded_and_scaled_to_0_255():
    x_train, y_train, x_test, y_test = load_labelled('digits', seed=0, test_fraction=0.25)
    assert x_train.shape == (1347, 1, 8, 8) and x_test.shape == (450, 1, 8, 8) and x_train.dtype == np.uint8
    assert x_train.max() == 255 and set(np.unique(y_test)) == set(range(10))
    assert np.array_equal(load_labelled('digits', seed=0)[3], y_test)
    assert not np.array_equal(load_labelled('digits', seed=1)[3], y_test)


def write_cifar(root, rng):
    root.mkdir()
    for name in [f'data_batch_{i}' for i in range(1, 6)] + ['test_batch']:
        batch = {b'data': rng.integers(0, 256, (3, 3072), dtype=np.uint8), b'labels': [1, 2, 3]}
        with open(root / name, 'wb') as file:
            pickle.dump(batch, file)


def test_cifar10_reads_the_python_batches_as_rgb_nchw(tmp_path):
    rng = np.random.default_rng(0)
    write_cifar(tmp_path / 'cifar-10-batches-py', rng)
    x_train, y_train, x_test, y_test = load_labelled('cifar10', str(tmp_path))
    assert x_train.shape == (15, 3, 32, 32) and x_test.shape == (3, 3, 32, 32)
    with open(tmp_path / 'cifar-10-batches-py' / 'test_batch', 'rb') as file:
        raw = pickle.load(file)[b'data']
    # Each row is 1024 red, then 1024 green, then 1024 blue values, row-major.
    assert np.array_equal(x_test[1, 2].reshape(-1), raw[1, 2048:])
    assert list(y_train[:3]) == [1, 2, 3]


def test_a_cifar_batch_that_would_run_code_is_refused(tmp_path):
    write_cifar(tmp_path / 'cifar', np.random.default_rng(0))
    with open(tmp_path / 'cifar' / 'data_batch_1', 'wb') as file:
        pickle.dump({b'data': print, b'labels': []}, file)
    with pytest.raises(DataError, match='refusing to load builtins.print'):
        load_labelled('cifar10', str(tmp_path / 'cifar'))


def test_svhn_reads_the_mat_files_and_maps_label_10_to_0(tmp_path):
    from scipy.io import savemat
    images = np.random.default_rng(0).integers(0, 256, (32, 32, 3, 4), dtype=np.uint8)
    for name in ('train_32x32.mat', 'test_32x32.mat'):
        savemat(tmp_path / name, {'X': images, 'y': np.array([[10], [1], [9], [10]], dtype=np.uint8)})
    x_train, y_train, _, _ = load_labelled('svhn', str(tmp_path))
    assert x_train.shape == (4, 3, 32, 32) and list(y_train) == [0, 1, 9, 0]
    assert np.array_equal(x_train[2, 1], images[:, :, 1, 2])


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match='train_32x32.mat'):
        load_labelled('svhn', str(tmp_path))
    with pytest.raises(DataError, match='not a folder'):
        load_labelled('cifar10', None)


def test_images_are_fitted_to_the_model_and_subsets_are_seeded():
    gray = np.full((2, 1, 8, 8), 200, dtype=np.uint8)
    assert to_model_input(gray, 16, 3).shape == (2, 3, 16, 16)
    rgb = np.zeros((2, 3, 32, 32), dtype=np.uint8)
    rgb[:, 1] = 100
    out = to_model_input(rgb, 16, 1)
    assert out.shape == (2, 1, 16, 16) and out.max() == round(0.587 * 100)
    x, y = subset(np.arange(10), np.arange(10), 4, seed=0)
    assert len(x) == 4 and np.array_equal(x, subset(np.arange(10), np.arange(10), 4, seed=0)[0])
