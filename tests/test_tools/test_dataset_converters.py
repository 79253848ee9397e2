"""tools/dataset_converters: each converts small real-format files and resumes without redoing work."""
import json
import runpy
import sys

import cv2
import numpy as np
import pytest

from dcgan_mm.datasets.preparation.converters import crop_celeba
from tests.conftest import REPO_ROOT
from tests.test_datasets.tiny_data import lsun_values, smooth_images, write_idx, write_lmdb

TOOLS = REPO_ROOT / 'tools' / 'dataset_converters'


def run_tool(name: str, *args, monkeypatch, capsys) -> str:
    """Run a converter in this process (as ``python tools/dataset_converters/NAME ARGS``); return its stdout."""
    monkeypatch.setattr(sys, 'argv', [name, *map(str, args)])
    runpy.run_path(str(TOOLS / name), run_name='__main__')
    return capsys.readouterr().out


def mtimes(folder) -> dict:
    return {path.name: path.stat().st_mtime_ns for path in folder.rglob('*') if path.is_file()}


def test_celeba_crop_takes_pggans_box_and_resumes(tmp_path, monkeypatch, capsys):
    src, out = tmp_path / 'img_align_celeba', tmp_path / 'cropped'
    src.mkdir()
    faces = smooth_images(3, 218, seed=2)[:, :, 20:198]  # 218 high, 178 wide, as CelebA aligned
    for index, face in enumerate(faces):
        cv2.imwrite(str(src / f'{index + 1:06d}.jpg'), face)
    (src / '000004.jpg').write_bytes(b'\xff\xd8 truncated')
    stdout = run_tool('celeba_crop.py', src, out, monkeypatch=monkeypatch, capsys=capsys)
    assert 'skipped' in stdout and '000004.jpg' in stdout
    for index in range(3):
        decoded = cv2.imread(str(src / f'{index + 1:06d}.jpg'))
        np.testing.assert_array_equal(cv2.imread(str(out / f'{index + 1:06d}.png')), decoded[57:185, 25:153])

    (out / '000002.png').unlink()
    kept = mtimes(out)
    stdout = run_tool('celeba_crop.py', src, out, monkeypatch=monkeypatch, capsys=capsys)
    assert '2 of 4 outputs already exist; converting 2' in stdout
    assert {name: stamp for name, stamp in mtimes(out).items() if name in kept} == kept
    assert (out / '000002.png').is_file()
    assert crop_celeba(str(src), str(tmp_path / 'small'), size=64) and \
        cv2.imread(str(tmp_path / 'small' / '000001.png')).shape == (64, 64, 3)


def test_mnist_to_images_writes_resized_pngs_and_resumes(tmp_path, monkeypatch, capsys):
    digits = smooth_images(5, 28, channels=1)
    write_idx(tmp_path / 'mnist' / 'MNIST' / 'raw' / 'train-images-idx3-ubyte', digits, gz=True)
    out = tmp_path / 'mnist_64' / 'train'
    run_tool('mnist_to_images.py', tmp_path / 'mnist', out, monkeypatch=monkeypatch, capsys=capsys)
    written = cv2.imread(str(out / '3.png'), cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(written, cv2.resize(digits[3], (64, 64), interpolation=cv2.INTER_LINEAR))
    (out / '1.png').unlink()
    stdout = run_tool('mnist_to_images.py', tmp_path / 'mnist', out, monkeypatch=monkeypatch, capsys=capsys)
    assert '4 of 5 outputs already exist' in stdout and '(1 written in this run)' in stdout


def test_lsun_to_images_exports_the_bytes_unchanged_and_lists_keys(tmp_path, monkeypatch, capsys):
    values, _ = lsun_values()
    db = write_lmdb(tmp_path / 'bedroom_train_lmdb', values)
    out, keys = tmp_path / 'images', tmp_path / 'keys.txt'
    stdout = run_tool('lsun_to_images.py', db, out, '--list-keys', keys, '--limit', 4,
                      monkeypatch=monkeypatch, capsys=capsys)
    assert '(4 written in this run)' in stdout
    assert keys.read_bytes().split() == sorted(values)
    for index, key in enumerate(sorted(values)[:4]):
        name = key.decode()
        path = out / name[:2] / (name + ('.jpg' if index < 3 else '.webp'))
        assert path.read_bytes() == values[key]
    stdout = run_tool('lsun_to_images.py', db, out, monkeypatch=monkeypatch, capsys=capsys)
    assert '(1 written in this run)' in stdout


def test_pack_images_packs_once_and_reports_errors_without_traceback(tmp_path, monkeypatch, capsys):
    write_idx(tmp_path / 'fashion' / 'train-images-idx3-ubyte', smooth_images(4, 28, channels=1))
    out = tmp_path / 'packed'
    run_tool('pack_images.py', tmp_path / 'fashion', out, '--kind', 'fashion-mnist', '--size', 32, '--workers', 0,
             monkeypatch=monkeypatch, capsys=capsys)
    header = json.loads((out / 'images.json').read_text())
    assert header['shape'] == [4, 32, 32, 1] and header['source']['dataset']['type'] == 'FashionMNISTDataset'
    stdout = run_tool('pack_images.py', tmp_path / 'fashion', out, '--kind', 'fashion-mnist', '--size', 32,
                      monkeypatch=monkeypatch, capsys=capsys)
    assert 'already packed (4 images)' in stdout
    with pytest.raises(SystemExit) as exit_info:
        run_tool('pack_images.py', tmp_path / 'nothing', tmp_path / 'out2', monkeypatch=monkeypatch, capsys=capsys)
    assert exit_info.value.code == 1
    assert 'does not exist' in capsys.readouterr().err
