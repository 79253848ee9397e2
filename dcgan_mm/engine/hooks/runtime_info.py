"""mmengine's RuntimeInfoHook without a host-device sync per iteration: losses reach the log in bursts."""
import torch
from mmengine.hooks import RuntimeInfoHook

from dcgan_mm.registry import HOOKS

from .schedule import checkpoint_follows, log_line_follows, validation_follows


@HOOKS.register_module()
class DeferredRuntimeInfoHook(RuntimeInfoHook):
    """Keeps each iteration's losses on the device until something reads them.

    mmengine's hook turns every loss into a Python float as soon as the
    iteration ends (``update_scalar`` calls ``.item()``), so on a GPU each
    iteration waits for the device to finish. Here the detached loss tensors
    are kept and handed to the message hub, one copy per loss for all the
    iterations since the last hand-over, only after iterations that a log line,
    a checkpoint (which saves the message hub) or a validation follows. The
    message hub then holds exactly what mmengine's hook would have put there,
    in the same order, so logs, smoothing windows and resumed checkpoints are
    unchanged. Select it with ``default_hooks.runtime_info=dict(type='DeferredRuntimeInfoHook')``.

    Args:
        max_pending: Hand over after at most this many iterations whatever follows,
            bounding the memory the kept tensors take.
    """

    def __init__(self, max_pending: int = 1000):
        super().__init__()
        self.max_pending = max_pending
        self.pending: dict[str, list] = {}
        self.pending_iterations = 0

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs: dict | None = None) -> None:
        for key, value in (outputs or {}).items():
            self.pending.setdefault(key, []).append(value.detach() if isinstance(value, torch.Tensor) else value)
        self.pending_iterations += 1
        if (self.pending_iterations >= self.max_pending or log_line_follows(runner, batch_idx)
                or checkpoint_follows(runner) or validation_follows(runner)):
            self.flush(runner)

    def after_train(self, runner) -> None:
        self.flush(runner)

    def flush(self, runner) -> None:
        """Hand every kept value to the message hub, one device-to-host copy per loss."""
        for key, values in self.pending.items():
            if all(isinstance(value, torch.Tensor) and value.numel() == 1 for value in values):
                values = torch.stack([value.reshape(()) for value in values]).float().tolist()
            for value in values:
                runner.message_hub.update_scalar(f'train/{key}', value)
        self.pending.clear()
        self.pending_iterations = 0
