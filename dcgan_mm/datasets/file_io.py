"""Writes that survive an interruption: atomic replacement, and shrinking a .npy file in place."""
import json
import os
import os.path as osp

import numpy as np


def write_atomic(path: str, content: bytes, fsync: bool = False) -> None:
    """Write via a temporary file and a rename: an interrupted write never leaves a truncated ``path``.

    Args:
        path: Destination; its folder is created.
        content: The bytes to write.
        fsync: Flush to the disk before the rename, so even a power cut leaves the old file or the new one.
    """
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    with open(path + '.tmp', 'wb') as file:
        file.write(content)
        if fsync:
            file.flush()
            os.fsync(file.fileno())
    os.replace(path + '.tmp', path)


def write_json(path: str, data: dict) -> None:
    """Write ``data`` as JSON atomically and durably (progress records, headers)."""
    write_atomic(path, json.dumps(data, indent=1).encode(), fsync=True)


def truncate_npy(path: str, rows: int) -> tuple:
    """Keep the first ``rows`` rows of a C-order .npy file, in place: rewrite its shape, cut the file.

    Returns:
        The new shape.
    """
    with open(path, 'r+b') as file:
        version = np.lib.format.read_magic(file)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(file)
        offset = file.tell()
        if rows == shape[0]:
            return shape
        shape = (rows, *shape[1:])
        # Same header length (fewer digits, more padding), so the data stays where it is.
        text = f"{{'descr': '{dtype.str}', 'fortran_order': False, 'shape': {shape}, }}"
        prefix = 12 if version == (2, 0) else 10  # magic, version and the header length field
        file.seek(prefix)
        file.write(text.ljust(offset - prefix - 1).encode('latin1') + b'\n')
        file.truncate(offset + rows * int(np.prod(shape[1:])) * dtype.itemsize)
    return shape
