"""mmengine metrics registered in ``dcgan_mm.registry.METRICS``: thin wrappers of ``functional``."""
from .base import GenerativeMetric
from .ms_ssim import MS_SSIM_AVG_KEY, MultiScaleStructureSimilarity
from .swd import SWD_AVG_KEY, SlicedWassersteinDistance, level_key

__all__ = [
    'GenerativeMetric', 'MS_SSIM_AVG_KEY', 'MultiScaleStructureSimilarity', 'SWD_AVG_KEY',
    'SlicedWassersteinDistance', 'level_key'
]
