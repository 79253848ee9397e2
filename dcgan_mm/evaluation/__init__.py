"""Sample-quality evaluation: pure functions, mmengine metrics and the generative eval loop.

Importing this package registers ``SWD``, ``MS_SSIM``, ``FrechetInceptionDistance``,
``KernelInceptionDistance``, ``PrecisionAndRecall``, ``InceptionScore`` (METRICS) and
``GenerativeEvalLoop`` (LOOPS); the registries list it in ``locations``.
"""
from . import functional
from .loops import GenerativeEvalLoop, rank_range
from .metrics import (
    FrechetInceptionDistance,
    GenerativeMetric,
    InceptionScore,
    KernelInceptionDistance,
    MultiScaleStructureSimilarity,
    PrecisionAndRecall,
    SlicedWassersteinDistance,
)

__all__ = [
    'functional', 'FrechetInceptionDistance', 'GenerativeEvalLoop', 'GenerativeMetric', 'InceptionScore',
    'KernelInceptionDistance', 'MultiScaleStructureSimilarity', 'PrecisionAndRecall', 'SlicedWassersteinDistance',
    'rank_range'
]
