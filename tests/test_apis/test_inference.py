import pytest
import torch

from dcgan_mm.apis import init_model
from dcgan_mm.errors import CheckpointError, ConfigError

from .tiny import tiny_config, tiny_model, write_tiny


def test_builds_from_a_config_file_and_loads_the_checkpoint_in_eval_mode(tmp_path):
    config, checkpoint = write_tiny(tmp_path, seed=3)
    model = init_model(str(config), str(checkpoint))
    assert not model.training
    expected = tiny_model(seed=3).state_dict()
    assert all(torch.equal(value, expected[key]) for key, value in model.state_dict().items())


def test_builds_from_a_config_object_with_overrides_and_random_weights():
    model = init_model(tiny_config(), cfg_options={'model.generator.base_channels': 32})
    assert model.generator.base_channels == 32 and not model.training


def test_a_missing_checkpoint_or_config_is_a_clear_error(tmp_path):
    config, _ = write_tiny(tmp_path)
    with pytest.raises(CheckpointError, match='does not exist'):
        init_model(str(config), str(tmp_path / 'missing.pth'))
    with pytest.raises(ConfigError, match='does not exist'):
        init_model(str(tmp_path / 'missing.py'))


def test_a_checkpoint_of_another_model_is_refused(tmp_path):
    config, checkpoint = write_tiny(tmp_path)
    with pytest.raises(CheckpointError, match='does not fit'):
        init_model(str(config), str(checkpoint), cfg_options={'model.discriminator.base_channels': 16})
