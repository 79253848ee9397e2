"""Every dataset config trains two iterations through tools/train.py on small files in its real format."""
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, write_images
from tests.test_datasets.tiny_data import lsun_values, smooth_images, write_cifar, write_idx, write_lmdb

TINY = ['train_dataloader.batch_size=4', 'train_dataloader.num_workers=0', 'train_cfg.max_iters=2',
        'train_cfg.val_begin=100', 'model.generator.base_channels=64', 'model.discriminator.base_channels=8']


def make_data(root) -> dict:
    """config -> data_root of files in each config's format; colour folders hold a corrupt file."""
    write_images(root / 'rgb', 5, size=20)
    content = (root / 'rgb' / '0001.png').read_bytes()
    (root / 'rgb' / 'corrupt.png').write_bytes(content[:len(content) // 2])
    write_images(root / 'gray', 5, size=20, channels=1)
    write_images(root / 'bedroom_train', 5, size=20, extension='.webp')
    write_lmdb(root / 'bedroom_train_lmdb', lsun_values()[0])
    write_cifar(root / 'cifar10')
    write_idx(root / 'fashion' / 'FashionMNIST' / 'raw' / 'train-images-idx3-ubyte', smooth_images(6, 28, 1), gz=True)
    return {
        'dcgan_1xb128-300kiters_celeba-cropped-64.py': root / 'rgb',
        'dcgan_1xb128-5epoches_lsun-bedroom-64x64.py': root / 'bedroom_train',
        'dcgan_1xb128-5epoches_lsun-bedroom-lmdb-64x64.py': root / 'bedroom_train_lmdb',
        'dcgan_Glr4e-4_Dlr1e-4_1xb128-5kiters_mnist-64x64.py': root / 'gray',
        'dcgan_1xb128-200epochs_cifar10-32x32.py': root / 'cifar10',
        'dcgan_1xb128-200epochs_fashion-mnist-32x32.py': root / 'fashion',
    }


CONFIGS = ['dcgan_1xb128-300kiters_celeba-cropped-64.py', 'dcgan_1xb128-5epoches_lsun-bedroom-64x64.py',
           'dcgan_1xb128-5epoches_lsun-bedroom-lmdb-64x64.py',
           'dcgan_Glr4e-4_Dlr1e-4_1xb128-5kiters_mnist-64x64.py', 'dcgan_1xb128-200epochs_cifar10-32x32.py',
           'dcgan_1xb128-200epochs_fashion-mnist-32x32.py']


@pytest.fixture(scope='module')
def runs(tmp_path_factory) -> dict:
    """All six runs, started together (each is mostly start-up time), as config -> (result, work dir)."""
    root = tmp_path_factory.mktemp('data')
    processes = {}
    for config, data_root in make_data(root).items():
        work_dir, log = root / 'work' / config, root / f'{config}.log'
        command = [sys.executable, 'tools/train.py', f'configs/{config}', '--work-dir', str(work_dir),
                   '--cfg-options', f'train_dataloader.dataset.data_root={data_root}', *TINY]
        with open(log, 'w') as output:  # a file, not a pipe: a full pipe would stall a run nobody reads yet
            processes[config] = (subprocess.Popen(command, cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT,
                                                  env={**os.environ, 'OMP_NUM_THREADS': '1'}), log, work_dir)
    return {config: (process.wait(timeout=300), log.read_text(), work_dir)
            for config, (process, log, work_dir) in processes.items()}


@pytest.mark.parametrize('config', CONFIGS)
def test_config_trains_two_iterations_on_its_data_format(runs, config):
    returncode, output, work_dir = runs[config]
    assert returncode == 0, output[-3000:]
    assert (work_dir / 'iter_2.pth').is_file()
    if config.startswith('dcgan_1xb128-300kiters_celeba'):
        assert 'Skipping corrupt or unreadable image' in output and 'corrupt.png' in output
