import pytest

from dcgan_mm.cli.config import default_work_dir, load_config
from dcgan_mm.errors import ConfigError
from tests.conftest import REPO_ROOT

CELEBA = str(REPO_ROOT / 'configs' / 'dcgan_1xb128-300kiters_celeba-cropped-64.py')


def test_a_training_data_root_from_the_command_line_reaches_evaluation():
    cfg = load_config(CELEBA, {'train_dataloader.dataset.data_root': '/elsewhere'})
    assert cfg.val_dataloader.dataset.data_root == '/elsewhere'
    assert cfg.test_dataloader.dataset.data_root == '/elsewhere'


def test_an_evaluation_data_root_given_explicitly_is_kept():
    cfg = load_config(CELEBA, {'train_dataloader.dataset.data_root': '/train',
                               'val_dataloader.dataset.data_root': '/val'})
    assert cfg.val_dataloader.dataset.data_root == '/val'
    assert cfg.test_dataloader.dataset.data_root == '/train'


def test_evaluation_switched_off_with_none_loads(tmp_path):
    config = tmp_path / 'no_eval.py'
    config.write_text(f"_base_ = ['{CELEBA}']\n"
                      'val_dataloader = None\nval_evaluator = None\nval_cfg = None\n'
                      'test_dataloader = None\ntest_evaluator = None\ntest_cfg = None\n')
    cfg = load_config(str(config), {'train_dataloader.dataset.data_root': '/elsewhere'})
    assert cfg.val_dataloader is None and cfg.test_dataloader is None


def test_any_default_hook_set_to_none_is_switched_off():
    cfg = load_config(CELEBA, {'default_hooks.health': None, 'default_hooks.logger': None})
    assert 'health' not in cfg.default_hooks
    assert cfg.default_hooks.logger is None  # mmengine's own: the Runner removes it
    assert 'sample_grid' in cfg.default_hooks


def test_persistent_workers_are_switched_off_without_workers():
    cfg = load_config(CELEBA, {'train_dataloader.num_workers': 0})
    assert cfg.train_dataloader.persistent_workers is False


@pytest.mark.parametrize('content, message', [
    (None, 'does not exist'),
    ('model = dict(\n', 'could not be read'),
])
def test_a_missing_or_broken_file_is_a_config_error(tmp_path, content, message):
    config = tmp_path / 'broken.py'
    if content is not None:
        config.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_config(str(config))


def test_work_dir_follows_openmmlab_convention():
    assert default_work_dir('configs/dcgan_x.py') == 'work_dirs/dcgan_x'
