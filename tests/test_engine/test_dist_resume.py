"""Two gloo processes (tools/dist_train.sh): stopped or with a worker killed, then resumed, they end bit-identically."""
import json
import os
import socket
import subprocess

import pytest
import torch

from dcgan_mm.checkpoint import safe_load
from tests.conftest import REPO_ROOT

DEMO = 'configs/dcgan_demo_digits-32x32.py'
MODEL = ['model.generator.base_channels=16', 'model.discriminator.base_channels=8', 'train_dataloader.batch_size=8',
         'default_hooks.logger.interval=5', 'default_hooks.checkpoint.interval=10']
TINY = [*MODEL, 'default_hooks.sample_grid=None', 'val_cfg=None', 'val_dataloader=None', 'val_evaluator=None',
        'test_cfg=None', 'test_dataloader=None', 'test_evaluator=None']
# Validation every 10 iterations on a 64-image subset, keeping the best checkpoint by swd/avg (the default
# runtime's save_best), and a sample grid every 10: all that a resumed run must redo exactly as well.
VALIDATING = [*MODEL, 'train_cfg.val_begin=10', 'train_cfg.val_interval=10', 'default_hooks.sample_grid.interval=10',
              'default_hooks.sample_grid.num_samples=16', 'val_dataloader.batch_size=16',
              'val_dataloader.dataset.indices=64', 'val_evaluator.metrics.0.fake_nums=16',
              'val_evaluator.metrics.1.fake_nums=32']
KILL_RANK_1_AT_25 = f"""_base_ = ['{REPO_ROOT / DEMO}']
custom_imports = dict(imports=['tests.test_engine.faults'])
custom_hooks = [dict(type='KillRankHook', rank=1, at_iter=25)]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def dist_train(work_dir, max_iters: int, *args, config: str = DEMO, nproc: int = 2,
               options: list[str] = TINY) -> subprocess.CompletedProcess:
    return subprocess.run(
        ['bash', 'tools/dist_train.sh', config, str(nproc), '--work-dir', str(work_dir), *args, '--cfg-options',
         *options, f'train_cfg.max_iters={max_iters}'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240, env={**os.environ, 'PORT': str(free_port())})


def weights(path) -> dict:
    return safe_load(str(path))['state_dict']


def assert_bit_identical(expected: dict, actual: dict) -> None:
    assert expected.keys() == actual.keys()
    differing = [key for key in expected if not torch.equal(expected[key], actual[key])]
    assert not differing, f'{len(differing)} of {len(expected)} tensors differ, e.g. {differing[:3]}'


@pytest.fixture(scope='module')
def straight_run(tmp_path_factory):
    """An uninterrupted 2-process run of 40 iterations."""
    work_dir = tmp_path_factory.mktemp('straight')
    result = dist_train(work_dir, 40)
    assert result.returncode == 0, result.stderr[-3000:]
    return work_dir


def test_multi_process_checkpoints_have_the_single_process_layout_and_every_ranks_rng(straight_run):
    checkpoint = safe_load(str(straight_run / 'iter_40.pth'))
    assert not [key for key in checkpoint['state_dict'] if '.module.' in key]
    assert 'generator.noise2feat.conv.weight' in checkpoint['state_dict']
    assert checkpoint['meta']['world_size'] == 2 and len(checkpoint['rng_state']) == 2
    rank0, rank1 = checkpoint['rng_state']
    assert not torch.equal(rank0['torch'], rank1['torch'])  # each rank draws its own noise
    # Each rank keeps its own BatchNorm statistics (broadcast_buffers=False): the state_dict holds rank 0's.
    rank0, rank1 = checkpoint['rank_buffers']
    key = 'generator.noise2feat.bn.running_mean'
    assert rank0.keys() == rank1.keys() and key in rank0
    assert all(torch.equal(checkpoint['state_dict'][name], buffer) for name, buffer in rank0.items())
    assert not torch.equal(rank0[key], rank1[key])


def test_stopped_and_resumed_two_process_run_is_bit_identical(straight_run, tmp_path):
    first = dist_train(tmp_path, 20)
    assert first.returncode == 0, first.stderr[-3000:]
    resumed = dist_train(tmp_path, 40, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'resumed epoch: 0, iter: 20' in resumed.stdout + resumed.stderr
    assert 'no longer bit-exactly' not in resumed.stdout + resumed.stderr
    assert_bit_identical(weights(straight_run / 'iter_40.pth'), weights(tmp_path / 'iter_40.pth'))


def test_a_worker_killed_mid_run_ends_the_job_and_resume_finishes_it_bit_identically(straight_run, tmp_path):
    config = tmp_path / 'kill_rank_1.py'
    config.write_text(KILL_RANK_1_AT_25)
    killed = dist_train(tmp_path / 'work', 40, config=str(config))  # its timeout fails the test on a hang
    assert killed.returncode != 0
    assert (tmp_path / 'work' / 'last_checkpoint').read_text().strip().endswith('iter_20.pth')
    assert not (tmp_path / 'work' / 'iter_30.pth').exists()
    resumed = dist_train(tmp_path / 'work', 40, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert_bit_identical(weights(straight_run / 'iter_40.pth'), weights(tmp_path / 'work' / 'iter_40.pth'))


def test_resuming_on_another_number_of_processes_says_it_is_not_bit_exact(tmp_path):
    first = dist_train(tmp_path, 10)
    assert first.returncode == 0, first.stderr[-3000:]
    resumed = subprocess.run(['python', 'tools/train.py', DEMO, '--work-dir', str(tmp_path), '--resume',
                              '--cfg-options', *TINY, 'train_cfg.max_iters=12'],
                             cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'written by 2 process(es) and is resumed on 1' in resumed.stdout + resumed.stderr


def test_with_validation_best_checkpoint_and_sample_grids_a_stopped_and_resumed_run_is_bit_identical(tmp_path):
    straight, stopped = tmp_path / 'straight', tmp_path / 'stopped'
    for work_dir, max_iters, args in ((straight, 40, ()), (stopped, 20, ()), (stopped, 40, ('--resume',))):
        result = dist_train(work_dir, max_iters, *args, options=VALIDATING)
        assert result.returncode == 0, result.stderr[-3000:]
    assert 'resumed epoch: 0, iter: 20' in result.stdout + result.stderr
    assert 'no longer bit-exactly' not in result.stdout + result.stderr
    assert_bit_identical(weights(straight / 'iter_40.pth'), weights(stopped / 'iter_40.pth'))
    for iteration in (10, 20, 30, 40):  # the evaluations before and after the stop
        expected, actual = (json.loads((run / 'metrics' / f'iter_{iteration}.json').read_text())
                            for run in (straight, stopped))
        assert expected == actual and 'swd/avg' in expected, iteration
    (best,) = [path.name for path in straight.glob('best_swd_avg_iter_*.pth')]
    assert [path.name for path in stopped.glob('best_swd_avg_iter_*.pth')] == [best]
    assert_bit_identical(weights(straight / best), weights(stopped / best))
    grids = sorted(path.relative_to(straight) for path in (straight / 'samples').rglob('*.png'))
    assert len(grids) >= 4
    assert grids == sorted(path.relative_to(stopped) for path in (stopped / 'samples').rglob('*.png'))
    assert all((straight / grid).read_bytes() == (stopped / grid).read_bytes() for grid in grids)
