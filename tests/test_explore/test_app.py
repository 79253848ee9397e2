"""The gradio side without a browser: the missing extra, and images as the galleries get them."""
import importlib.util
import socket
import sys

import pytest
import torch

from dcgan_mm.errors import DataError, DcganError
from dcgan_mm.explore import Result
from dcgan_mm.explore.app import INSTALL_HINT, gallery_items, guarded, import_gradio
from tests.conftest import REPO_ROOT
from tests.test_apis.tiny import write_tiny

spec = importlib.util.spec_from_file_location('explore_tool', REPO_ROOT / 'tools' / 'explore.py')
explore_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(explore_tool)


def test_without_gradio_the_error_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, 'gradio', None)  # what `import gradio` sees when it is not installed
    with pytest.raises(DcganError, match='pip install -e'):
        import_gradio()


def test_the_tool_without_gradio_exits_with_the_pip_command(monkeypatch, tmp_path, capsys):
    config, checkpoint = write_tiny(tmp_path)
    monkeypatch.setitem(sys.modules, 'gradio', None)
    with pytest.raises(SystemExit) as exit_info:
        explore_tool.main([str(config), str(checkpoint)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1 and INSTALL_HINT in err and 'Traceback' not in err


def test_the_tool_reports_a_checkpoint_of_another_model_without_a_traceback(tmp_path, capsys):
    pytest.importorskip('gradio')
    config, _ = write_tiny(tmp_path)
    torch.save({'state_dict': {'generator.noise2feat.conv.weight': torch.zeros(3, 3)}}, tmp_path / 'other.pth')
    with pytest.raises(SystemExit) as exit_info:
        explore_tool.main([str(config), str(tmp_path / 'other.pth')])
    assert exit_info.value.code == 1 and 'does not fit this model' in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the message of a machine without CUDA')
def test_the_tool_refuses_cuda_on_a_machine_without_it(tmp_path, capsys):
    pytest.importorskip('gradio')
    config, checkpoint = write_tiny(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        explore_tool.main([str(config), str(checkpoint), '--device', 'cuda'])
    assert exit_info.value.code == 1 and 'no CUDA device; use --device cpu' in capsys.readouterr().err


@pytest.mark.parametrize('channels,shape', [(1, (5, 6)), (3, (5, 6, 3))])
def test_gallery_items_are_hw_or_hwc_arrays_captioned_by_index(channels, shape):
    images = torch.randint(0, 256, (4, channels, 5, 6), dtype=torch.uint8)
    items = gallery_items(Result(images, torch.zeros(4, 2), nrow=2))
    assert [caption for _, caption in items] == ['0', '1', '2', '3']
    assert items[2][0].shape == shape
    assert (items[2][0].reshape(5, 6, channels) == images[2].permute(1, 2, 0).numpy()).all()


def test_the_tool_on_a_busy_port_names_it_and_suggests_another(tmp_path, capsys):
    pytest.importorskip('gradio')
    config, checkpoint = write_tiny(tmp_path)
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit) as exit_info:
            explore_tool.main([str(config), str(checkpoint), '--port', str(port)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1 and 'Traceback' not in err
    assert f'Cannot serve the page on 127.0.0.1:{port}' in err and f'--port {port + 1}' in err


def test_the_tool_refuses_a_folder_as_checkpoint_and_lists_its_checkpoints(tmp_path, capsys):
    pytest.importorskip('gradio')
    config, _ = write_tiny(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        explore_tool.main([str(config), str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1 and "is a folder, not a checkpoint file (its checkpoints: tiny.pth)" in err


def fail_with(error: Exception):
    def handler(seed_text, selection):
        raise error
    return handler


@pytest.mark.parametrize('error,message', [
    (DataError('Group B is empty'), '**Error:** Group B is empty'),
    (ValueError('bad steps'), '**Error:** bad steps'),
    (IsADirectoryError(21, 'Is a directory', '/some/folder'), "**Error:** Is a directory: '/some/folder'"),
    (RuntimeError('CUDA error: out of memory'), '**Error:** unexpected RuntimeError: CUDA error: out of memory. '
                                                 'The page still works; the traceback is in the console'),
])
def test_every_error_of_a_handler_becomes_the_status_line(error, message, capsys):
    answer = guarded(fail_with(error), status='STATUS')('3', None)
    assert list(answer) == ['STATUS'] and answer['STATUS'].startswith(message)
    printed = capsys.readouterr().err
    user_error = isinstance(error, (DcganError, ValueError))
    assert ('Traceback' in printed) != user_error  # the console keeps the trace of a bug, not of a typo

