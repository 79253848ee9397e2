"""Resuming is exact (bit-identical weights on CPU) and instant (no replay of seen batches); checkpoints are atomic."""
from pathlib import Path

import pytest
import torch
from mmengine.hooks import CheckpointHook

from dcgan_mm.checkpoint import AtomicLocalBackend
from dcgan_mm.cli.config import load_config
from dcgan_mm.datasets.samplers import ResumableInfiniteSampler
from dcgan_mm.engine.resume import atomic_backend_args
from tests.conftest import REPO_ROOT, build_runner

DEMO = str(REPO_ROOT / 'configs' / 'dcgan_demo_digits-32x32.py')
OPTIONS = {'model.generator.base_channels': 16, 'model.discriminator.base_channels': 8,
           'train_dataloader.batch_size': 8, 'default_hooks.logger.interval': 1,
           **{key: None for key in ('val_cfg', 'val_dataloader', 'val_evaluator',
                                    'test_cfg', 'test_dataloader', 'test_evaluator')}}


def run(work_dir, max_iters, resume=False, checkpoint_interval=100):
    cfg = load_config(DEMO, {**OPTIONS, 'train_cfg.max_iters': max_iters,
                             'default_hooks.checkpoint.interval': checkpoint_interval})
    cfg.work_dir = str(work_dir)
    cfg.resume = resume
    runner = build_runner(cfg)
    runner.train()
    return runner


def test_interrupted_and_resumed_run_ends_with_the_same_weights(tmp_path):
    straight = run(tmp_path / 'straight', max_iters=6)
    run(tmp_path / 'resumed', max_iters=3, checkpoint_interval=3)
    resumed = run(tmp_path / 'resumed', max_iters=6, resume=True)
    expected, actual = straight.model.state_dict(), resumed.model.state_dict()
    assert expected.keys() == actual.keys()
    for key in expected:
        assert torch.equal(expected[key], actual[key]), key


def test_resume_positions_the_sampler_instead_of_replaying(tmp_path, monkeypatch):
    run(tmp_path / 'work', max_iters=3, checkpoint_interval=3)
    fetched = []
    original = ResumableInfiniteSampler.__iter__

    def counting_iter(self):
        for index in original(self):
            fetched.append(index)
            yield index

    monkeypatch.setattr(ResumableInfiniteSampler, '__iter__', counting_iter)
    run(tmp_path / 'work', max_iters=4, resume=True)
    # One batch of 8 for iteration 4 (plus what the first, discarded iterator prefetched): not 3 x 8 replayed.
    assert len(fetched) <= 2 * 8


class Dataset:
    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size


def stream(sampler, count):
    iterator = iter(sampler)
    return [next(iterator) for _ in range(count)]


def test_sampler_started_at_a_position_continues_the_same_stream():
    full = stream(ResumableInfiniteSampler(Dataset(7), seed=3), 30)
    later = ResumableInfiniteSampler(Dataset(7), seed=3)
    later.set_position(12)
    assert stream(later, 18) == full[12:]
    assert sorted(full[:7]) == list(range(7)) and sorted(full[7:14]) == list(range(7))
    assert full[:7] != full[7:14]  # a new order every epoch


def atomic_writes(monkeypatch) -> list[str]:
    """The names of the files written through the atomic backend from now on."""
    from dcgan_mm.checkpoint import atomic_backend
    written = []
    original = atomic_backend.write_checkpoint_file

    def recording(data, path):
        written.append(Path(path).name)
        original(data, path)

    monkeypatch.setattr(atomic_backend, 'write_checkpoint_file', recording)
    return written


@pytest.mark.parametrize('backend_args', ['as configured', 'dropped', None, {'backend': 'local'}])
def test_checkpoints_are_atomic_even_when_the_config_does_not_ask(tmp_path, monkeypatch, backend_args):
    written = atomic_writes(monkeypatch)
    cfg = load_config(DEMO, {**OPTIONS, 'train_cfg.max_iters': 2, 'default_hooks.checkpoint.interval': 1})
    assert cfg.default_hooks.checkpoint.backend_args == {'backend': 'atomic_local'}
    if backend_args == 'dropped':
        del cfg.default_hooks.checkpoint['backend_args']
    elif backend_args != 'as configured':
        cfg.default_hooks.checkpoint.backend_args = backend_args
    cfg.work_dir = str(tmp_path / 'work')
    runner = build_runner(cfg)
    runner.train()
    (checkpoint_hook,) = [hook for hook in runner.hooks if isinstance(hook, CheckpointHook)]
    assert isinstance(checkpoint_hook.file_backend, AtomicLocalBackend)
    assert written == ['iter_1.pth', 'iter_2.pth']  # (mmengine writes last_checkpoint with open() in any case)


def test_remote_checkpoint_storage_is_left_as_configured():
    assert atomic_backend_args(None, 'http://example.com/work') is None
    assert atomic_backend_args({'backend': 'atomic_local'}, '/work') == {'backend': 'atomic_local'}
    assert atomic_backend_args(None, '/work') == {'backend': 'atomic_local'}
