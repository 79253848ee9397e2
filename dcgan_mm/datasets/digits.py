"""The 1,797 real 8x8 handwritten digits that ship inside scikit-learn: a dataset with no download."""
import numpy as np
from mmengine.dataset import BaseDataset

from dcgan_mm.registry import DATASETS


@DATASETS.register_module()
class DigitsDataset(BaseDataset):
    """scikit-learn's ``load_digits`` as uint8 grayscale images (values 0-16 scaled to 0-255).

    Each sample starts as ``{'img': (8, 8) uint8, 'gt_label': int}``; a
    ``Resize`` in the pipeline brings it to the model's scale.

    Args:
        pipeline: Transforms applied to every sample.
        **kwargs: Passed to mmengine's ``BaseDataset``.
    """

    def __init__(self, pipeline: list = (), **kwargs):
        super().__init__(pipeline=list(pipeline), **kwargs)

    def load_data_list(self) -> list[dict]:
        try:
            from sklearn.datasets import load_digits
        except ImportError as error:
            raise ImportError("DigitsDataset needs scikit-learn: pip install -e '.[demo]'") from error
        digits = load_digits()
        images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)
        return [dict(img=image, gt_label=int(label)) for image, label in zip(images, digits.target)]
