"""Small helpers every package shares: model unwrapping, device lookup, name suggestions, RNG state, atomic writes."""
from .file_io import atomic_file, write_atomically, write_json
from .model import device_of, unwrap_model
from .names import did_you_mean
from .rng import capture_rng_state, preserved_global_rng, restore_rng_state

__all__ = ['atomic_file', 'capture_rng_state', 'device_of', 'did_you_mean', 'preserved_global_rng',
           'restore_rng_state', 'unwrap_model', 'write_atomically', 'write_json']
