"""Faults during training: NaN losses, SIGTERM, kill -9 (also during checkpoint writes), a full disk."""
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from dcgan_mm.checkpoint.atomic_backend import write_checkpoint_file
from dcgan_mm.checkpoint.serialization import safe_load
from dcgan_mm.errors import CheckpointError
from tests.conftest import REPO_ROOT, build_runner

DEMO = 'configs/dcgan_demo_digits-32x32.py'
NO_EVAL = ['val_cfg=None', 'val_dataloader=None', 'val_evaluator=None', 'test_cfg=None', 'test_dataloader=None',
           'test_evaluator=None']
TINY = ['model.generator.base_channels=16', 'model.discriminator.base_channels=8', 'train_dataloader.batch_size=8',
        'default_hooks.logger.interval=1', *NO_EVAL]


def start_training(work_dir, *options):
    return subprocess.Popen([sys.executable, 'tools/train.py', DEMO, '--work-dir', str(work_dir), '--cfg-options',
                             *TINY, *options], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def wait_for_line(process, text, times=1, timeout=60):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if sum(text in line for line in seen) >= times:
            return seen
    process.kill()
    raise AssertionError(f'{text!r} never appeared:\n' + ''.join(seen[-30:]))


def resume(work_dir, max_iters):
    return subprocess.run([sys.executable, 'tools/train.py', DEMO, '--work-dir', str(work_dir), '--resume',
                           '--cfg-options', *TINY, f'train_cfg.max_iters={max_iters}'],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)


def test_sigterm_saves_a_resumable_checkpoint_and_exits_143(tmp_path):
    work_dir = tmp_path / 'work'
    process = start_training(work_dir, 'train_cfg.max_iters=100000', 'default_hooks.checkpoint.interval=100000')
    wait_for_line(process, 'Iter(train)', times=3)
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 128 + signal.SIGTERM, output[-2000:]
    assert 'Received SIGTERM: saved iter_' in output
    latest = (work_dir / 'last_checkpoint').read_text().strip()
    stopped_at = safe_load(latest)['meta']['iter']
    assert latest.endswith(f'iter_{stopped_at}.pth')  # the iterations done, as CheckpointHook records them
    result = resume(work_dir, stopped_at + 2)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (work_dir / f'iter_{stopped_at + 2}.pth').is_file()


def test_kill_9_at_any_moment_leaves_the_work_dir_resumable(tmp_path):
    work_dir = tmp_path / 'work'
    # A checkpoint every iteration: the kill lands during a write or between two.
    process = start_training(work_dir, 'train_cfg.max_iters=100000', 'default_hooks.checkpoint.interval=1',
                             'default_hooks.checkpoint.max_keep_ckpts=2')
    wait_for_line(process, 'Saving checkpoint at 4 iterations')
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    latest = (work_dir / 'last_checkpoint').read_text().strip()
    for checkpoint in work_dir.glob('iter_*.pth'):
        safe_load(str(checkpoint))  # every visible checkpoint is complete
    stopped_at = safe_load(latest)['meta']['iter']
    result = resume(work_dir, stopped_at + 1)
    assert result.returncode == 0, result.stderr[-2000:]


def test_nan_loss_stops_training_naming_iteration_and_loss_and_keeps_the_checkpoint(tmp_path):

    from dcgan_mm.cli.config import load_config
    from dcgan_mm.engine.hooks import TrainingDivergedError
    options = dict(item.split('=', 1) for item in [*TINY[:3]])
    cfg = load_config(str(REPO_ROOT / DEMO), {**{k: int(v) for k, v in options.items()},
                                               **{k: None for k in [o.split('=')[0] for o in NO_EVAL]},
                                               'train_cfg.max_iters': 6, 'default_hooks.checkpoint.interval': 2})
    cfg.work_dir = str(tmp_path / 'work')
    runner = build_runner(cfg)
    train_step = runner.model.train_step

    def poisoned(data, optim_wrapper):
        log_vars = train_step(data, optim_wrapper)
        if runner.iter + 1 == 3:
            log_vars['loss_gen'] = torch.tensor(float('nan'))
        return log_vars

    runner.model.train_step = poisoned
    with pytest.raises(TrainingDivergedError, match=r'iteration 3: loss_gen=nan.*iter_2\.pth.*untouched'):
        runner.train()
    assert (tmp_path / 'work' / 'last_checkpoint').read_text().strip().endswith('iter_2.pth')
    assert not (tmp_path / 'work' / 'iter_4.pth').exists()


def test_nan_loss_with_rollback_reloads_the_checkpoint_and_lowers_the_learning_rates(tmp_path):

    from dcgan_mm.cli.config import load_config
    cfg = load_config(str(REPO_ROOT / DEMO), {'model.generator.base_channels': 16,
                                               'model.discriminator.base_channels': 8,
                                               'train_dataloader.batch_size': 8, 'train_cfg.max_iters': 5,
                                               'default_hooks.checkpoint.interval': 2,
                                               'default_hooks.health.rollback': True,
                                               **{o.split('=')[0]: None for o in NO_EVAL}})
    cfg.work_dir = str(tmp_path / 'work')
    runner = build_runner(cfg)
    train_step, poisoned_once = runner.model.train_step, []

    def poisoned(data, optim_wrapper):
        log_vars = train_step(data, optim_wrapper)
        if runner.iter + 1 == 3 and not poisoned_once:
            poisoned_once.append(True)
            log_vars['loss_disc'] = torch.tensor(float('inf'))
        return log_vars

    runner.model.train_step = poisoned
    runner.train()
    assert runner.iter == 5
    assert runner.optim_wrapper['generator'].optimizer.param_groups[0]['lr'] == pytest.approx(1e-4)


def test_a_failed_write_keeps_the_previous_file_and_says_what_to_do(tmp_path, monkeypatch):
    path = tmp_path / 'iter_2.pth'
    path.write_bytes(b'previous checkpoint')

    def disk_full(*args):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(os, 'fsync', disk_full)
    with pytest.raises(CheckpointError, match='No space left on device.*previous file there is unchanged'):
        write_checkpoint_file(b'new checkpoint', str(path))
    assert path.read_bytes() == b'previous checkpoint'
    assert [p.name for p in tmp_path.iterdir()] == ['iter_2.pth']
