"""A wheel (`pip install .`, not editable) works from any directory: model zoo, configs by name, init_model."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

FROM_ANYWHERE = '''
import os, sys
import dcgan_mm
from dcgan_mm.apis import init_model
from dcgan_mm.checkpoint import find_model, model_zoo_entries
from dcgan_mm.cli.config import load_config

assert dcgan_mm.__file__.startswith(sys.argv[1]), dcgan_mm.__file__
models = model_zoo_entries()
assert len(models) == 3, models
celeba = find_model('dcgan_1xb128-300kiters_celeba-cropped-64')
assert os.path.isfile(celeba.config) and '.mim' in celeba.config, celeba.config
assert load_config('dcgan_demo_digits-32x32').train_cfg.max_iters == 3000
model = init_model('dcgan_demo_digits-32x32.py')
print('ok', type(model).__name__, model.noise_size)
'''


@pytest.fixture(scope='module')
def wheel_site(tmp_path_factory) -> Path:
    """The package built as a wheel from the tracked files and installed into a folder of its own."""
    root = tmp_path_factory.mktemp('wheel')
    source = root / 'src'
    tracked = subprocess.run(['git', 'ls-files', '-z'], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split('\0')):
        if (REPO_ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, source / name)
    pip = [sys.executable, '-m', 'pip', '--disable-pip-version-check', '-q']
    subprocess.run([*pip, 'wheel', '--no-deps', '--no-build-isolation', '.', '-w', str(root / 'dist')],
                   cwd=source, check=True, capture_output=True, timeout=300)
    wheel = next((root / 'dist').glob('dcgan_mm-*.whl'))
    subprocess.run([*pip, 'install', '--no-deps', '--no-index', '--target', str(root / 'site'), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return root / 'site'


def test_the_wheel_ships_configs_and_model_index_but_not_the_benchmarks(wheel_site):
    shipped = wheel_site / 'dcgan_mm' / '.mim'
    assert (shipped / 'model-index.yml').is_file() and (shipped / 'configs' / 'metafile.yml').is_file()
    assert (shipped / 'configs' / '_base_' / 'default_runtime.py').is_file()
    assert not (wheel_site / 'benchmarks').exists() and not (wheel_site / 'tests').exists()


def test_model_zoo_and_configs_by_name_work_from_another_directory(wheel_site, tmp_path):
    result = subprocess.run([sys.executable, '-c', FROM_ANYWHERE, str(wheel_site)], cwd=tmp_path, text=True,
                            capture_output=True, timeout=240, env={**os.environ, 'PYTHONPATH': str(wheel_site)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ['ok', 'DCGAN', '100']


def test_an_unknown_config_name_lists_the_shipped_ones(tmp_path, monkeypatch):
    from dcgan_mm.cli.config import load_config
    from dcgan_mm.errors import ConfigError
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="Did you mean 'dcgan_demo_digits-32x32'.*Shipped configs: .*celeba"):
        load_config('dcgan_demo_digit-32x32')
