import pytest
import torch
from mmengine.optim import OptimWrapperDict

from dcgan_mm.engine import MultiOptimWrapperConstructor
from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import MODELS

TINY_MODEL = dict(type='DCGAN', noise_size=8,
                  generator=dict(type='DCGANGenerator', output_scale=16, base_channels=16),
                  discriminator=dict(type='DCGANDiscriminator', input_scale=16, base_channels=8))


def test_one_optimizer_per_network_with_its_own_parameters_and_settings():
    model = MODELS.build(TINY_MODEL)
    wrappers = MultiOptimWrapperConstructor(dict(
        generator=dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.5, 0.999))),
        discriminator=dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))),
    ))(model)
    assert isinstance(wrappers, OptimWrapperDict)
    g_params = {id(p) for group in wrappers['generator'].optimizer.param_groups for p in group['params']}
    d_params = {id(p) for group in wrappers['discriminator'].optimizer.param_groups for p in group['params']}
    assert g_params == {id(p) for p in model.generator.parameters()}
    assert d_params == {id(p) for p in model.discriminator.parameters()}
    assert wrappers['generator'].optimizer.param_groups[0]['lr'] == 4e-4
    assert wrappers['discriminator'].optimizer.param_groups[0]['betas'] == (0.5, 0.999)
    assert isinstance(wrappers['generator'].optimizer, torch.optim.Adam)


def test_unknown_sub_network_is_a_config_error_naming_the_key():
    model = MODELS.build(TINY_MODEL)
    with pytest.raises(ConfigError, match=r"optim_wrapper.genrator.*generator"):
        MultiOptimWrapperConstructor(dict(genrator=dict(optimizer=dict(type='Adam', lr=1e-4))))(model)
