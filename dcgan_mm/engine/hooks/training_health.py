"""Health of a training run: finite losses (else stop or roll back) and no collapse."""
import math

import torch
from mmengine.hooks import Hook

from dcgan_mm.errors import DcganError
from dcgan_mm.registry import HOOKS

from .schedule import checkpoint_follows


class TrainingDivergedError(DcganError):
    """A loss became NaN or infinite."""


@HOOKS.register_module()
class TrainingHealthHook(Hook):
    """Checks every iteration's losses.

    A NaN or infinite loss stops training with the iteration and the loss
    named, before the checkpoint hook runs, so the last good checkpoint is
    never replaced by a broken one. With ``rollback=True`` the run instead
    reloads the latest checkpoint, multiplies every learning rate by
    ``lr_factor`` and continues, at most ``max_rollbacks`` times.

    Losses pinned near zero (``abs(loss) < collapse_threshold``) for
    ``collapse_window`` iterations (one network winning outright, so the
    other gets no useful gradient) are logged as a warning once per loss,
    naming the losses and the iterations.

    With ``check_interval > 1`` the losses stay on the device and are checked
    in one copy every ``check_interval`` iterations, and always before a
    checkpoint is written (so a broken one never replaces a good one): on a GPU
    no iteration then waits for the device. A divergence is still reported with
    the iteration where it happened.

    Args:
        rollback: Reload the latest checkpoint instead of stopping.
        lr_factor: Learning-rate multiplier after each rollback.
        max_rollbacks: Rollbacks before giving up.
        collapse_window: Iterations a loss must stay within ``collapse_threshold`` of zero.
        collapse_threshold: A loss this close to zero means one side has won.
        check_interval: Iterations whose losses are checked at once.
    """

    priority = 'ABOVE_NORMAL'  # before the logger and checkpoint hooks

    def __init__(self, rollback: bool = False, lr_factor: float = 0.5, max_rollbacks: int = 3,
                 collapse_window: int = 200, collapse_threshold: float = 1e-3, check_interval: int = 1):
        self.rollback = rollback
        self.lr_factor = lr_factor
        self.max_rollbacks = max_rollbacks
        self.collapse_window = collapse_window
        self.collapse_threshold = collapse_threshold
        self.check_interval = check_interval
        self.pending: list[tuple[int, dict[str, torch.Tensor]]] = []  # (iteration, losses) not checked yet
        self.rollbacks = 0
        self.pinned_since: dict[str, int] = {}
        self.reported: set[str] = set()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        losses = {key: value.detach() for key, value in (outputs or {}).items() if isinstance(value, torch.Tensor)}
        if losses:
            self.pending.append((runner.iter, losses))
        if self.pending and (len(self.pending) >= self.check_interval or checkpoint_follows(runner)
                             or self.is_last_train_iter(runner)):
            self.check(runner)

    def check(self, runner) -> None:
        """Check the pending iterations' losses, copied to the host at once, in iteration order."""
        pending, self.pending = self.pending, []
        flat = torch.stack([value.reshape(()).float() for _, losses in pending for value in losses.values()]).tolist()
        position = 0
        for iteration, losses in pending:
            values = dict(zip(losses, flat[position:position + len(losses)]))
            position += len(losses)
            broken = sorted(key for key, value in values.items() if not math.isfinite(value))
            if broken:
                self.handle_divergence(runner, broken, values, iteration)
                return
            self.watch_collapse(runner, values, iteration)

    def handle_divergence(self, runner, broken: list[str], values: dict[str, float], index: int) -> None:
        iteration = index + 1
        what = ', '.join(f'{key}={values[key]}' for key in broken)
        checkpoint = latest_checkpoint(runner)
        if not self.rollback or checkpoint is None or self.rollbacks >= self.max_rollbacks:
            kept = f'The last good checkpoint, {checkpoint}, is untouched. ' if checkpoint else ''
            raise TrainingDivergedError(
                f'Training diverged at iteration {iteration}: {what}. {kept}Lower the learning rates '
                '(optim_wrapper.*.optimizer.lr) and resume with --resume, or set '
                'default_hooks.health.rollback=True to do so automatically.')
        self.rollbacks += 1
        runner.resume(checkpoint)
        for wrapper in runner.optim_wrapper.values():
            for group in wrapper.optimizer.param_groups:
                group['lr'] *= self.lr_factor
        runner.logger.warning(f'Training diverged at iteration {iteration} ({what}); rolled back to {checkpoint} '
                              f'and multiplied the learning rates by {self.lr_factor} '
                              f'(rollback {self.rollbacks} of {self.max_rollbacks}).')

    def watch_collapse(self, runner, values: dict[str, float], index: int) -> None:
        collapsed = []
        for key, value in values.items():
            if abs(value) >= self.collapse_threshold:
                self.pinned_since.pop(key, None)
                continue
            start = self.pinned_since.setdefault(key, index)
            if index - start + 1 >= self.collapse_window and key not in self.reported:
                self.reported.add(key)
                collapsed.append(f'{key} (since iteration {start + 1})')
        if collapsed:
            runner.logger.warning(
                f'Iteration {index + 1}: {", ".join(collapsed)} stayed within {self.collapse_threshold} of 0 '
                f'for {self.collapse_window} iterations: one network has won and training has likely collapsed. '
                'Check the samples; consider lower learning rates or another loss (model.loss.type).')


def latest_checkpoint(runner) -> str | None:
    """The checkpoint named in ``work_dir/last_checkpoint``, if any."""
    from mmengine.runner import find_latest_checkpoint
    return find_latest_checkpoint(runner.work_dir)
