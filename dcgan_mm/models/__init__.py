"""Networks, losses and the DCGAN model; importing registers them in ``MODELS``."""
from .data_preprocessor import GANDataPreprocessor
from .dcgan import DCGAN
from .discriminator import DCGANDiscriminator
from .generator import DCGANGenerator
from .losses import GANLoss, HingeGANLoss, LSGANLoss, VanillaGANLoss, WGANLogisticLoss

__all__ = ['DCGAN', 'DCGANDiscriminator', 'DCGANGenerator', 'GANDataPreprocessor', 'GANLoss', 'HingeGANLoss',
           'LSGANLoss', 'VanillaGANLoss', 'WGANLogisticLoss']
