"""A hook that kills its own process with SIGKILL at a given iteration: a worker lost mid-run, on cue."""
import os
import signal

from mmengine.dist import get_rank
from mmengine.hooks import Hook

from dcgan_mm.registry import HOOKS


@HOOKS.register_module(force=True)
class KillRankHook(Hook):
    """``kill -9`` of rank ``rank`` right after iteration ``at_iter`` (1-based) has finished."""

    def __init__(self, rank: int = 1, at_iter: int = 25):
        self.rank, self.at_iter = rank, at_iter

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if get_rank() == self.rank and runner.iter + 1 == self.at_iter:
            os.kill(os.getpid(), signal.SIGKILL)
