"""Seeing through model wrappers, and finding where a model lives."""
import torch
from mmengine.model import is_model_wrapper
from torch import nn


def unwrap_model(model: nn.Module) -> nn.Module:
    """The module inside a DDP-style wrapper (``model.module``), or ``model`` itself when it is bare."""
    return model.module if is_model_wrapper(model) else model


def device_of(model: nn.Module) -> torch.device:
    """The device of ``model``'s first parameter (the CPU for a model without any)."""
    parameter = next(unwrap_model(model).parameters(), None)
    return torch.device('cpu') if parameter is None else parameter.device
