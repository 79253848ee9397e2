import pytest
import torch

from dcgan_mm.apis import arithmetic, combine, sample

from .tiny import tiny_model


def test_one_group_of_one_sample_decodes_that_sample():
    model = tiny_model()
    images, z = sample(model, 5, seed=2)
    result, result_z = arithmetic(model, [z[3:4]], [1], num_variations=0)
    assert result.shape == (1, 1, 16, 16)
    assert torch.equal(result_z[0], z[3]) and torch.allclose(result[0], images[3], atol=1e-3)


def test_group_means_are_combined_with_their_signs():
    z = torch.randn(9, 8, generator=torch.Generator().manual_seed(0))
    expected = z[0:3].mean(0) - z[3:6].mean(0) + z[6:9].mean(0)
    assert torch.allclose(combine([z[0:3], z[3:6], z[6:9]], [1, -1, 1]), expected)


def test_variations_surround_the_result_within_the_noise_scale_reproducibly():
    model = tiny_model()
    z = torch.randn(4, 8, generator=torch.Generator().manual_seed(0))
    images, out = arithmetic(model, [z[:2], z[2:]], [1.0, -1.0], noise_scale=0.25, seed=4)
    assert images.shape == (9, 1, 16, 16) and out.shape == (9, 8)
    offsets = out[1:] - out[0]
    assert offsets.abs().max() <= 0.25 and offsets.abs().min() > 0
    assert torch.equal(out, arithmetic(model, [z[:2], z[2:]], [1, -1], seed=4)[1])


def test_mismatched_groups_and_signs_are_refused():
    z = torch.zeros(2, 8)
    with pytest.raises(ValueError, match='one sign per group'):
        combine([z, z], [1])
    with pytest.raises(ValueError, match='at least one group'):
        combine([], [])
    with pytest.raises(ValueError, match='expects 8'):
        arithmetic(tiny_model(), [torch.zeros(2, 5)], [1])
