"""Loading trained weights into a model strictly: a checkpoint of another model is an error, not a warning."""
import re
from contextlib import contextmanager

import torch
from torch import nn

from dcgan_mm.errors import CheckpointError
from dcgan_mm.utils import unwrap_model

from .download import local_checkpoint
from .serialization import safe_load

# A key of a checkpoint on disk written from a whole-model DDP wrapper (some model-zoo files): a string
# rule for keys, not for live modules, which unwrap_model sees through.
WRAPPER_PREFIX = re.compile(r'^module\.')
# meta written by dcgan_mm; its absence marks an OpenMMLab (mmgen/mmagic) checkpoint.
META_MARKER = 'dcgan_mm_version'
OPENMMLAB_CHANNEL_ORDER = 'bgr'  # their DCGANs were trained on OpenCV's BGR input


def load_weights(model: nn.Module, path_or_url: str, map_location='cpu') -> dict:
    """Load a checkpoint's ``state_dict`` into ``model``, requiring every key and shape to match.

    Keys may carry DDP's ``module.`` prefix, and ``model`` or its sub-networks
    may be wrapped (multi-process runs wrap each one in DDP). The averaged
    generator (``generator_ema.*``) may be absent, then it starts from the
    generator. Returns the checkpoint's ``meta`` (empty dict when absent).

    Raises:
        CheckpointError: The checkpoint is unreadable or belongs to another model.
    """
    model = unwrap_model(model)
    with unwrapped_children(model):
        return load_state(model, path_or_url, map_location)


@contextmanager
def unwrapped_children(model: nn.Module):
    """``model`` with its wrapped sub-networks temporarily bare, so its keys are the checkpoint's.

    The bare modules share their tensors with the wrapped ones, so weights
    loaded here are the weights the wrapped model runs with.
    """
    wrapped = wrapped_children(model)
    for name, child in wrapped.items():
        model._modules[name] = unwrap_model(child)
    try:
        yield model
    finally:
        model._modules.update(wrapped)


def wrapped_children(model: nn.Module) -> dict[str, nn.Module]:
    """``model``'s direct sub-networks that are DDP-style wrappers, by name (those :func:`unwrap_model` opens)."""
    return {name: child for name, child in model.named_children() if unwrap_model(child) is not child}


def bare_state_dict(state: dict, model: nn.Module) -> dict:
    """``model.state_dict()``'s ``state`` with the keys of the bare model: ``generator.module.x`` -> ``generator.x``.

    Only the wrappers' own ``module.`` level goes: a sub-network's own ``module``
    attribute (the averaged generator's ``generator_ema.module.*``) stays.
    """
    prefixes = [f'{name}.module.' for name in wrapped_children(model)]
    if not prefixes:
        return state
    renamed = {}
    for key, value in state.items():
        prefix = next((prefix for prefix in prefixes if key.startswith(prefix)), None)
        renamed[key if prefix is None else prefix[:-len('module.')] + key[len(prefix):]] = value
    return type(state)(renamed)


def load_state(model: nn.Module, path_or_url: str, map_location) -> dict:
    """:func:`load_weights` on an unwrapped model."""
    checkpoint = safe_load(local_checkpoint(path_or_url), map_location=map_location)
    state = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"'{path_or_url}' holds no state_dict of tensors: it is not a model checkpoint.")
    state = {WRAPPER_PREFIX.sub('', key): value for key, value in state.items()}
    expected = model.state_dict()
    optional = {key for key in expected if key.startswith('generator_ema.')}
    missing = sorted(set(expected) - set(state) - optional)
    unexpected = sorted(set(state) - set(expected))
    wrong_shape = sorted(key for key in set(state) & set(expected) if state[key].shape != expected[key].shape)
    if missing or unexpected or wrong_shape:
        raise CheckpointError(mismatch_message(path_or_url, missing, unexpected, wrong_shape, state, expected))
    model.load_state_dict(state, strict=False)
    if getattr(model, 'generator_ema', None) is not None and not any(key in state for key in optional):
        model.generator_ema.module.load_state_dict(model.generator.state_dict())
    meta = checkpoint.get('meta') or {}
    if hasattr(model, 'channel_order'):
        model.channel_order = meta.get('channel_order', model.channel_order if META_MARKER in meta
                                       else OPENMMLAB_CHANNEL_ORDER)
    return meta


def mismatch_message(source, missing, unexpected, wrong_shape, state, expected, shown: int = 5) -> str:
    parts = [f"The checkpoint '{source}' does not fit this model (is it from another config?)."]
    if missing:
        parts.append(f'Missing {len(missing)} keys, e.g. {", ".join(missing[:shown])}.')
    if unexpected:
        parts.append(f'Unexpected {len(unexpected)} keys, e.g. {", ".join(unexpected[:shown])}.')
    for key in wrong_shape[:shown]:
        parts.append(f'{key}: checkpoint {tuple(state[key].shape)}, model {tuple(expected[key].shape)}.')
    parts.append('Use the config the checkpoint was trained with.')
    return ' '.join(parts)
