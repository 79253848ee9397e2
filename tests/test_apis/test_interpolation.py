import pytest
import torch

from dcgan_mm.apis import interpolate, slerp
from dcgan_mm.apis.sampling import decode

from .tiny import tiny_model


@pytest.mark.parametrize('mode', ['linear', 'slerp'])
def test_the_endpoints_are_the_two_decoded_z(mode):
    model = tiny_model()
    start, end = torch.randn(2, 8, generator=torch.Generator().manual_seed(0))
    images, z = interpolate(model, start, end, steps=5, mode=mode)
    assert images.shape == (5, 1, 16, 16) and z.shape == (5, 8)
    assert torch.allclose(z[0], start, atol=1e-6) and torch.allclose(z[-1], end, atol=1e-6)
    ends = decode(model, torch.stack([start, end]))
    assert torch.allclose(images[0], ends[0], atol=1e-3) and torch.allclose(images[-1], ends[1], atol=1e-3)


def test_linear_mode_walks_a_straight_line():
    z = interpolate(tiny_model(), torch.zeros(8), torch.full((8,), 2.0), steps=3)[1]
    assert torch.allclose(z[1], torch.ones(8))


def test_slerp_keeps_the_norm_of_equal_norm_endpoints():
    generator = torch.Generator().manual_seed(1)
    start, end = torch.nn.functional.normalize(torch.randn(2, 8, generator=generator), dim=1) * 3.0
    z = interpolate(tiny_model(), start, end, steps=9, mode='slerp')[1]
    assert torch.allclose(z.norm(dim=1), torch.full((9,), 3.0), atol=1e-5)
    # A straight line would cut inside the sphere.
    assert interpolate(tiny_model(), start, end, steps=9)[1].norm(dim=1)[4] < 3.0


def test_slerp_of_parallel_endpoints_falls_back_to_a_line():
    start = torch.ones(1, 8)
    path = slerp(start, 2 * start, torch.linspace(0, 1, 3))
    assert torch.isfinite(path).all() and torch.allclose(path[0, 1], 1.5 * torch.ones(8))


def test_random_walks_are_reproducible_row_by_row_and_leave_the_global_rng_alone():
    model = tiny_model()
    state = torch.random.get_rng_state()
    images, z = interpolate(model, rows=3, steps=4, seed=7, mode='slerp')
    assert torch.equal(torch.random.get_rng_state(), state)
    assert images.shape == (12, 1, 16, 16)
    assert torch.equal(z, interpolate(model, rows=3, steps=4, seed=7, mode='slerp')[1])
    assert not torch.allclose(z[0], z[4])  # each row starts at its own z


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='mode'):
        interpolate(tiny_model(), mode='cubic')
    with pytest.raises(ValueError, match='noise_size'):
        interpolate(tiny_model(), start=torch.zeros(5))
