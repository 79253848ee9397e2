from .dump_metrics import DumpMetricsHook
from .preemption import PreemptionHook
from .sample_grid import SampleGridHook
from .training_health import TrainingDivergedError, TrainingHealthHook

__all__ = ['DumpMetricsHook', 'PreemptionHook', 'SampleGridHook', 'TrainingDivergedError', 'TrainingHealthHook']
