"""Labelled image sets for the linear probe: scikit-learn's digits, CIFAR-10 and SVHN from local files.

Every loader returns ``(train_images, train_labels, test_images, test_labels)``:
uint8 (N, C, H, W) RGB or grayscale numpy arrays at the dataset's own size, and
int64 labels; :func:`to_model_input` then fits them to a discriminator.
"""
import os.path as osp

import mmcv
import numpy as np

from dcgan_mm.datasets.cifar import read_cifar_batch
from dcgan_mm.errors import DataError

DATASETS = ('digits', 'cifar10', 'svhn')
CIFAR_TRAIN = [f'data_batch_{index}' for index in range(1, 6)]
CIFAR_TEST = ['test_batch']
# ITU-R BT.601 luma, OpenCV's RGB -> gray weights.
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)

Split = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def load_labelled(name: str, data_root: str | None = None, seed: int = 0, test_fraction: float = 0.25) -> Split:
    """Load a labelled dataset by name ('digits', 'cifar10' or 'svhn').

    Args:
        name: Dataset name.
        data_root: Folder of the CIFAR-10 python batches or the SVHN ``.mat`` files.
        seed: Seed of the digits' train/test split (CIFAR-10 and SVHN have official splits).
        test_fraction: Share of the digits held out for testing (stratified by class).
    """
    if name == 'digits':
        return load_digits_split(seed, test_fraction)
    if name not in DATASETS:
        raise ValueError(f"unknown dataset '{name}': choose one of {', '.join(DATASETS)}")
    if not data_root or not osp.isdir(data_root):
        raise DataError(f"--data-root '{data_root}' is not a folder: {name} must be downloaded by hand "
                        f'({CIFAR_HINT if name == "cifar10" else SVHN_HINT})')
    return load_cifar10(data_root) if name == 'cifar10' else load_svhn(data_root)


def load_digits_split(seed: int, test_fraction: float) -> Split:
    """scikit-learn's 1,797 8x8 digits, values 0-16 scaled to 0-255 as ``DigitsDataset`` does."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)[:, None]
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(images, labels, test_size=test_fraction, random_state=seed,
                                                        stratify=labels)
    return x_train, y_train, x_test, y_test


CIFAR_HINT = 'the python version, https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz, extracted'
SVHN_HINT = 'train_32x32.mat and test_32x32.mat from http://ufldl.stanford.edu/housenumbers/'


def load_cifar10(data_root: str) -> Split:
    """CIFAR-10's python batches (``data_batch_1..5``, ``test_batch``) in ``data_root``
    or in its ``cifar-10-batches-py`` sub-folder."""
    if osp.isdir(osp.join(data_root, 'cifar-10-batches-py')):
        data_root = osp.join(data_root, 'cifar-10-batches-py')

    def read(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        images, labels = [], []
        for name in names:
            path = osp.join(data_root, name)
            if not osp.isfile(path):
                raise DataError(f"CIFAR-10 batch '{path}' is missing: --data-root must hold {CIFAR_HINT}")
            batch_images, batch_labels = read_cifar_batch(path)
            images.append(batch_images.transpose(0, 3, 1, 2))  # NHWC -> NCHW
            labels.append(batch_labels)
        return np.concatenate(images), np.concatenate(labels)

    return (*read(CIFAR_TRAIN), *read(CIFAR_TEST))


def load_svhn(data_root: str) -> Split:
    """SVHN's cropped digits, ``train_32x32.mat`` and ``test_32x32.mat``; label 10 is the digit 0."""
    from scipy.io import loadmat

    def read(name: str) -> tuple[np.ndarray, np.ndarray]:
        path = osp.join(data_root, name)
        if not osp.isfile(path):
            raise DataError(f"SVHN file '{path}' is missing: --data-root must hold {SVHN_HINT}")
        try:
            mat = loadmat(path)
            images = np.ascontiguousarray(mat['X'].transpose(3, 2, 0, 1), dtype=np.uint8)  # HWCN -> NCHW
            labels = mat['y'].reshape(-1).astype(np.int64) % 10
        except (KeyError, ValueError, OSError) as error:
            raise DataError(f"'{path}' is not an SVHN .mat file: {error}") from error
        return images, labels

    return (*read('train_32x32.mat'), *read('test_32x32.mat'))


def subset(images: np.ndarray, labels: np.ndarray, num: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random ``num`` of the samples (all when None or larger)."""
    if num is None or num >= len(images):
        return images, labels
    keep = np.sort(np.random.default_rng(seed).permutation(len(images))[:num])
    return images[keep], labels[keep]


def to_model_input(images: np.ndarray, scale: int, channels: int) -> np.ndarray:
    """Resize uint8 NCHW images to ``scale`` (bilinear, as the training pipelines' ``Resize``)
    and convert them to ``channels`` (gray <-> RGB)."""
    if images.shape[1] == 3 and channels == 1:
        images = np.round(np.einsum('nchw,c->nhw', images.astype(np.float32), LUMA))[:, None].astype(np.uint8)
    elif images.shape[1] == 1 and channels == 3:
        images = images.repeat(3, axis=1)
    elif images.shape[1] != channels:
        raise ValueError(f'cannot turn {images.shape[1]}-channel images into {channels}-channel ones')
    if images.shape[2:] == (scale, scale):
        return images
    resized = [mmcv.imresize(image.transpose(1, 2, 0), (scale, scale), interpolation='bilinear') for image in images]
    return np.stack([image.reshape(scale, scale, -1).transpose(2, 0, 1) for image in resized])
