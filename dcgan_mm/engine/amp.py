"""Mixed precision without a loss scaler (bfloat16), on CPUs as well as GPUs.

mmengine's ``AmpOptimWrapper`` always carries a loss scaler and refuses to
start without a GPU. bfloat16 has float32's exponent range, so its gradients
neither underflow nor need scaling: :class:`AutocastOptimWrapper` only runs
the forward pass of its network under ``torch.autocast`` on the device the
network lives on. float16 keeps needing the scaler: ``AmpOptimWrapper`` on CUDA. ``tools/train.py --amp``
chooses between them (:func:`dcgan_mm.cli.amp.enable_amp`).
"""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from torch import nn

from dcgan_mm.errors import ConfigError
from dcgan_mm.registry import OPTIM_WRAPPERS
from dcgan_mm.utils import device_of

SCALER_FREE_DTYPES = ('bfloat16',)


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
