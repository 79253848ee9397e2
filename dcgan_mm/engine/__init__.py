"""Training machinery around mmengine's Runner; importing registers hooks and constructors."""
from .checkpoint import SafeCheckpointHook, safe_load
from .hooks import DumpMetricsHook, SampleGridHook
from .model_wrappers import SeparateDistributedDataParallel
from .optimizers import MultiOptimWrapperConstructor

__all__ = ['DumpMetricsHook', 'MultiOptimWrapperConstructor', 'SafeCheckpointHook', 'SampleGridHook',
           'SeparateDistributedDataParallel', 'safe_load']
