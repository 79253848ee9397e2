"""Publish a training checkpoint: python tools/publish_model.py IN OUT [--trust].

Keeps what inference needs, ``meta`` and ``state_dict`` (the averaged generator
``generator_ema.*`` included when the model has one, DDP's ``module.`` prefix
removed), and drops the optimizer state, the message hub, the RNG state and
every other training-only entry. The result is written atomically to OUT with
``.pth`` replaced by ``-<first 8 hex digits of its sha256>.pth``, OpenMMLab's
naming, which tools/test.py and tools/download.py check after a download. The
final path is printed on stdout.

IN is loaded with ``torch.load(weights_only=True)``: nothing in it can run
code. ``--trust`` loads a file that refuses (e.g. one written by plain mmengine,
with its pickled HistoryBuffers) with full unpickling: use it only on files you
wrote yourself. The published file always loads with ``weights_only=True``.
"""
import argparse
import hashlib
import io
import os.path as osp
import pickle
import sys

import torch

from dcgan_mm.checkpoint.atomic_backend import write_checkpoint_file
from dcgan_mm.checkpoint.serialization import first_line, safe_load, to_plain
from dcgan_mm.checkpoint.weights import WRAPPER_PREFIX
from dcgan_mm.cli.entry import run_cli
from dcgan_mm.errors import CheckpointError

KEPT_ENTRIES = ('meta', 'state_dict')
HASH_DIGITS = 8


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Strip a training checkpoint to its weights and name it by hash.')
    parser.add_argument('in_file', metavar='IN', help='training checkpoint, e.g. work_dirs/CONFIG/iter_5000.pth')
    parser.add_argument('out_file', metavar='OUT',
                        help='output path; `.pth` becomes `-<sha256[:8]>.pth` (a folder: IN\'s name inside it)')
    parser.add_argument('--trust', action='store_true',
                        help='load IN with full unpickling (runs code in it): only for files you wrote yourself')
    parser.add_argument('--debug', action='store_true', help='show full tracebacks on errors')
    return parser.parse_args(argv)


def load_checkpoint(path: str, trust: bool = False) -> dict:
    """Load a checkpoint safely, or with full unpickling when ``trust`` is set.

    Raises:
        CheckpointError: The file is missing, unreadable, or (without ``trust``) unsafe.
    """
    if not trust:
        return safe_load(path, map_location='cpu')
    if not osp.isfile(path):
        raise CheckpointError(f"Checkpoint '{path}' does not exist.")
    try:
        return torch.load(path, map_location='cpu', weights_only=False)
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError, ImportError) as error:
        raise CheckpointError(f"Checkpoint '{path}' could not be read ({first_line(error)}).") from error


def strip_training_state(checkpoint: dict, source: str) -> tuple[dict, list[str]]:
    """``checkpoint`` reduced to ``meta`` and ``state_dict``, and the names of the entries dropped.

    Raises:
        CheckpointError: There is no ``state_dict`` of tensors.
    """
    state = checkpoint.get('state_dict') if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"'{source}' holds no state_dict of tensors: it is not a model checkpoint.")
    published = {
        'meta': to_plain(checkpoint.get('meta') or {}),  # --trust may bring numpy values in
        'state_dict': {WRAPPER_PREFIX.sub('', key): value for key, value in state.items()},
    }
    return published, sorted(key for key in checkpoint if key not in KEPT_ENTRIES)


def serialise(checkpoint: dict, source: str) -> bytes:
    """``torch.save`` to bytes, checked to load back with ``weights_only=True``.

    Raises:
        CheckpointError: ``meta`` holds objects that only full unpickling rebuilds.
    """
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    data = buffer.getvalue()
    try:
        torch.load(io.BytesIO(data), weights_only=True)
    except pickle.UnpicklingError as error:
        raise CheckpointError(f"The meta of '{source}' holds objects that weights_only loading refuses "
                              f'({first_line(error)}); remove them from its meta first.') from error
    return data


def published_path(out_file: str, in_file: str, data: bytes) -> str:
    """OUT with ``.pth`` replaced by ``-<sha256[:8]>.pth`` (OUT a folder: IN's file name inside it)."""
    if osp.isdir(out_file) or out_file.endswith(('/', osp.sep)):
        out_file = osp.join(out_file, osp.basename(in_file))
    stem = out_file[:-len('.pth')] if out_file.endswith('.pth') else out_file
    return f'{stem}-{hashlib.sha256(data).hexdigest()[:HASH_DIGITS]}.pth'


def publish(in_file: str, out_file: str, trust: bool = False) -> tuple[str, list[str]]:
    """Publish ``in_file``; return the final path and the entries dropped.

    Raises:
        CheckpointError: IN is missing, unsafe or not a model checkpoint, or OUT cannot be written.
    """
    published, dropped = strip_training_state(load_checkpoint(in_file, trust), in_file)
    data = serialise(published, in_file)
    path = published_path(out_file, in_file, data)
    write_checkpoint_file(data, path)
    return path, dropped


def main(argv=None) -> None:
    args = parse_args(argv)

    def run() -> None:
        path, dropped = publish(args.in_file, args.out_file, args.trust)
        if dropped:
            print(f'Dropped the training-only entries: {", ".join(dropped)}', file=sys.stderr)
        print(path)

    run_cli(run, args.debug)


if __name__ == '__main__':
    main()
