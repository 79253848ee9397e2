"""tools/train.py --amp: which optimizer wrapper each precision selects, and where it cannot run."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from dcgan_mm.cli.amp import enable_amp
from dcgan_mm.engine.amp import AutocastOptimWrapper
from dcgan_mm.engine.optimizers import MultiOptimWrapperConstructor
from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import MODELS
from tests.test_engine.test_amp import ADAM, TINY_MODEL


def two_wrappers() -> Config:
    return Config(dict(optim_wrapper=dict(constructor='MultiOptimWrapperConstructor',
                                          generator=dict(type='AmpOptimWrapper', loss_scale=512.0, optimizer=ADAM),
                                          discriminator=dict(optimizer=ADAM, clip_grad=dict(max_norm=1.0)))))


@pytest.mark.parametrize('precision', ['auto', 'bf16'])
def test_amp_on_a_cpu_means_bf16_autocast_for_each_optimizer(monkeypatch, precision):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = two_wrappers()
    enable_amp(cfg, precision)
    for name in ('generator', 'discriminator'):
        assert cfg.optim_wrapper[name].type == 'AutocastOptimWrapper'
        assert cfg.optim_wrapper[name].dtype == 'bfloat16'
    assert cfg.optim_wrapper.discriminator.clip_grad == dict(max_norm=1.0)  # the rest is kept
    assert 'loss_scale' not in cfg.optim_wrapper.generator  # a loss scaler's argument, with no scaler left
    cfg.optim_wrapper.pop('constructor')
    with DefaultScope.overwrite_default_scope('dcgan_mm'):
        wrappers = MultiOptimWrapperConstructor(cfg.optim_wrapper.to_dict())(MODELS.build(TINY_MODEL))
    assert all(isinstance(wrapper, AutocastOptimWrapper) for wrapper in wrappers.values())


@pytest.mark.parametrize('precision', ['auto', 'fp16'])
def test_amp_on_cuda_means_fp16_with_a_dynamic_loss_scaler_per_optimizer(monkeypatch, precision):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = two_wrappers()
    enable_amp(cfg, precision)
    for name in ('generator', 'discriminator'):
        assert cfg.optim_wrapper[name].type == 'AmpOptimWrapper'
        assert cfg.optim_wrapper[name].dtype == 'float16'
        assert cfg.optim_wrapper[name].loss_scale == 'dynamic'


def test_amp_fp16_without_cuda_is_a_config_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    with pytest.raises(ConfigError, match='--amp fp16 needs a CUDA GPU.*Use --amp bf16'):
        enable_amp(two_wrappers(), 'fp16')


def test_amp_bf16_on_a_gpu_without_bfloat16_is_a_config_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'is_bf16_supported', lambda: False)
    with pytest.raises(ConfigError, match='does not support bfloat16. Use --amp fp16'):
        enable_amp(two_wrappers(), 'bf16')
