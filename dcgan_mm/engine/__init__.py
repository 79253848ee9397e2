"""Extensions of mmengine's Runner: the train loop, optimizer and model wrappers, and training hooks."""
from .amp import AutocastOptimWrapper
from .hooks import DumpMetricsHook, PreemptionHook, RunSummaryHook, SampleGridHook, TrainingHealthHook
from .loops import ResumableIterBasedTrainLoop
from .model_wrappers import SeparateDistributedDataParallel
from .optimizers import MultiOptimWrapperConstructor
from .resume import ResumeState
from .vis_backends import StepImageMLflowVisBackend

__all__ = [
    'AutocastOptimWrapper', 'DumpMetricsHook', 'MultiOptimWrapperConstructor', 'PreemptionHook',
    'ResumableIterBasedTrainLoop', 'ResumeState', 'RunSummaryHook', 'SampleGridHook',
    'SeparateDistributedDataParallel', 'StepImageMLflowVisBackend', 'TrainingHealthHook',
]
