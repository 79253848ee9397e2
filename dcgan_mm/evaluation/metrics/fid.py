"""FID metric: Inception features of fakes and reals -> :func:`dcgan_mm.evaluation.functional.fid`."""
from torch import Tensor

from dcgan_mm.registry import METRICS

from ..functional.fid import COV_KEY, FID_KEY, MEAN_KEY, fid
from .inception_base import InceptionMetric

__all__ = ['COV_KEY', 'FID_KEY', 'MEAN_KEY', 'FrechetInceptionDistance']


@METRICS.register_module('FID')
@METRICS.register_module()
class FrechetInceptionDistance(InceptionMetric):
    """Fréchet Inception distance on the StyleGAN protocol (lower is better).

    Results: ``{prefix}/fid`` and its two terms ``{prefix}/mean`` and ``{prefix}/cov``.
    The arguments are :class:`InceptionMetric`'s; e.g. ``dict(type='FrechetInceptionDistance',
    prefix='FID-Full-50k', fake_nums=50000, real_nums=-1)``.
    """

    default_prefix = 'FID'

    def compute_metrics(self, results: tuple[Tensor, Tensor]) -> dict[str, float]:
        fakes, reals = results
        return fid(reals, fakes)
