"""Small files in the real formats (idx, CIFAR pickles, lmdb, encoded images) for the dataset tests."""
import gzip
import pickle
import struct
from pathlib import Path

import cv2
import numpy as np


def smooth_images(count: int, size: int = 16, channels: int = 3, seed: int = 0) -> np.ndarray:
    """uint8 (count, size, size[, channels]) images: upsampled random blobs, so resizing has work to do."""
    rng = np.random.default_rng(seed)
    images = [cv2.resize(rng.integers(0, 256, (4, 4, channels), dtype=np.uint8), (size, size),
                         interpolation=cv2.INTER_LINEAR) for _ in range(count)]
    return np.stack(images)


def encode(image: np.ndarray, extension: str) -> bytes:
    ok, buffer = cv2.imencode(extension, image)
    assert ok
    return buffer.tobytes()


def write_idx(path: Path, images: np.ndarray, gz: bool = False) -> Path:
    """An idx3-ubyte file of ``images`` (N, H, W), gzipped when ``gz`` (the name gets '.gz')."""
    content = bytes([0, 0, 0x08, images.ndim]) + struct.pack(f'>{images.ndim}I', *images.shape) + images.tobytes()
    path = Path(f'{path}.gz') if gz else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


def write_cifar(root: Path, per_batch: int = 2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """CIFAR-10 python batches under ``root/cifar-10-batches-py``; returns (train, test) (N, 32, 32, 3) RGB."""
    folder = root / 'cifar-10-batches-py'
    folder.mkdir(parents=True, exist_ok=True)
    batches = {}
    for index, name in enumerate([f'data_batch_{i}' for i in range(1, 6)] + ['test_batch']):
        images = smooth_images(per_batch, 32, seed=seed + index)[..., ::-1]  # cv2 writes BGR; call it RGB here
        rows = np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(per_batch, -1)  # R plane, G, B
        with open(folder / name, 'wb') as file:
            pickle.dump({b'data': rows, b'labels': list(range(per_batch)), b'batch_label': name.encode()}, file)
        batches[name] = images
    train = np.concatenate([batches[f'data_batch_{i}'] for i in range(1, 6)])
    return train, batches['test_batch']


def write_lmdb(path: Path, values: dict[bytes, bytes]) -> Path:
    """An lmdb folder holding ``values`` (key -> encoded image), as LSUN's export does."""
    import lmdb
    env = lmdb.open(str(path), map_size=1 << 24)
    with env.begin(write=True) as txn:
        for key, value in values.items():
            txn.put(key, value)
    env.close()
    return path


def lsun_values(seed: int = 0) -> tuple[dict[bytes, bytes], dict[bytes, np.ndarray]]:
    """Three JPEG and two WebP (lossless) values, and the BGR images they decode to."""
    images = smooth_images(5, 24, seed=seed)
    values, decoded = {}, {}
    for index, image in enumerate(images):
        key = f'{index:02d}{"ab" * 19}'.encode()  # 40 characters, like LSUN's SHA-1 ids
        extension = '.jpg' if index < 3 else '.webp'
        values[key] = encode(image, extension) if extension == '.jpg' else \
            cv2.imencode('.webp', image, [cv2.IMWRITE_WEBP_QUALITY, 101])[1].tobytes()
        decoded[key] = cv2.imdecode(np.frombuffer(values[key], np.uint8), cv2.IMREAD_COLOR)
    return values, decoded
