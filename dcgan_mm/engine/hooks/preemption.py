"""Turns SIGTERM/SIGINT (cluster pre-emption, Ctrl-C) into a resumable checkpoint and a clean exit."""
import signal

import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import CheckpointHook, Hook

from dcgan_mm.registry import HOOKS

from ..resume import atomic_backend_args

HANDLED_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@HOOKS.register_module()
class PreemptionHook(Hook):
    """On SIGTERM or SIGINT, finish the current iteration, save a checkpoint, and exit.

    The exit code is 128 + the signal number, as a shell reports a process
    killed by that signal, so schedulers see the job as interrupted. A second
    signal while saving is ignored until the checkpoint is complete.

    In distributed runs every rank must stop at the same iteration: the ranks
    agree (one all-reduce) every ``dist_check_interval`` iterations.

    Args:
        dist_check_interval: Iterations between the ranks' agreement checks.
    """

    priority = 'LOWEST'  # after the iteration's own checkpoint, if any

    def __init__(self, dist_check_interval: int = 10):
        self.dist_check_interval = dist_check_interval
        self.received: int | None = None
        self.previous_handlers = {}

    def before_train(self, runner) -> None:
        for signum in HANDLED_SIGNALS:
            try:
                self.previous_handlers[signum] = signal.signal(signum, self.on_signal)
            except ValueError:  # not the main thread: leave signals alone
                return

    def after_train(self, runner) -> None:
        for signum, handler in self.previous_handlers.items():
            signal.signal(signum, handler)
        self.previous_handlers.clear()

    def on_signal(self, signum, frame) -> None:
        self.received = self.received or signum

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        signum = self.agreed_signal(runner)
        if signum is None:
            return
        for handled in HANDLED_SIGNALS:
            signal.signal(handled, signal.SIG_IGN)
        filename = f'iter_{runner.iter + 1}.pth'
        checkpoint_hook = next((hook for hook in runner.hooks if isinstance(hook, CheckpointHook)), None)
        backend_args = atomic_backend_args(getattr(checkpoint_hook, 'backend_args', None), runner.work_dir)
        resume_state = getattr(runner.train_loop, 'resume_state', None)  # the resumable loop owns it
        if resume_state is not None:  # every rank is here: the states of all of them go into the checkpoint
            resume_state.gather_rank_states(runner)
        # by_epoch=False: the checkpoint records the iterations done (runner.iter + 1), as CheckpointHook's do.
        runner.save_checkpoint(runner.work_dir, filename, save_optimizer=True, save_param_scheduler=True,
                               by_epoch=False, backend_args=backend_args)
        if runner.rank == 0 and checkpoint_hook is not None:
            checkpoint_hook.file_backend.put_text(
                checkpoint_hook.file_backend.join_path(runner.work_dir, filename),
                checkpoint_hook.file_backend.join_path(runner.work_dir, 'last_checkpoint'))
        runner.logger.warning(f'Received {signal.Signals(signum).name}: saved {filename} in {runner.work_dir}. '
                              'Continue with: python tools/train.py CONFIG --resume')
        # End as a finished run does: the run summary (after_train), then the visualization
        # backends closed and flushed (LoggerHook.after_run), so no dashboard loses its last points.
        runner.call_hook('after_train')
        runner.call_hook('after_run')
        raise SystemExit(128 + signum)

    def agreed_signal(self, runner) -> int | None:
        if get_world_size() == 1:
            return self.received
        if (runner.iter + 1) % self.dist_check_interval:
            return None
        flag = torch.tensor([self.received or 0], dtype=torch.int64)
        all_reduce(flag, op='max')
        return int(flag.item()) or None
