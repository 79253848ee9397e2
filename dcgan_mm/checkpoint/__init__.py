"""Checkpoints on disk: safe serialization, strict weight loading, hash-checked downloads and the model zoo."""
from .atomic_backend import AtomicLocalBackend
from .download import download_checkpoint, local_checkpoint
from .latest import find_resume_checkpoint
from .model_zoo import download_model, find_model, model_zoo_entries
from .serialization import install_safe_loading, safe_load
from .weights import load_weights

__all__ = ['AtomicLocalBackend', 'download_checkpoint', 'download_model', 'find_model', 'find_resume_checkpoint',
           'install_safe_loading', 'load_weights', 'local_checkpoint', 'model_zoo_entries', 'safe_load']
