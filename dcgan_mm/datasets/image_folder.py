"""A folder of image files (recursively), the layout of CelebA-Cropped and exported LSUN."""
import os
import os.path as osp

from mmengine.dataset import BaseDataset

from dcgan_mm.errors import DataError
from dcgan_mm.registry import DATASETS

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')
DATASETS_DOC = 'docs/datasets.md'


@DATASETS.register_module()
class ImageFolderDataset(BaseDataset):
    """Every image under ``data_root``, found recursively and sorted by path.

    Each sample starts as ``{'img_path': path}``; the pipeline (``LoadImage``,
    ``Resize``, ``PackGANInputs``) loads it, and ``LoadImage`` skips a corrupt file.

    Args:
        data_root: Folder holding the images (sub-folders included).
        ann_file: Optional text file, one image path per line relative to
            ``data_root``, to use a listed subset instead of every file.
        extensions: File name endings counted as images (case-insensitive).
        pipeline: Transforms applied to every sample.
        **kwargs: Passed to mmengine's ``BaseDataset`` (``indices``, ``lazy_init``, ...).
    """

    def __init__(self, data_root: str, ann_file: str = '', extensions: tuple[str, ...] = IMAGE_EXTENSIONS,
                 pipeline: list = (), **kwargs):
        self.extensions = tuple(ext.lower() for ext in extensions)
        super().__init__(ann_file=ann_file, data_root=data_root, pipeline=list(pipeline), **kwargs)

    def load_data_list(self) -> list[dict]:
        root = self.data_root
        if not osp.isdir(root):
            raise DataError(f"Data folder '{root}' does not exist. Prepare the dataset as described in "
                            f'{DATASETS_DOC}, or point the config at your copy with '
                            '--cfg-options train_dataloader.dataset.data_root=/path/to/images')
        paths = self.listed_paths() if self.ann_file else find_images(root, self.extensions)
        if not paths:
            raise DataError(f"Data folder '{root}' holds no images ({', '.join(self.extensions)}). "
                            f'See {DATASETS_DOC} for how to prepare it.')
        return [dict(img_path=path) for path in paths]

    def listed_paths(self) -> list[str]:
        if not osp.isfile(self.ann_file):
            raise DataError(f"Annotation file '{self.ann_file}' does not exist.")
        with open(self.ann_file) as listing:
            return [osp.join(self.data_root, line.strip()) for line in listing if line.strip()]


def find_images(root: str, extensions: tuple[str, ...] = IMAGE_EXTENSIONS) -> list[str]:
    """Paths of the image files under ``root``, recursively, in sorted order (stable across machines)."""
    found = []
    for folder, subfolders, files in os.walk(root, followlinks=True):
        subfolders.sort()
        found.extend(osp.join(folder, name) for name in files if name.lower().endswith(extensions))
    return sorted(found)
