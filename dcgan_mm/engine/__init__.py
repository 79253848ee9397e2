"""Training machinery around mmengine's Runner; importing registers hooks and constructors."""
from .hooks import DumpMetricsHook, SampleGridHook
from .optimizers import MultiOptimWrapperConstructor

__all__ = ['DumpMetricsHook', 'MultiOptimWrapperConstructor', 'SampleGridHook']
