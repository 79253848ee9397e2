"""Mixed precision without a loss scaler (bfloat16), on CPUs as well as GPUs.

mmengine's ``AmpOptimWrapper`` always carries a loss scaler and refuses to
start without a GPU. bfloat16 has float32's exponent range, so its gradients
neither underflow nor need scaling: :class:`AutocastOptimWrapper` only runs
the forward pass of its network under ``torch.autocast`` on the device the
network lives on. float16 keeps needing the scaler: ``AmpOptimWrapper`` on CUDA.
"""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from torch import nn

from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import OPTIM_WRAPPERS

SCALER_FREE_DTYPES = ('bfloat16',)
# The values of --amp (tools/train.py, tools/benchmark.py train); 'auto': fp16 with CUDA, else bf16.
AMP_PRECISIONS = ('auto', 'fp16', 'bf16')


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(OptimWrapper):
    """An ``OptimWrapper`` whose ``optim_context`` runs the forward pass under ``torch.autocast``.

    ``optim_wrapper=dict(generator=dict(type='AutocastOptimWrapper', dtype='bfloat16',
    optimizer=...), ...)``: each network's forward (in the model's ``train_step``, inside
    ``optim_wrapper.optim_context(network)``) runs its matrix products and convolutions in
    ``dtype``; weights, gradients and optimizer state stay float32. The backward pass and the
    update run outside the context, as in any mmengine optim wrapper.

    Its state is the optimizer's alone. A checkpoint written with ``AmpOptimWrapper`` (float16)
    resumes with this wrapper: the loss scaler's state is dropped.

    Args:
        optimizer: The optimizer of the network's parameters.
        accumulative_counts: Iterations whose gradients are summed per update.
        clip_grad: Gradient clipping arguments, as in ``OptimWrapper``.
        dtype: The autocast data type; only ``'bfloat16'``, as float16 needs a loss scaler.

    Raises:
        ConfigError: ``dtype`` is not a scaler-free type.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, accumulative_counts: int = 1, clip_grad: dict | None = None,
                 dtype: str = 'bfloat16'):
        if dtype == 'float16':
            raise ConfigError("AutocastOptimWrapper has no loss scaler, and float16 gradients underflow without "
                              "one: use dtype='bfloat16', or type='AmpOptimWrapper' (a loss scaler, CUDA only) "
                              'for float16.')
        if dtype not in SCALER_FREE_DTYPES:
            raise ConfigError(f'AutocastOptimWrapper.dtype must be one of {SCALER_FREE_DTYPES}, got {dtype!r}')
        super().__init__(optimizer, accumulative_counts=accumulative_counts, clip_grad=clip_grad)
        self.cast_dtype = getattr(torch, dtype)

    @contextmanager
    def optim_context(self, model: nn.Module):
        """Autocast on ``model``'s device, inside mmengine's context (gradient-accumulation ``no_sync``)."""
        with super().optim_context(model), torch.autocast(device_of(model).type, dtype=self.cast_dtype):
            yield

    def load_state_dict(self, state_dict: dict) -> None:
        state_dict = {key: value for key, value in state_dict.items() if key != 'loss_scaler'}
        super().load_state_dict(state_dict)

    def __repr__(self) -> str:
        return f'{super().__repr__()}\nautocast dtype: {self.cast_dtype}'


def device_of(model: nn.Module) -> torch.device:
    """The device of ``model``'s first parameter (the CPU for a model without any)."""
    parameter = next(model.parameters(), None)
    return torch.device('cpu') if parameter is None else parameter.device


def enable_amp(cfg, precision: str = 'auto') -> None:
    """Mixed precision for each sub-network's optimizer wrapper.

    Args:
        cfg: The config; every ``optim_wrapper`` entry with an ``optimizer`` is changed.
        precision: ``'fp16'`` (mmengine's ``AmpOptimWrapper``: autocast and a dynamic
            loss scaler per optimizer, CUDA only), ``'bf16'`` (``AutocastOptimWrapper``:
            autocast without a scaler, CPU or GPU) or ``'auto'`` (fp16 with CUDA, else bf16).

    Raises:
        ConfigError: The precision cannot run on this machine.
    """
    cuda = torch.cuda.is_available()
    if precision == 'auto':
        precision = 'fp16' if cuda else 'bf16'
    if precision == 'fp16' and not cuda:
        raise ConfigError('--amp fp16 needs a CUDA GPU (its loss scaler runs there); none is available here. '
                          'Use --amp bf16, which runs on CPUs too, or train without --amp.')
    if precision == 'bf16' and cuda and not torch.cuda.is_bf16_supported():
        raise ConfigError('--amp bf16: this GPU does not support bfloat16. Use --amp fp16.')
    wrapper_cfg = (dict(type='AmpOptimWrapper', dtype='float16', loss_scale='dynamic') if precision == 'fp16'
                   else dict(type='AutocastOptimWrapper', dtype='bfloat16'))
    for wrapper in cfg.optim_wrapper.values():
        if isinstance(wrapper, dict) and 'optimizer' in wrapper:
            if precision == 'bf16':  # AmpOptimWrapper's own arguments, from a config that chose it
                for key in ('loss_scale', 'use_fsdp'):
                    wrapper.pop(key, None)
            wrapper.update(wrapper_cfg)
