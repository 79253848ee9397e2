"""Shared fixtures: tiny image folders and a repository-root path."""
from pathlib import Path

import numpy as np
import pytest

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
