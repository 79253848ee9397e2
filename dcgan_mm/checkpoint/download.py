"""Download model-zoo checkpoints once into a cache, checking their sha256."""
import hashlib
import os
import os.path as osp
import re
import sys
import urllib.error
import urllib.request

from mmengine.utils import ProgressBar

from dcgan_mm.errors import CheckpointError
from dcgan_mm.utils import atomic_file

# OpenMMLab names published files `<name>-<first 8 hex digits of the sha256>.pth`.
HASH_IN_NAME = re.compile(r'-([0-9a-f]{8,64})\.pth$')
CHUNK = 1 << 20


def cache_dir() -> str:
    """Where downloads are cached: ``$DCGAN_MM_HOME/checkpoints``, by default ``~/.cache/dcgan_mm/checkpoints``."""
    home = os.environ.get('DCGAN_MM_HOME', osp.join(osp.expanduser('~'), '.cache', 'dcgan_mm'))
    return osp.join(home, 'checkpoints')


def is_url(path: str) -> bool:
    return path.startswith(('http://', 'https://'))


def expected_hash(filename: str) -> str | None:
    """The sha256 prefix in an OpenMMLab-style file name, or None."""
    match = HASH_IN_NAME.search(filename)
    return match.group(1) if match else None


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        for block in iter(lambda: file.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def download_checkpoint(url: str, dest_dir: str | None = None, progress: bool = True) -> str:
    """Return the local path of ``url``, downloading it on first use.

    The file is fetched into a temporary file beside its destination and
    renamed only once complete and, when its name carries a sha256 prefix,
    verified; a download that fails or does not match leaves nothing behind.
    A file already there is used without a request (after its hash is checked).

    Args:
        url: http(s) URL of the checkpoint, e.g. a model-zoo ``...-<8 hex>.pth``.
        dest_dir: Folder to keep it in; None for :func:`cache_dir`.
        progress: Report the download and a progress bar on stderr.

    Returns:
        The local path, ``dest_dir/<file name of the URL>``.

    Raises:
        CheckpointError: The download failed or its hash does not match.
    """
    dest_dir = dest_dir or cache_dir()
    filename = osp.basename(url.split('?')[0])
    if not filename:
        raise CheckpointError(f'{url} names no file: pass the URL of the checkpoint itself.')
    path = osp.join(dest_dir, filename)
    prefix = expected_hash(filename)
    if osp.isfile(path) and (prefix is None or sha256_of(path).startswith(prefix)):
        return path
    if progress:
        print(f'Downloading {url} to {path}', file=sys.stderr)
    with atomic_file(path, fsync=False) as out:
        digest = fetch(url, out, progress)
        if prefix is not None and not digest.startswith(prefix):
            raise CheckpointError(f'The file downloaded from {url} does not match the sha256 prefix {prefix} in '
                                  'its name: it is corrupt or was tampered with, and has been removed. '
                                  'Try again; if it persists, the URL does not serve the published file.')
    return path


def fetch(url: str, out, progress: bool) -> str:
    """Stream ``url`` into the open file ``out``; return the sha256 of what was written."""
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            total = int(response.headers.get('Content-Length') or 0)
            bar = ProgressBar(max(total // CHUNK, 1), file=sys.stderr) if progress and total else None
            while True:
                block = response.read(CHUNK)
                if not block:
                    break
                out.write(block)
                digest.update(block)
                if bar is not None and bar.completed < bar.task_num:
                    bar.update()
            if bar is not None:
                print(file=sys.stderr)
    except (urllib.error.URLError, OSError) as error:
        raise CheckpointError(f'Could not download {url}: {error}. Check the URL and your connection, '
                              'or download the file yourself and pass its local path.') from error
    return digest.hexdigest()


def local_checkpoint(path_or_url: str) -> str:
    """A local path for a path or an http(s) URL (downloaded and verified)."""
    if is_url(path_or_url):
        return download_checkpoint(path_or_url)
    return path_or_url
