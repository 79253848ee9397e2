"""Conversions behind tools/dataset_converters/. Each resumes: outputs that exist are finished work, kept."""
import functools
import os.path as osp
from collections.abc import Callable

import cv2
import numpy as np
from mmengine.utils import ProgressBar, track_parallel_progress, track_progress

from dcgan_mm.utils import write_atomically

from ..image_folder import find_images
from ..lsun import open_lmdb, read_lmdb_keys
from ..mnist import FashionMNISTDataset, MNISTDataset, find_file, read_idx
from ..transforms.loading import decode_image

# PGGAN's CelebA crop (dataset_tool.py create_celeba, cx=89, cy=121), which OpenMMLab's
# celeba-cropped configs use: the 128x128 square at left=25, top=57 of the aligned 178x218 image.
CELEBA_BOX = (25, 57, 128)  # left, top, side
CELEBA_ALIGNED_SHAPE = (218, 178)  # height, width of img_align_celeba
SIGNATURES = ((b'\xff\xd8', '.jpg'), (b'\x89PNG', '.png'), (b'RIFF', '.webp'))


def encode_png(image: np.ndarray) -> bytes:
    ok, buffer = cv2.imencode('.png', image)
    if not ok:
        raise ValueError(f'cannot encode an image of shape {image.shape} as PNG')
    return buffer.tobytes()


def run_pending(tasks: list[tuple[str, str]], work: Callable, nproc: int = 1) -> list:
    """Run ``work((src, dst))`` for each task whose ``dst`` does not exist yet, with a progress bar."""
    pending = [task for task in tasks if not osp.exists(task[1])]
    print(f'{len(tasks) - len(pending)} of {len(tasks)} outputs already exist; converting {len(pending)}.')
    if not pending:
        return []
    if nproc > 1:
        return track_parallel_progress(work, pending, nproc, chunksize=64)
    return track_progress(work, pending)


def crop_one(task: tuple[str, str], box: tuple[int, int, int], size: int | None) -> str | None:
    """Crop (and resize) one CelebA image into a PNG; the reason if it was skipped, else None."""
    src, dst = task
    try:
        with open(src, 'rb') as file:
            image = decode_image(file.read(), channel_order='bgr')  # back to cv2 as is: no swap there and back
    except (OSError, ValueError) as error:
        return f'{src}: {error}'
    left, top, side = box
    if image.shape[0] < top + side or image.shape[1] < left + side:
        return f'{src}: {image.shape[1]}x{image.shape[0]} is too small for the crop box {box}'
    crop = image[top:top + side, left:left + side]
    if size and size != side:
        crop = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)  # area: no aliasing when shrinking
    write_atomically(encode_png(crop), dst, fsync=False)
    return None


def crop_celeba(src_dir: str, out_dir: str, box: tuple[int, int, int] = CELEBA_BOX, size: int | None = None,
                nproc: int = 1) -> list[str]:
    """Crop every image under ``src_dir`` (CelebA's img_align_celeba) into ``out_dir/<name>.png``.

    Returns:
        The reasons of the images skipped (corrupt, too small) in this run.
    """
    tasks = [(path, osp.join(out_dir, osp.splitext(osp.relpath(path, src_dir))[0] + '.png'))
             for path in find_images(src_dir)]
    results = run_pending(tasks, functools.partial(crop_one, box=tuple(box), size=size), nproc)
    return [reason for reason in results if reason]


def export_mnist(data_root: str, out_dir: str, split: str = 'train', size: int = 64, fashion: bool = False) -> int:
    """Write the idx images of MNIST (or Fashion-MNIST) as ``out_dir/00000.png``, ... resized bilinearly."""
    dataset = FashionMNISTDataset if fashion else MNISTDataset
    images = read_idx(find_file(data_root, dataset.FILES[split], dataset.RAW_FOLDER))
    digits = len(str(len(images) - 1))
    tasks = [(str(index), osp.join(out_dir, f'{index:0{digits}d}.png')) for index in range(len(images))]

    def work(task: tuple[str, str]) -> None:
        image = images[int(task[0])]
        if size != image.shape[0]:
            image = cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR)
        write_atomically(encode_png(image), task[1], fsync=False)

    return len(run_pending(tasks, work))


def image_extension(content: bytes) -> str | None:
    """File extension of an encoded image, from its first bytes."""
    for signature, extension in SIGNATURES:
        if content.startswith(signature):
            return extension
    return None


def export_lsun(db_path: str, out_dir: str, limit: int | None = None) -> int:
    """Write the values of an LSUN lmdb as image files ``out_dir/<key[:2]>/<key>.<ext>``, bytes unchanged.

    The two-character sub-folders keep folders small (3 million files in one is slow on most file systems).
    """
    keys = read_lmdb_keys(db_path)[:limit]
    env, written = open_lmdb(db_path), 0
    bar = ProgressBar(len(keys))
    with env.begin(write=False) as txn:
        for key in keys:
            name = key.decode('ascii')
            stem = osp.join(out_dir, name[:2], name)
            if not any(osp.exists(stem + extension) for _, extension in SIGNATURES):
                content = txn.get(key)
                extension = image_extension(content)
                if extension is None:
                    print(f'\nskipping {name}: not a JPEG, PNG or WebP image')
                else:
                    write_atomically(content, stem + extension, fsync=False)
                    written += 1
            bar.update()
    env.close()
    print()
    return written


def write_lmdb_keys(db_path: str, out_file: str) -> int:
    """Write every key of an lmdb to ``out_file``, one per line (``LSUNDataset``'s ``ann_file``)."""
    keys = read_lmdb_keys(db_path)
    write_atomically(b''.join(key + b'\n' for key in keys), out_file, fsync=False)
    return len(keys)
