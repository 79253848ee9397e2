"""Adversarial losses on raw discriminator logits, one class per formulation.

Every loss exposes the same two calls, so a config swaps them freely:
``discriminator(real_logits, fake_logits) -> (loss_real, loss_fake)`` and
``generator(fake_logits) -> loss``.
"""
import torch
import torch.nn.functional as F
from torch import nn

from dcgan_mm.registry import MODELS


class GANLoss(nn.Module):
    """Base of the adversarial losses.

    Args:
        loss_weight: Multiplies every term, to balance against other losses.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def discriminator(self, real_logits: torch.Tensor, fake_logits: torch.Tensor):
        """Discriminator's terms on real and on generated images."""
        return self.loss_weight * self.real_term(real_logits), self.loss_weight * self.fake_term(fake_logits)

    def generator(self, fake_logits: torch.Tensor) -> torch.Tensor:
        """Generator's term on generated images."""
        return self.loss_weight * self.generator_term(fake_logits)

    def real_term(self, logits: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def fake_term(self, logits: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def generator_term(self, logits: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


@MODELS.register_module()
class VanillaGANLoss(GANLoss):
    """Goodfellow et al.'s loss as DCGAN trains it: binary cross-entropy on logits,
    with the non-saturating generator loss -log D(G(z))."""

    def real_term(self, logits):
        return F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))

    def fake_term(self, logits):
        return F.binary_cross_entropy_with_logits(logits, torch.zeros_like(logits))

    def generator_term(self, logits):
        return F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))


@MODELS.register_module()
class LSGANLoss(GANLoss):
    """Least squares GAN (Mao et al. 2017), targets 1 for real and 0 for fake, halved as in the paper."""

    def real_term(self, logits):
        return 0.5 * (logits - 1).pow(2).mean()

    def fake_term(self, logits):
        return 0.5 * logits.pow(2).mean()

    def generator_term(self, logits):
        return 0.5 * (logits - 1).pow(2).mean()


@MODELS.register_module()
class HingeGANLoss(GANLoss):
    """Hinge loss (Lim & Ye 2017; used by SN-GAN and BigGAN)."""

    def real_term(self, logits):
        return F.relu(1 - logits).mean()

    def fake_term(self, logits):
        return F.relu(1 + logits).mean()

    def generator_term(self, logits):
        return -logits.mean()


@MODELS.register_module()
class WGANLogisticLoss(GANLoss):
    """The logistic loss in softplus form (StyleGAN's 'wgan-logistic-ns').

    Equal in value to :class:`VanillaGANLoss`, written as softplus so the
    logits need no target tensors.
    """

    def real_term(self, logits):
        return F.softplus(-logits).mean()

    def fake_term(self, logits):
        return F.softplus(logits).mean()

    def generator_term(self, logits):
        return F.softplus(-logits).mean()
