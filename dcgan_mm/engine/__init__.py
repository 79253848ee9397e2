"""Training machinery around mmengine's Runner; importing registers hooks and constructors."""
from .amp import AutocastOptimWrapper
from .atomic_backend import AtomicLocalBackend
from .checkpoint import SafeCheckpointHook, safe_load
from .hooks import DumpMetricsHook, PreemptionHook, SampleGridHook, TrainingHealthHook
from .loops import ResumableIterBasedTrainLoop
from .model_wrappers import SeparateDistributedDataParallel
from .optimizers import MultiOptimWrapperConstructor

__all__ = [
    'AtomicLocalBackend', 'AutocastOptimWrapper', 'DumpMetricsHook', 'MultiOptimWrapperConstructor', 'PreemptionHook',
    'ResumableIterBasedTrainLoop', 'SafeCheckpointHook', 'SampleGridHook', 'SeparateDistributedDataParallel',
    'TrainingHealthHook', 'safe_load',
]
