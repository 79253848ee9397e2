"""Checkpoints that load with ``torch.load(weights_only=True)``: nothing in them can run code.

mmengine pickles its ``HistoryBuffer`` objects (and, through them, bound
methods via ``builtins.getattr``) into every checkpoint, which torch >= 2.6
refuses to load with ``weights_only=True``, and allowing ``getattr`` would let
a crafted file call anything. Instead, checkpoints written here carry the
buffers as plain tensors and lists, and loading turns them back.
"""
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from dcgan_mm.errors import CheckpointError

PLAIN_BUFFER_TAG = '__history_buffer__'


def buffer_to_plain(buffer: HistoryBuffer) -> dict:
    log, count = buffer.data
    return {PLAIN_BUFFER_TAG: True, 'log': torch.from_numpy(np.asarray(log, dtype=np.float64)),
            'count': torch.from_numpy(np.asarray(count, dtype=np.float64)), 'max_length': buffer.max_length}


def plain_to_buffer(plain: dict) -> HistoryBuffer:
    return HistoryBuffer(plain['log'].tolist(), plain['count'].tolist(), plain['max_length'])


def to_plain(value):
    """Recursively replace HistoryBuffers and numpy values by tensors and Python scalars."""
    if isinstance(value, HistoryBuffer):
        return buffer_to_plain(value)
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value.copy())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return type(value)((key, to_plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(to_plain(item) for item in value)
    return value


def from_plain(value):
    """Undo :func:`to_plain` for the HistoryBuffers (tensors stay tensors)."""
    if isinstance(value, dict):
        if value.get(PLAIN_BUFFER_TAG):
            return plain_to_buffer(value)
        return type(value)((key, from_plain(item)) for key, item in value.items())
    return value


def safe_load(filename: str, map_location=None) -> dict:
    """``torch.load(weights_only=True)`` with a message that says what to do when it refuses.

    Raises:
        CheckpointError: The file is missing, truncated, not a checkpoint, or
            needs code to run to be loaded.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise CheckpointError(f"Checkpoint '{filename}' does not exist.")
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        raise CheckpointError(
            f"Refused to load '{filename}': it holds Python objects that only loading with code execution "
            f'could rebuild ({first_line(error)}). Nothing in it was run. Load only checkpoints written by '
            'dcgan_mm or OpenMMLab model-zoo weights; re-save a trusted one with tools/publish_model.py.') from error
    except (RuntimeError, EOFError, OSError, ValueError) as error:
        raise CheckpointError(f"Checkpoint '{filename}' is corrupt or truncated ({first_line(error)}). "
                              'Use an earlier checkpoint, or download it again.') from error


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def install_safe_loading() -> None:
    """Make mmengine load local checkpoints (``Runner.resume``, ``load_from``) through :func:`safe_load`.

    Called explicitly by the tools before they build a Runner: importing this
    package changes nothing for other users of mmengine in the same process.
    Calling it again is harmless.
    """
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)


def load_from_local(filename: str, map_location=None) -> dict:
    """mmengine's loader for local paths, as :func:`install_safe_loading` installs it."""
    return safe_load(filename, map_location)
