"""Pure sample-quality metrics (torch/numpy): no registry, no state, no global RNG.

``inception_weights`` (finding and loading the Inception file) is imported where used."""
from .fid import COV_KEY, FID_KEY, MEAN_KEY, feature_statistics, fid, frechet_distance, sqrtm_trace
from .inception import INCEPTION_SIZE, InceptionNetwork, nvidia_resize, preprocess, to_rgb_uint8_values
from .inception_score import IS_KEY, IS_STD_KEY, inception_score
from .kid import KID_KEY, KID_STD_KEY, kid, mmd2_unbiased, polynomial_kernel
from .ms_ssim import DEFAULT_WEIGHTS, ms_ssim
from .precision_recall import PRECISION_KEY, RECALL_KEY, knn_radii, precision_recall
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
    'COV_KEY', 'FID_KEY', 'INCEPTION_SIZE', 'IS_KEY', 'IS_STD_KEY', 'InceptionNetwork', 'KID_KEY', 'KID_STD_KEY',
    'MEAN_KEY', 'PRECISION_KEY', 'RECALL_KEY', 'feature_statistics', 'fid', 'frechet_distance', 'inception_score',
    'kid', 'knn_radii', 'mmd2_unbiased', 'nvidia_resize', 'polynomial_kernel', 'precision_recall', 'preprocess',
    'sqrtm_trace', 'to_rgb_uint8_values',
    'AVG_KEY', 'DEFAULT_WEIGHTS', 'PYRAMIDS', 'channel_stats', 'extract_patches', 'laplacian_pyramid', 'ms_ssim',
    'normalize_descriptors', 'patch_centres', 'pyr_down', 'pyr_up', 'pyramid_level', 'random_directions',
    'sliced_wasserstein', 'swd', 'swd_descriptors', 'swd_resolutions', 'to_swd_input',
]
