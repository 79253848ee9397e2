import pytest
import torch
import torch.nn.functional as F

from dcgan_mm.apis import extract_features, feature_size
from dcgan_mm.registry import MODELS

from .tiny import TINY_FEATURE_SIZE, tiny_model


@pytest.mark.parametrize('input_scale,base_channels,expected', [
    (64, 128, (128 + 256 + 512 + 1024) * 16),  # the paper's 64x64 D: 30,720
    (32, 32, (32 + 64 + 128) * 16),  # the demo's D: 3,584
    (16, 8, TINY_FEATURE_SIZE),
])
def test_the_size_is_16_times_base_channels_times_2_to_the_stages_minus_1(input_scale, base_channels, expected):
    disc = MODELS.build(dict(type='DCGANDiscriminator', input_scale=input_scale, base_channels=base_channels))
    assert feature_size(disc) == expected == 16 * base_channels * (2 ** len(disc.downsamples) - 1)


def test_features_are_every_stage_max_pooled_to_4x4_of_images_mapped_to_minus_1_1():
    model = tiny_model()
    images = torch.randint(0, 256, (5, 1, 16, 16), dtype=torch.uint8)
    features = extract_features(model, images, batch_size=2)
    assert features.shape == (5, TINY_FEATURE_SIZE) and features.dtype == torch.float32
    with torch.no_grad():
        stages = model.discriminator.features(images.float() / 127.5 - 1)
    expected = torch.cat([F.max_pool2d(stages[0], 2).flatten(1), stages[1].flatten(1)], 1)
    assert torch.allclose(features, expected, atol=1e-5)
    assert torch.allclose(extract_features(model.discriminator, images), features, atol=1e-5)


def test_a_discriminator_trained_on_bgr_sees_bgr():
    model = tiny_model(generator=dict(type='DCGANGenerator', output_scale=16, base_channels=16),
                       discriminator=dict(type='DCGANDiscriminator', input_scale=16, base_channels=8))
    images = torch.randint(0, 256, (3, 3, 16, 16), dtype=torch.uint8)
    model.channel_order = 'bgr'
    assert torch.allclose(extract_features(model, images), extract_features(model.discriminator, images.flip(1)),
                          atol=1e-5)


def test_extraction_runs_in_eval_mode_and_restores_the_mode():
    model = tiny_model().train()
    images = torch.randint(0, 256, (4, 1, 16, 16), dtype=torch.uint8)
    one_by_one = torch.cat([extract_features(model, image[None]) for image in images])
    assert torch.allclose(extract_features(model, images), one_by_one, atol=1e-5)
    assert model.discriminator.training


def test_images_of_another_shape_are_refused():
    with pytest.raises(ValueError, match=r'\(N, 1, 16, 16\)'):
        extract_features(tiny_model(), torch.zeros(2, 3, 16, 16))
