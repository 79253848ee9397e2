"""Datasets and transforms; importing registers them."""
from .cifar import CIFAR10Dataset
from .collate import SampleBatch, packed_collate
from .digits import DigitsDataset
from .image_folder import ImageFolderDataset, find_images
from .lsun import LSUNDataset
from .mnist import FashionMNISTDataset, MNISTDataset
from .packed_array import PackedDataset
from .transforms import LoadImage, PackGANInputs

__all__ = [
    'CIFAR10Dataset', 'DigitsDataset', 'FashionMNISTDataset', 'ImageFolderDataset', 'LSUNDataset', 'LoadImage',
    'MNISTDataset', 'PackGANInputs', 'PackedDataset', 'SampleBatch', 'find_images',
    'packed_collate',
]
