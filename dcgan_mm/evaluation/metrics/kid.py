"""KID metric: Inception features -> :func:`dcgan_mm.evaluation.functional.kid`."""
from torch import Tensor

from dcgan_mm.registry import METRICS

from ..functional.kid import KID_KEY, KID_STD_KEY, kid
from .inception_base import InceptionMetric

__all__ = ['KID_KEY', 'KID_STD_KEY', 'KernelInceptionDistance']


@METRICS.register_module('KID')
@METRICS.register_module()
class KernelInceptionDistance(InceptionMetric):
    """Unbiased kernel Inception distance (lower is better): ``{prefix}/kid``, ``{prefix}/kid_std``.

    Args:
        num_subsets: Random subsets averaged (100 in StyleGAN's KID).
        subset_size: Features per subset and side (1000; clamped to the smaller set).
        seed: Seed of the subset choice.
        **kwargs: :class:`InceptionMetric`'s arguments.
    """

    default_prefix = 'KID'

    def __init__(self, fake_nums: int = 50000, real_nums: int = -1, num_subsets: int = 100, subset_size: int = 1000,
                 seed: int = 0, **kwargs) -> None:
        super().__init__(fake_nums, real_nums, **kwargs)
        self.num_subsets = num_subsets
        self.subset_size = subset_size
        self.seed = seed

    def compute_metrics(self, results: tuple[Tensor, Tensor]) -> dict[str, float]:
        fakes, reals = results
        return kid(reals, fakes, self.num_subsets, self.subset_size, self.seed)
