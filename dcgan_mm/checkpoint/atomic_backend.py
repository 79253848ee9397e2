"""A local file backend whose writes are atomic: a file is either the old one or the complete new one.

A process killed mid-write, or a full disk, leaves the previous checkpoint intact
(and ``last_checkpoint`` where it goes through the backend, as the pre-emption hook's
does; mmengine's ``CheckpointHook`` writes that one with ``open()``). Selected with
``default_hooks.checkpoint.backend_args=dict(backend='atomic_local')``, and by the
resumable train loop (:mod:`dcgan_mm.engine.resume`) for any local checkpoint folder.
"""
from pathlib import Path

from mmengine.fileio import LocalBackend, register_backend

from dcgan_mm.errors import CheckpointError
from dcgan_mm.utils import write_atomically

ATOMIC_BACKEND = 'atomic_local'  # the name under which mmengine's get_file_backend finds it


def write_checkpoint_file(data: bytes, path: str) -> None:
    """:func:`~dcgan_mm.utils.write_atomically`, with a message that says what to do when it fails.

    Raises:
        CheckpointError: The write failed (e.g. the disk is full); ``path`` is unchanged.
    """
    try:
        write_atomically(data, path)
    except OSError as error:
        raise CheckpointError(f"Could not write '{path}': {error.strerror or error}. The previous file there "
                              'is unchanged. Free disk space (or fix the permissions) and resume with --resume.'
                              ) from error


@register_backend(ATOMIC_BACKEND)
class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend with atomic ``put`` and ``put_text``."""

    def put(self, obj: bytes, filepath: str | Path) -> None:
        write_checkpoint_file(obj, str(filepath))

    def put_text(self, obj: str, filepath: str | Path, encoding: str = 'utf-8') -> None:
        write_checkpoint_file(obj.encode(encoding), str(filepath))
