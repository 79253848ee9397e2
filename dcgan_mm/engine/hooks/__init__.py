from .dump_metrics import DumpMetricsHook
from .sample_grid import SampleGridHook

__all__ = ['DumpMetricsHook', 'SampleGridHook']
