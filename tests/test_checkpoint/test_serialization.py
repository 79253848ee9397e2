import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from dcgan_mm.checkpoint.serialization import from_plain, install_safe_loading, safe_load, to_plain
from dcgan_mm.errors import CheckpointError


def test_history_buffers_round_trip_through_weights_only_load(tmp_path):
    checkpoint = {
        'meta': {'iter': np.int64(20), 'seed': 2022},
        'message_hub': {'log_scalars': {'train/loss': HistoryBuffer([1.0, 2.0], [1, 1], max_length=10)},
                        'runtime_info': {'iter': 20}, 'resumed_keys': {'train/loss': True}},
    }
    path = tmp_path / 'ckpt.pth'
    torch.save(to_plain(checkpoint), path)
    loaded = from_plain(safe_load(str(path)))
    assert loaded['meta']['iter'] == 20 and type(loaded['meta']['iter']) is int
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.data[0].tolist() == [1.0, 2.0] and buffer.max_length == 10
    assert buffer.mean() == 1.5


def test_mmengine_loads_through_safe_load_only_once_installed(tmp_path):
    from mmengine.runner.checkpoint import CheckpointLoader
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'meta': Payload()}, path)
    install_safe_loading()
    with pytest.raises(CheckpointError, match='Nothing in it was run'):
        CheckpointLoader.load_checkpoint(str(path))


class Payload:
    """Pickling this would run `os.system` on load."""

    def __reduce__(self):
        return os.system, ('touch PWNED',)


def test_a_checkpoint_carrying_code_is_refused_and_its_payload_never_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'meta': Payload()}, path)
    with pytest.raises(CheckpointError, match='Nothing in it was run'):
        safe_load(str(path))
    assert not (tmp_path / 'PWNED').exists()


def test_truncated_checkpoint_is_reported_as_corrupt(tmp_path):
    path = tmp_path / 'ckpt.pth'
    torch.save({'state_dict': {'w': torch.ones(1000)}}, path)
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(CheckpointError, match='corrupt or truncated'):
        safe_load(str(path))


def test_missing_checkpoint_is_reported(tmp_path):
    with pytest.raises(CheckpointError, match='does not exist'):
        safe_load(str(tmp_path / 'nope.pth'))


def test_importing_the_package_leaves_mmengines_checkpoint_loader_alone():
    script = ('from mmengine.runner.checkpoint import CheckpointLoader as L; before = L._schemes[""]; '
              'import dcgan_mm.apis, dcgan_mm.checkpoint, dcgan_mm.datasets, dcgan_mm.engine, dcgan_mm.evaluation; '
              'assert L._schemes[""] is before, "an import replaced the loader"; '
              'from dcgan_mm.checkpoint import install_safe_loading; install_safe_loading(); '
              'assert L._schemes[""] is not before')
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
