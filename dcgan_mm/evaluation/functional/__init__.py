"""Pure-torch sample-quality metrics: no registry, no state, no global RNG."""
from .laplacian_pyramid import PYRAMIDS, laplacian_pyramid, pyr_down, pyr_up, pyramid_level, swd_resolutions
from .ms_ssim import DEFAULT_WEIGHTS, ms_ssim
from .patches import extract_patches, patch_centres
from .sliced_wasserstein import channel_stats, normalize_descriptors, random_directions, sliced_wasserstein
from .swd import AVG_KEY, swd, swd_descriptors, to_swd_input

__all__ = [
    'AVG_KEY', 'DEFAULT_WEIGHTS', 'PYRAMIDS', 'channel_stats', 'extract_patches', 'laplacian_pyramid',
    'ms_ssim', 'normalize_descriptors', 'patch_centres', 'pyr_down', 'pyr_up', 'pyramid_level',
    'random_directions', 'sliced_wasserstein', 'swd', 'swd_descriptors', 'swd_resolutions', 'to_swd_input'
]
