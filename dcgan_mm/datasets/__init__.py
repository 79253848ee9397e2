"""Datasets and transforms; importing registers them."""
from .digits import DigitsDataset
from .image_folder import ImageFolderDataset, find_images
from .transforms import PackGANInputs

__all__ = ['DigitsDataset', 'ImageFolderDataset', 'PackGANInputs', 'find_images']
