import hashlib

import pytest

from dcgan_mm.checkpoint.download import cache_dir, download_checkpoint, expected_hash
from dcgan_mm.errors import CheckpointError


def test_hash_prefix_is_read_from_openmmlab_names():
    assert expected_hash('dcgan_mnist-64_b128x1_Glr4e-4_Dlr1e-4_5k_20210512_163926-207a1eaf.pth') == '207a1eaf'
    assert expected_hash('iter_100.pth') is None


def test_download_with_matching_hash_is_cached(served, tmp_path):
    root, url, _ = served
    payload = b'checkpoint bytes'
    name = f'model-{hashlib.sha256(payload).hexdigest()[:8]}.pth'
    (root / name).write_bytes(payload)
    cache = tmp_path / 'cache'
    path = download_checkpoint(f'{url}/{name}', str(cache), progress=False)
    assert open(path, 'rb').read() == payload
    (root / name).unlink()  # a second call must not need the server
    assert download_checkpoint(f'{url}/{name}', str(cache), progress=False) == path


def test_download_with_mismatching_hash_is_refused_and_removed(served, tmp_path):
    root, url, _ = served
    (root / 'model-deadbeef.pth').write_bytes(b'tampered')
    cache = tmp_path / 'cache'
    with pytest.raises(CheckpointError, match='does not match the sha256 prefix deadbeef'):
        download_checkpoint(f'{url}/model-deadbeef.pth', str(cache), progress=False)
    assert list(cache.iterdir()) == []


def test_unreachable_url_is_a_clear_error(served, tmp_path):
    _, url, _ = served
    with pytest.raises(CheckpointError, match='Could not download'):
        download_checkpoint(f'{url}/missing-12345678.pth', str(tmp_path / 'cache'), progress=False)


def test_cache_dir_follows_dcgan_mm_home(monkeypatch, tmp_path):
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    assert cache_dir() == str(tmp_path / 'home' / 'checkpoints')


def test_progress_goes_to_stderr_and_names_the_destination(served, tmp_path, capsys):
    root, url, _ = served
    payload = b'weights' * 1000
    name = f'model-{hashlib.sha256(payload).hexdigest()[:8]}.pth'
    (root / name).write_bytes(payload)
    path = download_checkpoint(f'{url}/{name}', str(tmp_path / 'cache'), progress=True)
    captured = capsys.readouterr()
    assert captured.out == ''  # stdout stays free for what the tools print (paths, metrics)
    assert f'Downloading {url}/{name} to {path}' in captured.err and '1/1' in captured.err


def test_corrupt_cached_file_is_downloaded_again(served, tmp_path):
    root, url, _ = served
    payload = b'checkpoint bytes'
    name = f'model-{hashlib.sha256(payload).hexdigest()[:8]}.pth'
    (root / name).write_bytes(payload)
    cache = tmp_path / 'cache'
    cache.mkdir()
    (cache / name).write_bytes(b'truncated')
    path = download_checkpoint(f'{url}/{name}', str(cache), progress=False)
    assert open(path, 'rb').read() == payload


def test_url_without_a_file_name_is_refused(tmp_path):
    with pytest.raises(CheckpointError, match='names no file'):
        download_checkpoint('http://127.0.0.1:1/models/', str(tmp_path / 'cache'), progress=False)
