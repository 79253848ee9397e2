"""Every config in configs/ loads, and builds its model and dataset."""
import re
from pathlib import Path

import pytest
import yaml
from mmengine.registry import DefaultScope

from dcgan_mm.cli.config import load_config
from dcgan_mm.registry import DATASETS, MODELS
from tests.conftest import REPO_ROOT, write_images

CONFIGS = sorted(str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / 'configs').glob('*.py'))
FOLDER_DATASETS = ('ImageFolderDataset',)


@pytest.mark.parametrize('config', CONFIGS)
def test_config_builds_its_model(config):
    cfg = load_config(str(REPO_ROOT / config))
    assert cfg.default_scope == 'dcgan_mm'
    model = MODELS.build(cfg.model)
    images = model.generate(model.noise(2))
    scale = cfg.model.generator.output_scale
    assert images.shape == (2, cfg.model.generator.get('out_channels', 3), scale, scale)


@pytest.mark.parametrize('config', CONFIGS)
def test_config_builds_its_dataset_on_a_tiny_folder(config, tmp_path):
    cfg = load_config(str(REPO_ROOT / config))
    dataset_cfg = cfg.train_dataloader.dataset
    if dataset_cfg.type in FOLDER_DATASETS:
        channels = cfg.model.generator.get('out_channels', 3)
        write_images(tmp_path, 3, size=20, channels=channels)
        dataset_cfg.data_root = str(tmp_path)
    elif dataset_cfg.type != 'DigitsDataset':
        pytest.skip(f'{dataset_cfg.type} is built from its own file format in tests/test_datasets')
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        sample = DATASETS.build(dataset_cfg)[0]
    scale = cfg.model.generator.output_scale
    assert sample['inputs'].shape == (cfg.model.discriminator.get('in_channels', 3), scale, scale)


@pytest.mark.parametrize('config', [c for c in CONFIGS if 'demo' not in c])
def test_model_zoo_hyper_parameters_are_openmmlabs(config):
    cfg = load_config(str(REPO_ROOT / config))
    assert cfg.train_dataloader.batch_size == 128
    for name in ('generator', 'discriminator'):
        assert cfg.optim_wrapper[name].optimizer.type == 'Adam'
        assert tuple(cfg.optim_wrapper[name].optimizer.betas) == (0.5, 0.999)
    assert cfg.default_hooks.checkpoint.save_best == 'swd/avg' and cfg.default_hooks.checkpoint.rule == 'less'
    assert {m['type'] for m in cfg.val_evaluator.metrics} == {'SWD', 'MS_SSIM'}


def test_metafile_lists_the_three_configs_with_weights_named_by_their_hash():
    index = yaml.safe_load((REPO_ROOT / 'model-index.yml').read_text())
    metafile = yaml.safe_load((REPO_ROOT / index['Import'][0]).read_text())
    names = [model['Name'] for model in metafile['Models']]
    assert len(names) == len(set(names)) == 3
    for model in metafile['Models']:
        assert (REPO_ROOT / model['Config']).is_file()
        assert Path(model['Config']).stem == model['Name']
        assert re.search(r'-[0-9a-f]{8}\.pth$', model['Weights'])
        assert set(model['Results'][0]['Metrics']) == {'MS-SSIM', 'SWD/64', 'SWD/32', 'SWD/16', 'SWD/avg'}
