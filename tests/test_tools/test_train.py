"""End-to-end runs of tools/train.py on tiny models (a few seconds each, on CPU)."""
import json
import subprocess
import sys

import torch

from tests.conftest import REPO_ROOT, write_images

DEMO = 'configs/dcgan_demo_digits-32x32.py'
CELEBA = 'configs/dcgan_1xb128-300kiters_celeba-cropped-64.py'
TINY = ['model.generator.base_channels=16', 'model.discriminator.base_channels=8',
        'train_dataloader.batch_size=8', 'default_hooks.logger.interval=1']


def train(*args, cwd=REPO_ROOT, timeout=240):
    return subprocess.run([sys.executable, 'tools/train.py', *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_tiny_run_writes_checkpoint_samples_and_metrics_and_resumes(tmp_path):
    work_dir = tmp_path / 'work'
    options = [*TINY, 'train_cfg.max_iters=4', 'train_cfg.val_begin=4', 'train_cfg.val_interval=4',
               'default_hooks.checkpoint.interval=2', 'default_hooks.sample_grid.interval=2',
               'val_evaluator.metrics.0.fake_nums=16', 'val_evaluator.metrics.1.fake_nums=32',
               'val_dataloader.batch_size=16']
    result = train(DEMO, '--work-dir', str(work_dir), '--cfg-options', *options)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (work_dir / 'iter_4.pth').is_file() and (work_dir / 'iter_2.pth').is_file()
    assert (work_dir / 'samples' / 'iter_2.png').is_file() and (work_dir / 'samples' / 'iter_4.png').is_file()
    metrics = json.loads((work_dir / 'metrics.json').read_text())
    assert metrics['iter'] == 4
    assert {'ms-ssim/avg', 'swd/32', 'swd/16', 'swd/avg'} <= set(metrics)
    checkpoint = torch.load(work_dir / 'iter_4.pth', weights_only=True)
    assert checkpoint['meta']['iter'] == 4 and 'optimizer' in checkpoint

    resumed = train(DEMO, '--work-dir', str(work_dir), '--resume', '--cfg-options', *options,
                    'train_cfg.max_iters=6', 'train_cfg.val_begin=100')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'resumed epoch: 0, iter: 4' in resumed.stdout + resumed.stderr
    assert (work_dir / 'iter_6.pth').is_file()


def test_dry_run_prints_the_merged_config_and_trains_nothing(tmp_path):
    result = train(CELEBA, '--dry-run', '--work-dir', str(tmp_path / 'work'),
                   '--cfg-options', 'train_cfg.max_iters=7')
    assert result.returncode == 0, result.stderr
    assert "type='DCGANGenerator'" in result.stdout and 'max_iters=7' in result.stdout
    assert not (tmp_path / 'work').exists()


def test_celeba_config_trains_two_iterations_on_a_folder_of_images(image_folder, tmp_path):
    work_dir = tmp_path / 'work'
    result = train(CELEBA, '--work-dir', str(work_dir), '--cfg-options',
                   f'train_dataloader.dataset.data_root={image_folder}', 'train_dataloader.batch_size=8',
                   'train_dataloader.num_workers=0', 'train_cfg.max_iters=2', 'train_cfg.val_begin=100',
                   'model.generator.base_channels=64', 'model.discriminator.base_channels=8')
    assert result.returncode == 0, result.stderr[-3000:]
    assert (work_dir / 'iter_2.pth').is_file()


def test_missing_data_folder_is_a_clear_message_not_a_traceback(tmp_path):
    missing = tmp_path / 'no_such_folder'
    result = train(CELEBA, '--work-dir', str(tmp_path / 'work'), '--cfg-options',
                   f'train_dataloader.dataset.data_root={missing}', 'train_dataloader.batch_size=8',
                   'train_cfg.max_iters=2', 'train_cfg.val_begin=100')
    assert result.returncode == 1
    assert f"Data folder '{missing}' does not exist" in result.stderr
    assert 'docs/datasets.md' in result.stderr
    assert 'Traceback' not in result.stderr


def test_a_dataset_smaller_than_one_batch_is_a_clear_message_not_a_traceback(tmp_path):
    write_images(tmp_path / 'three', 3)
    result = train(CELEBA, '--work-dir', str(tmp_path / 'work'), '--cfg-options',
                   f'train_dataloader.dataset.data_root={tmp_path / "three"}', 'train_dataloader.batch_size=8',
                   'train_dataloader.num_workers=0', 'train_cfg.max_iters=2', 'train_cfg.val_begin=100',
                   'model.generator.base_channels=64', 'model.discriminator.base_channels=8')
    assert result.returncode == 1
    assert ('error: train_dataloader: the dataset has 3 images, fewer than one batch (batch_size=8). '
            'Lower train_dataloader.batch_size or add images.') in result.stderr
    assert 'Traceback' not in result.stderr
    assert not list((tmp_path / 'work').glob('iter_*.pth'))


def test_unknown_type_names_the_registry_and_the_valid_names(tmp_path):
    result = train(DEMO, '--work-dir', str(tmp_path / 'work'), '--cfg-options', 'model.loss.type=VanilaGANLoss')
    assert result.returncode == 1
    assert "'VanilaGANLoss' is not a registered model" in result.stderr
    assert "Did you mean 'VanillaGANLoss'" in result.stderr and 'HingeGANLoss' in result.stderr
    assert 'Traceback' not in result.stderr


def test_a_train_loop_that_does_not_own_resuming_is_refused_before_anything_is_built(tmp_path):
    result = train(DEMO, '--work-dir', str(tmp_path / 'work'), '--cfg-options', 'train_cfg.type=IterBasedTrainLoop')
    assert result.returncode == 1
    assert "train_cfg.type: 'IterBasedTrainLoop' does not own resuming" in result.stderr
    assert 'Traceback' not in result.stderr and not (tmp_path / 'work').exists()


def test_missing_config_file_is_a_clear_message(tmp_path):
    result = train('configs/no_such_config.py')
    assert result.returncode == 1 and "Config file 'configs/no_such_config.py' does not exist" in result.stderr


def test_two_process_gloo_training_with_dist_train_sh(tmp_path):
    work_dir = tmp_path / 'work'
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', DEMO, '2', '--work-dir', str(work_dir), '--cfg-options', *TINY,
         'train_cfg.max_iters=2', 'train_cfg.val_begin=100'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240, env={**__import__('os').environ, 'PORT': '29533'})
    assert result.returncode == 0, result.stderr[-3000:]
    assert (work_dir / 'iter_2.pth').is_file()
