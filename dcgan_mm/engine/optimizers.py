"""One optimizer wrapper per sub-network, as the two-player training step needs."""
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from torch import nn

from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import OPTIM_WRAPPER_CONSTRUCTORS
from dcgan_mm.utils import unwrap_model


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MultiOptimWrapperConstructor:
    """Builds an ``OptimWrapperDict`` with one entry per named sub-module.

    ``optim_wrapper=dict(constructor='MultiOptimWrapperConstructor',
    generator=dict(optimizer=...), discriminator=dict(optimizer=...))``
    gives ``optim_wrapper['generator']`` the generator's parameters only, and
    likewise for the discriminator. Each entry is an ordinary mmengine optim
    wrapper config (``type``, ``optimizer``, ``paramwise_cfg``, ``clip_grad``...).

    Args:
        optim_wrapper_cfg: Sub-module name -> optim wrapper config.
        paramwise_cfg: Not supported at this level; give it per sub-module.
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg: dict | None = None):
        if paramwise_cfg is not None:
            raise ConfigError('optim_wrapper.paramwise_cfg must be given per sub-network '
                              '(optim_wrapper.generator.paramwise_cfg, ...)')
        self.optim_wrapper_cfg = dict(optim_wrapper_cfg)

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        model = unwrap_model(model)
        wrappers = {}
        for name, cfg in self.optim_wrapper_cfg.items():
            submodule = getattr(model, name, None)
            if not isinstance(submodule, nn.Module):
                raise ConfigError(f"optim_wrapper.{name}: the model has no sub-network '{name}' "
                                  f'(it has: {", ".join(n for n, _ in model.named_children())})')
            cfg = dict(cfg)
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[name] = DefaultOptimWrapperConstructor(cfg, paramwise)(submodule)
        return OptimWrapperDict(**wrappers)
