"""Shared fixtures: tiny image folders, an http server on 127.0.0.1 and a repository-root path."""
import http.server
import itertools
import os
import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch  # noqa: F401  (initialised with the machine's threads before the variable below is set)

# Training runs that the tests start as subprocesses (tools/*.py, torchrun) use tiny models, for which
# thread start-up costs more than it saves, and two such processes on two cores would oversubscribe them.
os.environ.setdefault('OMP_NUM_THREADS', '1')

REPO_ROOT = Path(__file__).resolve().parents[1]


def write_images(folder: Path, count: int, size: int = 16, channels: int = 3, seed: int = 0,
                 extension: str = '.png') -> list[Path]:
    """Write ``count`` random images (smooth blobs, not pure noise) under ``folder``; return their paths."""
    import cv2
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        small = rng.integers(0, 256, size=(4, 4, channels), dtype=np.uint8)
        image = cv2.resize(small, (size, size), interpolation=cv2.INTER_LINEAR)
        path = folder / f'{index:04d}{extension}'
        cv2.imwrite(str(path), image)
        paths.append(path)
    return paths


def build_runner(cfg):
    """``Runner.from_cfg`` under a name of its own.

    mmengine names a run ``<config>_<timestamp>`` to the second and keeps one MessageHub and Visualizer per
    name, so two tiny runs started within a second would share (and double) one scalar history.
    """
    from mmengine.runner import Runner
    cfg.experiment_name = f'{Path(cfg.work_dir).name}_{next(_RUN_NUMBERS)}'
    return Runner.from_cfg(cfg)


_RUN_NUMBERS = itertools.count()


@pytest.fixture
def image_folder(tmp_path: Path) -> Path:
    """24 RGB 16x16 PNGs, some in a sub-folder."""
    root = tmp_path / 'images'
    write_images(root, 16)
    write_images(root / 'nested', 8, seed=1)
    return root


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder quietly and records the path of every request."""

    def do_GET(self):
        self.server.requested.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path: Path):
    """(folder, base URL, requested paths) of an http server on 127.0.0.1 serving tmp_path/www."""
    root = tmp_path / 'www'
    root.mkdir()
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), partial(CountingHandler, directory=str(root)))
    server.requested = []
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield root, f'http://127.0.0.1:{server.server_address[1]}', server.requested
    server.shutdown()
    server.server_close()
