import math

import pytest
import torch

from dcgan_mm.registry import MODELS

REAL = torch.tensor([[2.0], [-1.0]])
FAKE = torch.tensor([[0.5], [-3.0]])


def softplus(x: float) -> float:
    return math.log1p(math.exp(x))


def mean(values):
    return sum(values) / len(values)


EXPECTED = {
    # loss: (real term, fake term, generator term) on REAL and FAKE
    'VanillaGANLoss': (mean([softplus(-2), softplus(1)]), mean([softplus(0.5), softplus(-3)]),
                       mean([softplus(-0.5), softplus(3)])),
    'WGANLogisticLoss': (mean([softplus(-2), softplus(1)]), mean([softplus(0.5), softplus(-3)]),
                         mean([softplus(-0.5), softplus(3)])),
    'LSGANLoss': (0.5 * mean([1.0, 4.0]), 0.5 * mean([0.25, 9.0]), 0.5 * mean([0.25, 16.0])),
    'HingeGANLoss': (mean([0.0, 2.0]), mean([1.5, 0.0]), -mean([0.5, -3.0])),
}


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_loss_values_on_known_logits(name):
    loss = MODELS.build(dict(type=name))
    real_term, fake_term = loss.discriminator(REAL, FAKE)
    expected_real, expected_fake, expected_gen = EXPECTED[name]
    assert real_term.item() == pytest.approx(expected_real, rel=1e-6)
    assert fake_term.item() == pytest.approx(expected_fake, rel=1e-6)
    assert loss.generator(FAKE).item() == pytest.approx(expected_gen, rel=1e-6)


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_loss_weight_scales_every_term(name):
    plain, heavy = MODELS.build(dict(type=name)), MODELS.build(dict(type=name, loss_weight=2.5))
    assert heavy.generator(FAKE).item() == pytest.approx(2.5 * plain.generator(FAKE).item())
    assert heavy.discriminator(REAL, FAKE)[0].item() == pytest.approx(2.5 * plain.discriminator(REAL, FAKE)[0].item())


def test_vanilla_generator_loss_is_non_saturating():
    # -log D(G(z)): a confident discriminator (very negative logit) still gives the generator a gradient.
    logits = torch.tensor([[-10.0]], requires_grad=True)
    MODELS.build(dict(type='VanillaGANLoss')).generator(logits).backward()
    assert logits.grad.abs().item() > 0.99
