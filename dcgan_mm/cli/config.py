"""Turning a config file and command-line flags into the config the Runner builds from."""
import os
import os.path as osp

from mmengine.config import Config, DictAction  # noqa: F401  (DictAction re-exported for the tools)

from dcgan_mm.errors import ConfigError
from dcgan_mm.utils import did_you_mean
from dcgan_mm.utils.package_files import package_file

EVAL_DATALOADERS = ('val_dataloader', 'test_dataloader')
# The default hooks mmengine's Runner adds itself; it accepts None only for these.
RUNNER_DEFAULT_HOOKS = ('runtime_info', 'timer', 'sampler_seed', 'logger', 'param_scheduler', 'checkpoint')
DATALOADERS = ('train_dataloader', *EVAL_DATALOADERS)


def load_config(path: str, cfg_options: dict | None = None) -> Config:
    """Read a config file and merge ``--cfg-options`` into it.

    A data folder given only for training (``train_dataloader.dataset.data_root``)
    is used for evaluation too, when evaluation read the same folder in the
    file: the metrics compare generated images with the training images.

    Raises:
        ConfigError: The file is missing or is not a valid config.
    """
    path = resolve_config(path)
    try:
        cfg = Config.fromfile(path)
    except Exception as error:  # mmengine raises several types for a broken file
        raise ConfigError(f"Config file '{path}' could not be read: {error}") from error
    file_root = data_root_of(cfg, 'train_dataloader')
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
        new_root = data_root_of(cfg, 'train_dataloader')
        if new_root != file_root:
            for key in EVAL_DATALOADERS:
                if file_root is not None and data_root_of(cfg, key) == file_root:
                    cfg[key].dataset.data_root = new_root
    switch_off_hooks_set_to_none(cfg)
    for key in DATALOADERS:
        loader = cfg.get(key)
        if isinstance(loader, dict) and not loader.get('num_workers', 0):
            loader['persistent_workers'] = False  # torch refuses persistent workers without workers
    return cfg


def resolve_config(path: str) -> str:
    """``path`` when it is a file, else the shipped config of that file name (from any directory, wheel included).

    ``'dcgan_demo_digits-32x32'``, ``'dcgan_demo_digits-32x32.py'`` and
    ``'configs/dcgan_demo_digits-32x32.py'`` all name the demo config.

    Raises:
        ConfigError: Neither exists; the message suggests the closest shipped names.
    """
    if osp.isfile(path):
        return path
    name = osp.basename(path if path.endswith('.py') else f'{path}.py')
    shipped = package_file('configs')
    candidate = osp.join(shipped, name)
    if osp.isfile(candidate):
        return candidate
    names = sorted(file[:-3] for file in os.listdir(shipped) if file.endswith('.py')) if osp.isdir(shipped) else []
    raise ConfigError(f"Config file '{path}' does not exist, nor is it a config shipped with dcgan_mm."
                      f"{did_you_mean(name[:-3], names)} Shipped configs: {', '.join(names) or 'none found'}.")


def switch_off_hooks_set_to_none(cfg: Config) -> None:
    """``default_hooks.NAME=None`` switches any default hook off, not only mmengine's own.

    mmengine's Runner removes its own default hooks when they are None but
    asserts on any other (ours: ``health``, ``sample_grid``, ...).
    """
    hooks = cfg.get('default_hooks')
    if isinstance(hooks, dict):
        for name in [name for name, hook in hooks.items() if hook is None and name not in RUNNER_DEFAULT_HOOKS]:
            del hooks[name]


def data_root_of(cfg: Config, dataloader_key: str):
    """``cfg[dataloader_key].dataset.data_root``, or None where absent (or evaluation is off)."""
    loader = cfg.get(dataloader_key)
    dataset = loader.get('dataset') if isinstance(loader, dict) else None
    return dataset.get('data_root') if isinstance(dataset, dict) else None


def default_work_dir(config_path: str) -> str:
    """``work_dirs/<config file name without .py>``, OpenMMLab's convention."""
    return osp.join('work_dirs', osp.splitext(osp.basename(config_path))[0])
