"""Real-image Inception features cached on disk, keyed by the images actually fed and the protocol.

``$DCGAN_MM_HOME/fid_stats/<key>.npz`` (by default ``~/.cache/dcgan_mm/fid_stats``) holds the
float32 features of one reference set and the protocol they were computed under, so the
real side of FID, KID and precision/recall is computed once per dataset, subset and network.
"""
import hashlib
import io
import json
import logging
import os.path as osp
import zipfile

import numpy as np
import torch
from mmengine.logging import print_log
from torch import Tensor

from dcgan_mm.checkpoint.download import cache_dir
from dcgan_mm.utils import write_atomically

DIGEST_SIZE = 32  # bytes of one image's sha256


def stats_dir() -> str:
    """``$DCGAN_MM_HOME/fid_stats``, beside the checkpoint cache."""
    return osp.join(osp.dirname(cache_dir()), 'fid_stats')


def as_uint8(images: Tensor) -> Tensor:
    """Real images as the uint8 values they stand for (float inputs are rounded half up), on the CPU."""
    if images.dtype == torch.uint8:
        return images.detach().cpu()
    return torch.floor(images.detach().float() + 0.5).clamp_(0, 255).to(torch.uint8).cpu()


def image_digests(images: Tensor) -> Tensor:
    """(N, 32) uint8 sha256 of each uint8 image, its shape included: independent of batching and ranks."""
    digests = [hashlib.sha256(repr(tuple(image.shape)).encode() + image.contiguous().numpy().tobytes()).digest()
               for image in images]
    return torch.frombuffer(bytearray(b''.join(digests)), dtype=torch.uint8).reshape(-1, DIGEST_SIZE)


def reference_key(digests: Tensor, protocol: dict) -> str:
    """sha256 of the protocol and of every fed image's digest, in stream order."""
    digest = hashlib.sha256(json.dumps(protocol, sort_keys=True).encode())
    digest.update(digests.contiguous().numpy().tobytes())
    return digest.hexdigest()


def cache_path(key: str) -> str:
    """Where the features of reference ``key`` are kept."""
    return osp.join(stats_dir(), f'{key}.npz')


def load_reference(key: str, num_reals: int, feature_dim: int) -> Tensor | None:
    """Cached float32 features ``(num_reals, feature_dim)`` for ``key``, or None to recompute them.

    None when the file is missing, unreadable, or holds an array of another shape or dtype
    (another version's layout, or a file replaced by hand): the key covers the images and the
    protocol, so such a file cannot hold their features; the caller recomputes and replaces it.
    """
    path = cache_path(key)
    if not osp.isfile(path):
        return None
    try:
        with np.load(path) as data:
            features = data['features']
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    expected = (num_reals, feature_dim)
    if features.shape != expected or features.dtype != np.float32:
        print_log(f'{path} holds {features.dtype} features of shape {features.shape}, expected float32 '
                  f'{expected}: ignored, the real features are recomputed.', logger='current', level=logging.WARNING)
        return None
    return torch.from_numpy(features)


def save_reference(key: str, features: Tensor, protocol: dict) -> str:
    """Write the features and their protocol atomically; return the file's path."""
    buffer = io.BytesIO()
    np.savez(buffer, features=features.float().cpu().numpy(), protocol=json.dumps(protocol, sort_keys=True))
    path = cache_path(key)
    write_atomically(buffer.getvalue(), path, fsync=False)
    return path
