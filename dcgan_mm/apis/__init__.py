"""What the paper shows, as functions: sampling, latent walks, z arithmetic and discriminator features."""
from dcgan_mm.checkpoint.model_zoo import download_model

from .arithmetic import arithmetic, combine
from .features import extract_features, feature_size
from .image_files import save_grid_png, save_z
from .inference import init_model
from .interpolation import interpolate, lerp, slerp
from .labelled_data import load_labelled, to_model_input
from .probe import linear_probe
from .sampling import decode, sample

__all__ = ['arithmetic', 'combine', 'decode', 'download_model', 'extract_features', 'feature_size', 'init_model',
           'interpolate', 'lerp', 'linear_probe', 'load_labelled', 'sample', 'save_grid_png', 'save_z', 'slerp',
           'to_model_input']
