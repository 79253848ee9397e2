"""The packer: pixel-exact against decoding and resizing, skips corrupt images, resumes where it stopped."""
import json

import cv2
import numpy as np
import pytest

from dcgan_mm.datasets.preparation import packer as packing
from dcgan_mm.datasets.preparation.packer import pack_dataset, source_dataset, truncate_npy
from dcgan_mm.errors import DataError
from tests.conftest import write_images
from tests.test_datasets.tiny_data import smooth_images, write_cifar, write_idx


@pytest.fixture
def folder(tmp_path):
    """Five PNGs and three JPEGs of 20x20, and one truncated JPEG (sorted seventh)."""
    root = tmp_path / 'images'
    write_images(root, 5, size=20)
    write_images(root / 'jpg', 3, size=20, extension='.jpg', seed=1)
    content = (root / 'jpg' / '0000.jpg').read_bytes()
    (root / 'jpg' / '0000_truncated.jpg').write_bytes(content[:len(content) // 2])
    return root


def decoded_and_resized(paths, size: int) -> np.ndarray:
    """What OpenCV makes of the files: decoded, bilinear-resized, in RGB."""
    images = [cv2.resize(cv2.imread(str(path), cv2.IMREAD_COLOR), (size, size), interpolation=cv2.INTER_LINEAR)
              for path in paths]
    return np.stack(images)[..., ::-1]


def test_packed_pixels_equal_the_decoded_and_resized_originals(folder, tmp_path):
    header = pack_dataset(source_dataset('folder', str(folder), 16), str(tmp_path / 'out'), 16, num_workers=2,
                          batch_size=3)
    valid = sorted(p for p in folder.rglob('*.*') if 'truncated' not in p.name)
    packed = np.load(tmp_path / 'out' / 'images.npy')
    assert packed.shape == (8, 16, 16, 3) and packed.dtype == np.uint8
    np.testing.assert_array_equal(packed, decoded_and_resized(valid, 16))
    on_disk = json.loads((tmp_path / 'out' / 'images.json').read_text())
    assert on_disk == header
    assert header['shape'] == [8, 16, 16, 3] and header['count'] == 8 and header['skipped'] == 1
    assert header['channel_order'] == 'rgb' and header['source']['dataset']['data_root'] == str(folder)
    assert not (tmp_path / 'out' / 'progress.json').exists()


def test_an_interrupted_packing_resumes_without_redoing_finished_batches(folder, tmp_path, monkeypatch):
    out, dataset = tmp_path / 'out', source_dataset('folder', str(folder), 16)
    calls = []

    class Interrupt(packing.ProgressBar):
        def update(self, num_tasks: int = 1):
            calls.append(num_tasks)
            if len(calls) == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(packing, 'ProgressBar', Interrupt)
    with pytest.raises(KeyboardInterrupt):
        pack_dataset(dataset, str(out), 16, batch_size=3)
    progress = json.loads((out / 'progress.json').read_text())
    assert (progress['next'], progress['count'], progress['skipped']) == (6, 6, 0)  # two batches of 3
    with pytest.raises(DataError, match='interrupted.*resumes'):
        packing.read_header(str(out))

    loaded = []
    original = packing.PreparedImages.__getitem__
    monkeypatch.setattr(packing.PreparedImages, '__getitem__', lambda self, i: loaded.append(i) or original(self, i))
    header = pack_dataset(dataset, str(out), 16, batch_size=3)
    assert loaded == [6, 7, 8]
    valid = sorted(p for p in folder.rglob('*.*') if 'truncated' not in p.name)
    np.testing.assert_array_equal(np.load(out / 'images.npy'), decoded_and_resized(valid, 16))
    assert header['count'] == 8 and header['skipped'] == 1

    loaded.clear()
    assert pack_dataset(dataset, str(out), 16) == header and loaded == []  # complete: nothing to do
    with pytest.raises(DataError, match='another source'):
        pack_dataset(dataset, str(out), 32)


def test_mnist_packs_to_one_channel(tmp_path):
    images = smooth_images(5, 28, channels=1)
    write_idx(tmp_path / 'mnist' / 'MNIST' / 'raw' / 'train-images-idx3-ubyte', images, gz=True)
    header = pack_dataset(source_dataset('mnist', str(tmp_path / 'mnist'), 32), str(tmp_path / 'out'), 32, 1)
    expected = np.stack([cv2.resize(image, (32, 32), interpolation=cv2.INTER_LINEAR) for image in images])
    np.testing.assert_array_equal(np.load(tmp_path / 'out' / 'images.npy')[..., 0], expected)
    assert header['channel_order'] == 'gray'


def test_cifar_packs_in_rgb(tmp_path):
    train, _ = write_cifar(tmp_path / 'cifar10')
    pack_dataset(source_dataset('cifar10', str(tmp_path / 'cifar10'), 32), str(tmp_path / 'out'), 32)
    np.testing.assert_array_equal(np.load(tmp_path / 'out' / 'images.npy'), train)


def test_truncate_npy_keeps_a_valid_npy_file(tmp_path):
    path = tmp_path / 'a.npy'
    array = np.lib.format.open_memmap(path, mode='w+', dtype=np.uint8, shape=(1000, 2, 3))
    array[:] = np.arange(6000).reshape(1000, 2, 3) % 251
    array.flush()
    del array
    assert truncate_npy(str(path), 7) == (7, 2, 3)
    np.testing.assert_array_equal(np.load(path), (np.arange(6000).reshape(1000, 2, 3) % 251)[:7])
    assert path.stat().st_size == 128 + 7 * 6
