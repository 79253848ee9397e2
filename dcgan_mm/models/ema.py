"""The generator's exponential moving average, updated without stalling a GPU."""
import torch
from mmengine.model import ExponentialMovingAverage
from torch import nn

from dcgan_mm.utils import unwrap_model


class GeneratorEMA(ExponentialMovingAverage):
    """mmengine's ``ExponentialMovingAverage``, with the same results and state, but no host-device syncs.

    mmengine's update tests its step counter, a tensor on the model's device,
    twice per call (each test waits for the GPU to finish the iteration) and
    averages one tensor at a time. Here the host keeps its own count of the
    updates and all parameters are averaged by one ``torch._foreach_lerp_``.
    ``steps`` is still kept on the device and in the state dict
    (``module.*`` and ``steps``, as mmengine writes them), so checkpoints move
    freely between the two classes.

    Args:
        model: The generator to average (its weights are copied at the first update).
        momentum: Weight of the new weights: ``avg = (1 - momentum) * avg + momentum * weights``.
        interval: Average every ``interval`` updates (the others only copy the buffers).
        device: Where the averaged copy lives (default: the model's device).
        update_buffers: Average the buffers too instead of copying them.
    """

    def __init__(self, model: nn.Module, momentum: float = 0.0002, interval: int = 1,
                 device: torch.device | None = None, update_buffers: bool = False):
        super().__init__(model, momentum=momentum, interval=interval, device=device, update_buffers=update_buffers)
        self.num_updates = 0  # the host's copy of ``steps``

    @torch.no_grad()
    def update_parameters(self, model: nn.Module) -> None:
        """Average ``model``'s current weights in (``model`` may be wrapped, e.g. in DDP)."""
        model = unwrap_model(model)
        sources = model.state_dict() if self.update_buffers else dict(model.named_parameters())
        if self.num_updates == 0:
            for name, average in self.avg_parameters.items():
                average.copy_(sources[name])
        elif self.num_updates % self.interval == 0:
            names = [name for name, average in self.avg_parameters.items() if average.dtype.is_floating_point]
            averages = [self.avg_parameters[name] for name in names]
            torch._foreach_lerp_(averages, [sources[name].to(average.device) for name, average in
                                            zip(names, averages)], self.momentum)
        if not self.update_buffers:
            for average, source in zip(self.module.buffers(), model.buffers()):
                average.copy_(source)
        self.steps += 1
        self.num_updates += 1

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        self.num_updates = int(self.steps)  # once per load, not per update
