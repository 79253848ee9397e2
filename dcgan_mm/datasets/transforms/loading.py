"""Decoding images from files or bytes: the one place where a corrupt image is handled."""
import logging

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.fileio import get
from mmengine.logging import print_log

from dcgan_mm.errors import ConfigError, DataError
from dcgan_mm.registry import TRANSFORMS

ON_CORRUPT = ('skip', 'fail')
# mmcv decoding flags that give every file the same channel count, so mixed folders collate.
COLOR_TYPES = ('color', 'grayscale', 'color_ignore_orientation', 'grayscale_ignore_orientation')
JPEG_START, JPEG_END = b'\xff\xd8', b'\xff\xd9'


def decode_image(content: bytes, color_type: str = 'color', channel_order: str = 'rgb',
                 backend: str = 'cv2') -> np.ndarray:
    """Decode an encoded image (JPEG, PNG, WebP, ...) into a uint8 array.

    Args:
        content: The encoded file.
        color_type: ``'color'`` gives (H, W, 3), ``'grayscale'`` (H, W); see ``mmcv.imfrombytes``.
        channel_order: ``'rgb'`` (what every dataset here yields) or ``'bgr'`` (OpenCV's, for
            code that hands the array back to ``cv2``, e.g. to re-encode it).
        backend: mmcv's decoding backend.

    Raises:
        ValueError: The bytes are empty, corrupt or truncated.
    """
    if not content:
        raise ValueError('empty file')
    # OpenCV before 5.0 decodes a truncated JPEG without an error, greying out the
    # missing rows; a complete one ends with the end-of-image marker (padding aside).
    if content[:2] == JPEG_START and not content.rstrip(b'\x00\r\n ').endswith(JPEG_END):
        raise ValueError('truncated JPEG (no end-of-image marker)')
    try:
        image = mmcv.imfrombytes(content, flag=color_type, channel_order=channel_order, backend=backend)
    except Exception as error:  # OpenCV raises cv2.error when converting a failed decode
        raise ValueError(f'cannot decode: {error}') from error
    if image is None:
        raise ValueError('cannot decode')
    return image


@TRANSFORMS.register_module()
class LoadImage(BaseTransform):
    """Decode ``results['img_bytes']`` (e.g. an lmdb value) or else the file ``results['img_path']``.

    Adds ``img`` (uint8, (H, W, 3) in ``channel_order`` or (H, W)), ``img_shape``
    and ``ori_shape``, as mmcv's ``LoadImageFromFile`` does.

    Every file is converted to the channel count ``color_type`` asks for, so a
    folder that mixes grayscale, RGB and RGBA files (or 16-bit ones) still
    collates into batches: ``'color'`` turns a grayscale file into three equal
    channels and drops an alpha channel; ``'grayscale'`` turns a colour file into
    its luma. ``'unchanged'`` is refused, as it would keep the files' own counts.

    A corrupt, truncated or unreadable image does not stop a run: with
    ``on_corrupt='skip'`` it logs one warning naming the file and how many
    files this process has skipped, and returns None; mmengine's
    ``BaseDataset.__getitem__`` then loads a random other sample instead (up
    to ``max_refetch`` times, outside ``test_mode``). Each worker process
    counts its own skips. With ``on_corrupt='fail'`` it raises
    :class:`~dcgan_mm.errors.DataError` naming the file.

    Args:
        color_type: ``'color'`` (3 channels) or ``'grayscale'`` (1), or either
            with ``'_ignore_orientation'`` (EXIF rotation not applied).
        imdecode_backend: mmcv's decoding backend.
        on_corrupt: ``'skip'`` or ``'fail'``.
        backend_args: mmengine file backend arguments, for images not on the local disk.
    """

    def __init__(self, color_type: str = 'color', imdecode_backend: str = 'cv2',
                 on_corrupt: str = 'skip', backend_args: dict | None = None):
        if on_corrupt not in ON_CORRUPT:
            raise ValueError(f"LoadImage.on_corrupt must be one of {ON_CORRUPT}, got {on_corrupt!r}")
        if color_type not in COLOR_TYPES:
            raise ConfigError(f'LoadImage.color_type must be one of {COLOR_TYPES}, got {color_type!r}: every image '
                              'is converted to the same channel count, so that batches of mixed files collate.')
        self.color_type = color_type
        self.imdecode_backend = imdecode_backend
        self.on_corrupt = on_corrupt
        self.backend_args = backend_args
        self.skipped: set[str] = set()  # names already warned about, in this process

    def transform(self, results: dict) -> dict | None:
        name = results.get('img_path', '<bytes>')
        try:
            if 'img_bytes' in results:
                content = results.pop('img_bytes')
                if content is None:
                    raise KeyError('no such key')
            else:
                content = get(name, backend_args=self.backend_args)
            image = decode_image(content, self.color_type, backend=self.imdecode_backend)
        except Exception as error:
            return self.corrupt(name, error)
        results.update(img=image, img_shape=image.shape[:2], ori_shape=image.shape[:2])
        return results

    def corrupt(self, name: str, error: Exception) -> None:
        """Raise or warn (once per file) about an image that cannot be loaded."""
        if self.on_corrupt == 'fail':
            raise DataError(f"Image '{name}' is corrupt or unreadable ({error}). Remove it, or let the pipeline "
                            "skip such images with dict(type='LoadImage', on_corrupt='skip').")
        if name not in self.skipped:
            self.skipped.add(name)
            print_log(f"Skipping corrupt or unreadable image '{name}' ({error}); {len(self.skipped)} skipped so "
                      'far by this process.', logger='current', level=logging.WARNING)
        return None

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(color_type={self.color_type!r}, '
                f'on_corrupt={self.on_corrupt!r})')
