"""Sliced Wasserstein distance (Karras et al. 2018): :func:`swd` on two image sets is the public face.

Its stages, each a module: ``pyramid`` (Laplacian levels), ``patches`` (seeded
7x7 descriptors), ``distance`` (standardise, project on random directions,
compare sorted projections in bounded memory) and ``images`` (the pipeline).
"""
from .distance import (
    DEFAULT_BUFFER_BYTES,
    channel_stats,
    normalize_descriptors,
    random_directions,
    sliced_wasserstein,
)
from .images import AVG_KEY, swd, swd_descriptors, to_swd_input
from .patches import extract_patches, patch_centres
from .pyramid import PYRAMIDS, check_pyramid, laplacian_pyramid, pyr_down, pyr_up, pyramid_level, swd_resolutions

__all__ = [
    'AVG_KEY', 'DEFAULT_BUFFER_BYTES', 'PYRAMIDS', 'channel_stats', 'check_pyramid', 'extract_patches',
    'laplacian_pyramid', 'normalize_descriptors', 'patch_centres', 'pyr_down', 'pyr_up', 'pyramid_level',
    'random_directions', 'sliced_wasserstein', 'swd', 'swd_descriptors', 'swd_resolutions', 'to_swd_input',
]
