"""Saving and restoring every random number generator a training step draws from."""
import contextlib
import random
from collections.abc import Iterator

import numpy as np
import torch


def capture_rng_state() -> dict:
    """The states of Python's, numpy's, torch's CPU and every CUDA generator, as tensors and plain values.

    Plain values only, so a checkpoint holding them loads with ``torch.load(weights_only=True)``.
    """
    numpy_state = np.random.get_state()
    state = {
        'python': random.getstate(),
        'numpy': {'key': torch.from_numpy(numpy_state[1].astype(np.int64)), 'pos': int(numpy_state[2]),
                  'has_gauss': int(numpy_state[3]), 'cached_gaussian': float(numpy_state[4])},
        'torch': torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: dict) -> None:
    """Undo :func:`capture_rng_state`; CUDA states are restored where CUDA is present."""
    random.setstate(tuple(item if not isinstance(item, list) else tuple(item) for item in state['python']))
    numpy_state = state['numpy']
    np.random.set_state(('MT19937', numpy_state['key'].numpy().astype(np.uint32), numpy_state['pos'],
                         numpy_state['has_gauss'], numpy_state['cached_gaussian']))
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


@contextlib.contextmanager
def preserved_global_rng() -> Iterator[None]:
    """Restore the global RNG states on exit: what runs inside never changes what training draws next."""
    state = capture_rng_state()
    try:
        yield
    finally:
        restore_rng_state(state)
