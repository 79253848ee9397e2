"""Sample-quality evaluation: pure functions, mmengine metrics and the generative eval loop.

Importing this package registers ``SWD``, ``MS_SSIM`` (METRICS) and
``GenerativeEvalLoop`` (LOOPS); the registries list it in ``locations``.
"""
from . import functional
from .loops import GenerativeEvalLoop, rank_range
from .metrics import GenerativeMetric, MultiScaleStructureSimilarity, SlicedWassersteinDistance

__all__ = [
    'functional', 'GenerativeEvalLoop', 'GenerativeMetric', 'MultiScaleStructureSimilarity',
    'SlicedWassersteinDistance', 'rank_range'
]
