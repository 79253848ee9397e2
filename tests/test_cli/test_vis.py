"""--vis and vis_backends: names to backends, missing packages, and tiny runs read back with each tool's own reader."""
import importlib.util
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.visualization import Visualizer
from PIL import Image

from dcgan_mm.cli import vis
from dcgan_mm.errors import ConfigError
from tests.conftest import REPO_ROOT
from tests.test_tools.test_train import DEMO, TINY

TINY_RUN = [*TINY, 'train_cfg.max_iters=4', 'train_cfg.val_begin=4', 'train_cfg.val_interval=4',
            'default_hooks.sample_grid.interval=2', 'default_hooks.checkpoint.interval=4',
            'val_evaluator.metrics.0.fake_nums=16', 'val_evaluator.metrics.1.fake_nums=32',
            'val_dataloader.batch_size=16']
LOSSES = ('loss_disc', 'loss_disc_real', 'loss_disc_fake', 'loss_gen')
LEARNING_RATES = ('generator.lr', 'discriminator.lr')
METRICS = ('ms-ssim/avg', 'swd/16', 'swd/32', 'swd/avg')


def tiny_run(work_dir, *backends, env=None):
    """tools/train.py on the tiny demo; one thread, as several threads on shared cores run 50x slower."""
    options = [arg for name in backends for arg in ('--vis', name)]
    result = subprocess.run([sys.executable, 'tools/train.py', DEMO, '--work-dir', str(work_dir), *options,
                             '--cfg-options', *TINY_RUN], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=240, env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})})
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_names_become_mmengine_backends_after_the_local_one(tmp_path):
    backends = vis.resolve_vis_backends(['tensorboard', 'local', 'tensorboard'], str(tmp_path))
    assert backends == [dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')]


def test_mlflow_defaults_to_a_sqlite_store_in_the_work_dir_unless_the_user_set_one(tmp_path, monkeypatch):
    monkeypatch.delenv('MLFLOW_TRACKING_URI', raising=False)
    backend = vis.backend_config('mlflow', str(tmp_path / 'run'))
    assert backend['tracking_uri'] == f'sqlite:///{tmp_path}/run/mlflow.db'
    assert backend['artifact_location'] == str(tmp_path / 'run' / 'mlartifacts')
    assert backend['run_name'] == 'run'
    monkeypatch.setenv('MLFLOW_TRACKING_URI', 'http://127.0.0.1:5000')
    backend = vis.backend_config('mlflow', str(tmp_path / 'run'))
    assert backend['tracking_uri'] == 'http://127.0.0.1:5000' and 'artifact_location' not in backend


def test_wandb_is_offline_unless_wandb_mode_says_otherwise(tmp_path, monkeypatch):
    monkeypatch.delenv('WANDB_MODE', raising=False)
    assert vis.backend_config('wandb', str(tmp_path))['init_kwargs']['mode'] == 'offline'
    monkeypatch.setenv('WANDB_MODE', 'online')
    assert vis.backend_config('wandb', str(tmp_path))['init_kwargs']['mode'] == 'online'


def test_a_missing_package_stops_with_the_pip_command(tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: None if name == 'wandb' else real_find_spec(name))
    with pytest.raises(ConfigError, match=r'pip install -e "\.\[wandb\]"'):
        vis.resolve_vis_backends(['wandb'], str(tmp_path))
    with pytest.raises(ConfigError, match='wandb'):  # also when the config names the backend type itself
        vis.resolve_vis_backends([dict(type='WandbVisBackend')], str(tmp_path))


def test_unknown_name_lists_the_valid_ones(tmp_path):
    with pytest.raises(ConfigError, match='local, tensorboard, wandb, mlflow'):
        vis.resolve_vis_backends(['tensorbored'], str(tmp_path))


def test_config_vis_backends_reach_the_visualizer_and_vis_names_replace_them(tmp_path):
    cfg = Config(dict(work_dir=str(tmp_path), vis_backends=['tensorboard'],
                      visualizer=dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])))
    vis.apply_vis_backends(cfg)
    assert cfg.visualizer.vis_backends == [dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')]
    vis.apply_vis_backends(cfg, ['local'])
    assert cfg.visualizer.vis_backends == [dict(type='LocalVisBackend')] == cfg.vis_backends


def test_only_rank_0_writes(tmp_path, monkeypatch):
    pytest.importorskip('tensorboard')
    import mmengine.dist.utils
    monkeypatch.setattr(mmengine.dist.utils, 'get_rank', lambda group=None: 1)
    visualizer = Visualizer(name='rank1', vis_backends=[dict(type='TensorboardVisBackend')], save_dir=str(tmp_path))
    visualizer.add_scalars({'loss_gen': 1.0}, step=1)
    visualizer.add_image('samples', np.zeros((4, 4, 3), np.uint8), step=1)
    visualizer.close()
    assert not list(tmp_path.rglob('events.out.tfevents.*'))


def test_tensorboard_event_file_holds_losses_lrs_metrics_config_and_the_sample_grids(tmp_path):
    pytest.importorskip('tensorboard')
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    work_dir = tmp_path / 'work'
    tiny_run(work_dir, 'tensorboard')
    (event_file,) = work_dir.glob('*/vis_data/events.out.tfevents.*')
    events = EventAccumulator(str(event_file), size_guidance={'scalars': 0, 'images': 0, 'tensors': 0})
    events.Reload()
    for key in (*LOSSES, *LEARNING_RATES):
        assert [event.step for event in events.Scalars(key)] == [1, 2, 3, 4], key
    for key in METRICS:
        assert [event.step for event in events.Scalars(key)] == [4], key
    grids = events.Images('samples')
    assert [grid.step for grid in grids] == [2, 4]
    written = np.asarray(Image.open(work_dir / 'samples' / 'iter_4.png'))
    logged = np.asarray(Image.open(io.BytesIO(grids[-1].encoded_image_string)).convert('RGB'))
    assert np.array_equal(logged, written)  # the very grid of the PNG
    assert events.Tags()['tensors'] == ['config/text_summary']


def test_mlflow_local_store_holds_the_metrics_images_and_config(tmp_path, monkeypatch):
    pytest.importorskip('mlflow')
    from mlflow.tracking import MlflowClient
    monkeypatch.delenv('MLFLOW_TRACKING_URI', raising=False)
    work_dir = tmp_path / 'work'
    tiny_run(work_dir, 'mlflow')
    client = MlflowClient(tracking_uri=f'sqlite:///{work_dir}/mlflow.db')
    (run,) = client.search_runs([client.get_experiment_by_name('dcgan_mm').experiment_id])
    for key in (*LOSSES, *LEARNING_RATES):
        assert [metric.step for metric in client.get_metric_history(run.info.run_id, key)] == [1, 2, 3, 4], key
    for key in METRICS:
        assert [metric.step for metric in client.get_metric_history(run.info.run_id, key)] == [4], key
    assert run.data.params['model.noise_size'] == '100'
    images = [item.path for item in client.list_artifacts(run.info.run_id, 'images') if item.path.endswith('.png')]
    assert sorted(path.split('+')[2] for path in images) == ['2', '4']  # samples+step+N+...: one per grid
    assert 'config.py' in [item.path for item in client.list_artifacts(run.info.run_id)]
    assert run.info.status == 'FINISHED'


def test_wandb_offline_writes_its_run_folder_with_the_scalars_and_grids(tmp_path):
    pytest.importorskip('wandb')
    work_dir = tmp_path / 'work'
    result = tiny_run(work_dir, 'wandb', env={'WANDB_MODE': 'offline', 'WANDB_SILENT': 'true'})
    (run_dir,) = work_dir.glob('*/vis_data/wandb/offline-run-*')
    assert len(list((run_dir / 'files' / 'media' / 'images').glob('samples_*.png'))) == 2
    (records,) = run_dir.glob('run-*.wandb')
    data = records.read_bytes()
    for key in (*LOSSES, *LEARNING_RATES, *METRICS, 'noise_size'):
        assert key.encode() in data, key
    assert 'Traceback' not in result.stderr


def test_in_a_two_process_run_only_rank_0_writes_the_dashboard(tmp_path):
    pytest.importorskip('tensorboard')
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    work_dir = tmp_path / 'work'
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', DEMO, '2', '--work-dir', str(work_dir), '--vis', 'tensorboard',
         '--cfg-options', *TINY, 'train_cfg.max_iters=2', 'train_cfg.val_begin=100',
         'default_hooks.sample_grid.interval=2'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240,
        env={**os.environ, 'PORT': '29541', 'OMP_NUM_THREADS': '1'})
    assert result.returncode == 0, result.stderr[-3000:]
    (event_file,) = work_dir.rglob('events.out.tfevents.*')  # one file: rank 1 wrote none
    events = EventAccumulator(str(event_file), size_guidance={'scalars': 0, 'images': 0})
    events.Reload()
    assert [event.step for event in events.Scalars('loss_gen')] == [1, 2]
    assert [grid.step for grid in events.Images('samples')] == [2]
    assert (result.stdout + result.stderr).count('Run summary') == 1
