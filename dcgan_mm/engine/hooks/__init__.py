"""Training hooks: sample grids, metric dumps, loss health, pre-emption, sync-free loss logging."""
from .dump_metrics import DumpMetricsHook
from .preemption import PreemptionHook
from .runtime_info import DeferredRuntimeInfoHook
from .sample_grid import SampleGridHook
from .training_health import TrainingDivergedError, TrainingHealthHook

__all__ = ['DeferredRuntimeInfoHook', 'DumpMetricsHook', 'PreemptionHook', 'SampleGridHook', 'TrainingDivergedError',
           'TrainingHealthHook']
