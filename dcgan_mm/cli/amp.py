"""The ``--amp`` switch of tools/train.py and tools/benchmark.py: one optimizer wrapper type per precision."""
import torch

from dcgan_mm.errors import ConfigError

# The values of --amp; 'auto': fp16 with CUDA, else bf16.
AMP_PRECISIONS = ('auto', 'fp16', 'bf16')


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
