"""Pure-torch sample-quality metrics: no registry, no state, no global RNG."""
from .ms_ssim import DEFAULT_WEIGHTS, ms_ssim
from .swd import (
    AVG_KEY,
    PYRAMIDS,
    channel_stats,
    extract_patches,
    laplacian_pyramid,
    normalize_descriptors,
    patch_centres,
    pyr_down,
    pyr_up,
    pyramid_level,
    random_directions,
    sliced_wasserstein,
    swd,
    swd_descriptors,
    swd_resolutions,
    to_swd_input,
)

__all__ = [
    'AVG_KEY', 'DEFAULT_WEIGHTS', 'PYRAMIDS', 'channel_stats', 'extract_patches', 'laplacian_pyramid', 'ms_ssim',
    'normalize_descriptors', 'patch_centres', 'pyr_down', 'pyr_up', 'pyramid_level', 'random_directions',
    'sliced_wasserstein', 'swd', 'swd_descriptors', 'swd_resolutions', 'to_swd_input',
]
