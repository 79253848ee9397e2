"""tools/download.py (and dcgan_mm.apis.download_model) against a model index whose weights are served from 127.0.0.1.

One run is the real command; the others call the tool in-process, which
saves the seconds of importing torch and mmengine again.
"""
import hashlib
import importlib.util
import subprocess
import sys

import pytest

from dcgan_mm.apis import download_model
from tests.conftest import REPO_ROOT

spec = importlib.util.spec_from_file_location('download_tool', REPO_ROOT / 'tools' / 'download.py')
download_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(download_tool)


@pytest.fixture
def zoo(served, tmp_path):
    """(model-index.yml, served folder, requested paths, {name: file name}) of a two-model zoo on 127.0.0.1.

    The files of `dcgan_tiny` and `dcgan_other` match the sha256 prefix in their
    names; `dcgan_tampered`'s does not.
    """
    root, url, requested = served
    files = {}
    for name in ('dcgan_tiny', 'dcgan_other'):
        payload = f'weights of {name}'.encode()
        files[name] = f'{name}-{hashlib.sha256(payload).hexdigest()[:8]}.pth'
        (root / files[name]).write_bytes(payload)
    files['dcgan_tampered'] = 'dcgan_tampered-deadbeef.pth'
    (root / files['dcgan_tampered']).write_bytes(b'not what was published')
    (tmp_path / 'configs').mkdir()
    entries = [f'- Name: {name}\n  Config: configs/{name}-16x16.py\n  Weights: {url}/{file}\n'
               for name, file in files.items()]
    (tmp_path / 'configs' / 'metafile.yml').write_text('Models:\n' + ''.join(entries))
    index = tmp_path / 'model-index.yml'
    index.write_text('Import:\n- configs/metafile.yml\n')
    return str(index), root, requested, files


def run_in_process(capsys, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the tool called in-process."""
    try:
        download_tool.main(list(args))
        code = 0
    except SystemExit as exit_info:
        code = exit_info.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_models_are_downloaded_by_name_or_config_name_then_found_in_place(zoo, tmp_path, capsys):
    index, root, requested, files = zoo
    dest = tmp_path / 'dest'
    result = subprocess.run([sys.executable, 'tools/download.py', 'dcgan_tiny', 'dcgan_other-16x16', '--dest',
                             str(dest), '--model-index', index], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == [f'dcgan_tiny: {dest / files["dcgan_tiny"]}',
                                          f'dcgan_other: {dest / files["dcgan_other"]}']
    assert 'Downloading http://127.0.0.1' in result.stderr  # the progress goes to stderr, the paths to stdout
    for name in ('dcgan_tiny', 'dcgan_other'):
        assert (dest / files[name]).read_bytes() == (root / files[name]).read_bytes()
    assert sorted(requested) == sorted(f'/{files[name]}' for name in ('dcgan_other', 'dcgan_tiny'))

    code, out, _ = run_in_process(capsys, 'dcgan_tiny', '--dest', str(dest), '--model-index', index)
    assert code == 0 and out == f'dcgan_tiny: {dest / files["dcgan_tiny"]}\n'
    assert len(requested) == 2  # already there and matching its hash: no request


def test_file_that_does_not_match_its_hash_is_refused_and_not_kept(zoo, tmp_path, capsys):
    index, _, requested, files = zoo
    dest = tmp_path / 'dest'
    code, out, err = run_in_process(capsys, 'dcgan_tampered', '--dest', str(dest), '--model-index', index,
                                    '--no-progress')
    assert code == 1 and out == ''
    assert 'does not match the sha256 prefix deadbeef' in err and 'has been removed' in err
    assert 'Traceback' not in err
    assert requested == [f'/{files["dcgan_tampered"]}'] and list(dest.iterdir()) == []


def test_unknown_name_lists_the_valid_names_and_downloads_nothing(zoo, tmp_path, capsys):
    index, _, requested, _ = zoo
    code, out, err = run_in_process(capsys, 'dcgan_tiny', 'tiny_dcgan', '--dest', str(tmp_path / 'dest'),
                                    '--model-index', index)
    assert code == 1 and out == ''
    assert "'tiny_dcgan' is not a model of the model zoo. Did you mean 'dcgan_tiny'?" in err
    assert 'Valid names: dcgan_tiny, dcgan_other, dcgan_tampered.' in err and 'Traceback' not in err
    assert requested == [] and not (tmp_path / 'dest').exists()  # every name is checked before any download

    code, _, err = run_in_process(capsys, '--model-index', index)
    assert code == 1 and 'Name the models to download, or pass --all. Valid names: dcgan_tiny' in err


def test_list_shows_every_model_with_its_config_and_weights(zoo, tmp_path, capsys):
    index, _, requested, files = zoo
    code, out, _ = run_in_process(capsys, '--list', '--model-index', index)
    assert code == 0 and requested == []
    for name, file in files.items():
        assert f'{name}\n  config:  {tmp_path / "configs" / name}-16x16.py\n  weights: http://' in out
        assert f'/{file}\n' in out


def test_download_model_api_returns_the_local_path(zoo, tmp_path):
    index, root, requested, files = zoo
    path = download_model('dcgan_other', dest=str(tmp_path / 'dest'), progress=False, index=index)
    assert path == str(tmp_path / 'dest' / files['dcgan_other'])
    assert open(path, 'rb').read() == (root / files['dcgan_other']).read_bytes()
    assert download_model('dcgan_other', dest=str(tmp_path / 'dest'), progress=False, index=index) == path
    assert requested == [f'/{files["dcgan_other"]}']
