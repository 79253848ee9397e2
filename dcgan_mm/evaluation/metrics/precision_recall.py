"""Precision/recall metric: Inception features -> :func:`dcgan_mm.evaluation.functional.precision_recall`."""
from torch import Tensor

from dcgan_mm.registry import METRICS

from ..functional.precision_recall import PRECISION_KEY, RECALL_KEY, precision_recall
from .inception_base import InceptionMetric

__all__ = ['PRECISION_KEY', 'RECALL_KEY', 'PrecisionAndRecall']


@METRICS.register_module()
class PrecisionAndRecall(InceptionMetric):
    """Improved precision and recall (Kynkäänniemi et al. 2019): ``{prefix}/precision``, ``{prefix}/recall``.

    Args:
        k: Neighbour defining each feature's ball (3 in the paper).
        **kwargs: :class:`InceptionMetric`'s arguments.
    """

    default_prefix = 'PR'

    def __init__(self, fake_nums: int = 50000, real_nums: int = -1, k: int = 3, **kwargs) -> None:
        super().__init__(fake_nums, real_nums, **kwargs)
        self.k = k

    def compute_metrics(self, results: tuple[Tensor, Tensor]) -> dict[str, float]:
        fakes, reals = results
        return precision_recall(reals, fakes, self.k)
