from .dump_metrics import DumpMetricsHook
from .preemption import PreemptionHook
from .run_summary import RunSummaryHook
from .sample_grid import SampleGridHook
from .training_health import TrainingDivergedError, TrainingHealthHook

__all__ = ['DumpMetricsHook', 'PreemptionHook', 'RunSummaryHook', 'SampleGridHook', 'TrainingDivergedError',
           'TrainingHealthHook']
