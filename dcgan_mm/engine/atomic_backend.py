"""A local file backend whose writes are atomic: a file is either the old one or the complete new one.

Checkpoints are written to a temporary file in the same folder, flushed to
disk and renamed over the destination. A process killed mid-write, or a full
disk, leaves the previous checkpoint (and ``last_checkpoint``) intact.
Select it with ``default_hooks.checkpoint.backend_args=dict(backend='atomic_local')``.
"""
import os
import os.path as osp
import tempfile
from pathlib import Path

from mmengine.fileio import LocalBackend, register_backend

from dcgan_mm.errors import CheckpointError


def write_atomically(data: bytes, path: str) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and rename.

    Raises:
        CheckpointError: The write failed (e.g. the disk is full); ``path`` is unchanged.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.', suffix='.part', dir=folder)
    try:
        with os.fdopen(handle, 'wb') as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(partial, 0o666 & ~current_umask())  # mkstemp creates 0600; give the usual mode
        os.replace(partial, path)
        sync_folder(folder)
    except OSError as error:
        raise CheckpointError(f"Could not write '{path}': {error.strerror or error}. The previous file there "
                              'is unchanged. Free disk space (or fix the permissions) and resume with --resume.'
                              ) from error
    finally:
        if osp.exists(partial):
            os.remove(partial)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sync_folder(folder: str) -> None:
    """Persist the rename itself (the directory entry), where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@register_backend('atomic_local')
class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend with atomic ``put`` and ``put_text``."""

    def put(self, obj: bytes, filepath: str | Path) -> None:
        write_atomically(obj, str(filepath))

    def put_text(self, obj: str, filepath: str | Path, encoding: str = 'utf-8') -> None:
        write_atomically(obj.encode(encoding), str(filepath))
