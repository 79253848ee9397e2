"""DumpMetricsHook: one JSON per evaluation plus metrics.json, and a failed write never breaks the old one."""
import json
import logging
from types import SimpleNamespace

import pytest

from dcgan_mm.engine.hooks.dump_metrics import DumpMetricsHook


def fake_runner(work_dir, iteration: int, rank: int = 0) -> SimpleNamespace:
    return SimpleNamespace(rank=rank, iter=iteration, work_dir=str(work_dir), val_loop=None,
                           logger=logging.getLogger('test_dump_metrics'))


def test_each_evaluation_gets_its_file_and_metrics_json_holds_the_latest(tmp_path):
    hook = DumpMetricsHook()
    hook.after_val_epoch(fake_runner(tmp_path, 10), {'swd/avg': 3.5})
    hook.after_val_epoch(fake_runner(tmp_path, 20), {'swd/avg': 2.25})
    assert json.loads((tmp_path / 'metrics' / 'iter_10.json').read_text()) == {'iter': 10, 'swd/avg': 3.5}
    assert json.loads((tmp_path / 'metrics' / 'iter_20.json').read_text()) == {'iter': 20, 'swd/avg': 2.25}
    assert json.loads((tmp_path / 'metrics.json').read_text()) == {'iter': 20, 'swd/avg': 2.25}


def test_only_rank_0_writes(tmp_path):
    DumpMetricsHook().after_val_epoch(fake_runner(tmp_path, 10, rank=1), {'swd/avg': 3.5})
    assert list(tmp_path.iterdir()) == []


def test_a_failure_mid_write_leaves_the_previous_metrics_json_intact(tmp_path, monkeypatch):
    hook = DumpMetricsHook()
    hook.after_val_epoch(fake_runner(tmp_path, 10), {'swd/avg': 3.5})
    before = (tmp_path / 'metrics.json').read_bytes()

    import dcgan_mm.utils.file_io as file_io
    real_fdopen = file_io.os.fdopen

    class DiskFull:
        """A file whose writes put half the bytes down, then fail as a full disk does."""

        def __init__(self, file):
            self.file = file

        def write(self, data):
            self.file.write(data[:len(data) // 2])
            self.file.flush()
            raise OSError(28, 'No space left on device')

        def __getattr__(self, name):
            return getattr(self.file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return self.file.__exit__(*exc_info)

    opened = []

    def fdopen(*args, **kwargs):  # iter_20.json goes through, metrics.json (the second file) hits the full disk
        opened.append(real_fdopen(*args, **kwargs))
        return opened[-1] if len(opened) == 1 else DiskFull(opened[-1])

    monkeypatch.setattr(file_io.os, 'fdopen', fdopen)
    with pytest.raises(OSError, match='No space left'):
        hook.after_val_epoch(fake_runner(tmp_path, 20), {'swd/avg': 2.25})
    monkeypatch.undo()

    assert (tmp_path / 'metrics.json').read_bytes() == before
    assert json.loads(before) == {'iter': 10, 'swd/avg': 3.5}
    leftovers = [path.name for path in [*tmp_path.iterdir(), *(tmp_path / 'metrics').iterdir()]]
    assert len(opened) == 2
    assert sorted(leftovers) == ['iter_10.json', 'iter_20.json', 'metrics', 'metrics.json']  # no .part left
