"""Writes that survive an interruption: a file is either the old one or the complete new one."""
import contextlib
import json
import os
import os.path as osp
import tempfile
from collections.abc import Iterator
from typing import BinaryIO


@contextlib.contextmanager
def atomic_file(path: str, fsync: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: renamed over ``path`` only when the block ends without error.

    The data goes to a temporary file in the same folder (created if needed); it is
    flushed to disk (with ``fsync``, so even a power cut leaves the old file or the
    new one), renamed, and the rename itself is persisted. An exception inside the
    block, a kill or a full disk leaves ``path`` as it was and no temporary file behind.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.', suffix='.part', dir=folder)
    try:
        with os.fdopen(handle, 'wb') as file:
            yield file
            file.flush()
            if fsync:
                os.fsync(file.fileno())
        os.chmod(partial, 0o666 & ~current_umask())  # mkstemp creates 0600; give the usual mode
        os.replace(partial, path)
        if fsync:
            sync_folder(folder)
    finally:
        if osp.exists(partial):
            os.remove(partial)


def write_atomically(data: bytes, path: str, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_file`."""
    with atomic_file(path, fsync=fsync) as file:
        file.write(data)


def write_json(path: str, data: dict, indent: int = 1) -> None:
    """Write ``data`` as JSON atomically and durably (metrics, progress records, headers, reports)."""
    write_atomically(json.dumps(data, indent=indent).encode(), path)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sync_folder(folder: str) -> None:
    """Persist a rename (the directory entry), where the platform allows it."""
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
