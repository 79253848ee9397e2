"""After which iterations a hook reads what the iteration produced: a checkpoint, a log line, a validation.

Hooks that keep the iteration's results on the device (no host-device sync per
iteration) hand them over only when one of these follows.
"""
from mmengine.hooks import CheckpointHook, LoggerHook


def checkpoint_follows(runner) -> bool:
    """Whether ``CheckpointHook`` saves after the iteration ``runner.iter`` (or the validation right after it)."""
    for hook in runner.hooks:
        if not isinstance(hook, CheckpointHook) or hook.by_epoch:
            continue
        if hook.every_n_train_iters(runner, hook.interval, hook.save_begin) or (
                hook.save_last and hook.is_last_train_iter(runner)):
            return True
        if hook.save_best is not None and validation_follows(runner):
            return True
    return False


def log_line_follows(runner, batch_idx: int) -> bool:
    """Whether ``LoggerHook`` writes a training log line after the iteration ``batch_idx``."""
    return any(isinstance(hook, LoggerHook) and (hook.every_n_inner_iters(batch_idx, hook.interval)
                                                 or hook.end_of_epoch(runner.train_dataloader, batch_idx))
               for hook in runner.hooks)


def validation_follows(runner) -> bool:
    """Whether the train loop validates after the iteration ``runner.iter`` (the last one always counts)."""
    loop = runner.train_loop
    validates_after = getattr(loop, 'validates_after', None)
    done = runner.iter + 1
    if validates_after is not None:
        return runner.val_loop is not None and validates_after(done)
    return done == loop.max_iters
