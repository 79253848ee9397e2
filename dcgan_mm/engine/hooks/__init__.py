"""Training hooks: sample grids, metric dumps, loss health, pre-emption, run summary, sync-free loss logging."""
from .dump_metrics import DumpMetricsHook
from .preemption import PreemptionHook
from .run_summary import RunSummaryHook
from .runtime_info import DeferredRuntimeInfoHook
from .sample_grid import SampleGridHook
from .training_health import TrainingDivergedError, TrainingHealthHook

__all__ = ['DeferredRuntimeInfoHook', 'DumpMetricsHook', 'PreemptionHook', 'RunSummaryHook', 'SampleGridHook',
           'TrainingDivergedError', 'TrainingHealthHook']
