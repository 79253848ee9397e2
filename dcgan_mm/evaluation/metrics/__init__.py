"""mmengine metrics registered in ``dcgan_mm.registry.METRICS``: thin wrappers of ``functional``."""
from .base import GenerativeMetric
from .fid import FrechetInceptionDistance
from .inception_base import InceptionMetric
from .inception_score import InceptionScore
from .kid import KernelInceptionDistance
from .ms_ssim import MS_SSIM_AVG_KEY, MultiScaleStructureSimilarity
from .precision_recall import PrecisionAndRecall
from .protocol import metric_protocols
from .swd import SWD_AVG_KEY, SlicedWassersteinDistance, level_key

__all__ = [
    'FrechetInceptionDistance', 'GenerativeMetric', 'InceptionMetric', 'InceptionScore', 'KernelInceptionDistance',
    'MS_SSIM_AVG_KEY', 'MultiScaleStructureSimilarity', 'PrecisionAndRecall', 'SWD_AVG_KEY',
    'SlicedWassersteinDistance', 'level_key', 'metric_protocols'
]
