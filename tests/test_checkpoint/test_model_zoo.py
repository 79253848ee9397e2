import os.path as osp
import re

import pytest

from dcgan_mm.checkpoint.model_zoo import find_model, model_zoo_entries, weights_url
from dcgan_mm.errors import ConfigError
from dcgan_mm.utils.package_files import package_file
from tests.conftest import REPO_ROOT

OPENMMLAB_WEIGHTS = re.compile(r'https://download\.openmmlab\.com/.+-[0-9a-f]{8}\.pth')


def write_index(folder, models: str) -> str:
    """model-index.yml importing configs/metafile.yml, as in the repository."""
    (folder / 'configs').mkdir(parents=True, exist_ok=True)
    (folder / 'configs' / 'metafile.yml').write_text(models)
    (folder / 'model-index.yml').write_text('Import:\n- configs/metafile.yml\n')
    return str(folder / 'model-index.yml')


TWO_MODELS = '''Models:
- Name: dcgan_tiny
  Config: configs/dcgan_tiny-16x16.py
  Results:
  - Dataset: Digits
    Metrics:
      MS-SSIM: 0.5
  Weights: http://127.0.0.1:1/dcgan_tiny-0123abcd.pth
- Name: dcgan_other
  Config: configs/dcgan_other.py
  Weights: http://127.0.0.1:1/dcgan_other-89abcdef.pth
'''


def test_shipped_metafile_entries_have_a_config_and_published_weights():
    models = model_zoo_entries()
    assert package_file('model-index.yml') == str(REPO_ROOT / 'model-index.yml') and len(models) == 3
    assert len({model.name for model in models}) == len(models)
    for model in models:
        assert osp.isfile(model.config), model.config
        assert model.config_name == model.name  # the names users type work either way
        assert OPENMMLAB_WEIGHTS.fullmatch(model.weights), model.weights
        assert {'MS-SSIM', 'SWD/avg'} <= set(model.metrics)
        assert model.metadata['Channel Order'] in ('bgr', 'gray')


def test_models_are_found_by_name_or_config_file_relative_to_the_index(tmp_path):
    index = write_index(tmp_path, TWO_MODELS)
    models = model_zoo_entries(index)
    assert [model.name for model in models] == ['dcgan_tiny', 'dcgan_other']
    tiny = models[0]
    assert tiny.config == str(tmp_path / 'configs' / 'dcgan_tiny-16x16.py')
    assert tiny.dataset == 'Digits' and tiny.metrics == {'MS-SSIM': 0.5} and models[1].metrics == {}
    assert find_model('dcgan_tiny', models) is tiny
    assert find_model('dcgan_tiny-16x16', models) is tiny
    assert find_model('configs/dcgan_tiny-16x16.py', models) is tiny
    assert weights_url('dcgan_other', index) == 'http://127.0.0.1:1/dcgan_other-89abcdef.pth'


def test_unknown_name_suggests_and_lists_the_valid_names(tmp_path):
    models = model_zoo_entries(write_index(tmp_path, TWO_MODELS))
    with pytest.raises(ConfigError, match=r"'tiny' is not a model of the model zoo\. Did you mean 'dcgan_tiny'\? "
                                          r'Valid names: dcgan_tiny, dcgan_other\.'):
        find_model('tiny', models)
    with pytest.raises(ConfigError, match=r"'xyz' is not a model of the model zoo\. Valid names: dcgan_tiny"):
        find_model('xyz', models)


def test_broken_index_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match='does not exist.*--model-index'):
        model_zoo_entries(str(tmp_path / 'missing.yml'))
    with pytest.raises(ConfigError, match=r'\(dcgan_tiny\) lacks Weights'):
        model_zoo_entries(write_index(tmp_path, 'Models:\n- Name: dcgan_tiny\n  Config: configs/x.py\n'))
    with pytest.raises(ConfigError, match='is not valid YAML'):
        model_zoo_entries(write_index(tmp_path, 'Models: [\n'))
