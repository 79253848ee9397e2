import pytest
import torch

from dcgan_mm.models import DCGANDiscriminator

DISCRIMINATOR_64_STATE = {
    'downsamples.0.conv.weight': (128, 3, 4, 4), 'downsamples.0.conv.bias': (128,),
    'downsamples.1.conv.weight': (256, 128, 4, 4),
    'downsamples.1.bn.weight': (256,), 'downsamples.1.bn.bias': (256,),
    'downsamples.1.bn.running_mean': (256,), 'downsamples.1.bn.running_var': (256,),
    'downsamples.1.bn.num_batches_tracked': (),
    'downsamples.2.conv.weight': (512, 256, 4, 4),
    'downsamples.2.bn.weight': (512,), 'downsamples.2.bn.bias': (512,),
    'downsamples.2.bn.running_mean': (512,), 'downsamples.2.bn.running_var': (512,),
    'downsamples.2.bn.num_batches_tracked': (),
    'downsamples.3.conv.weight': (1024, 512, 4, 4),
    'downsamples.3.bn.weight': (1024,), 'downsamples.3.bn.bias': (1024,),
    'downsamples.3.bn.running_mean': (1024,), 'downsamples.3.bn.running_var': (1024,),
    'downsamples.3.bn.num_batches_tracked': (),
    'output_layer.conv.weight': (1, 1024, 4, 4), 'output_layer.conv.bias': (1,),
}


def test_64x64_rgb_discriminator_matches_openmmlab_layout_and_size():
    discriminator = DCGANDiscriminator(input_scale=64)
    state = discriminator.state_dict()
    assert {key: tuple(value.shape) for key, value in state.items()} == DISCRIMINATOR_64_STATE
    assert list(state) == list(DISCRIMINATOR_64_STATE)
    assert sum(p.numel() for p in discriminator.parameters()) == 11_036_289


@pytest.mark.parametrize('scale', [32, 64, 128])
@pytest.mark.parametrize('channels', [1, 3])
def test_one_logit_per_image(scale, channels):
    discriminator = DCGANDiscriminator(input_scale=scale, in_channels=channels, base_channels=16)
    assert discriminator(torch.randn(5, channels, scale, scale)).shape == (5, 1)


def test_first_stage_has_no_batchnorm_and_all_use_leaky_relu_02():
    discriminator = DCGANDiscriminator(input_scale=32, base_channels=16)
    stages = list(discriminator.downsamples)
    assert not stages[0].with_norm
    assert all(isinstance(stage.bn, torch.nn.BatchNorm2d) for stage in stages[1:])
    assert all(stage.activate.negative_slope == 0.2 for stage in stages)
    assert not discriminator.output_layer.with_norm and not discriminator.output_layer.with_activation


def test_openmmlab_slope_is_a_config_choice():
    discriminator = DCGANDiscriminator(input_scale=32, base_channels=16, act_cfg=dict(type='LeakyReLU'))
    assert discriminator.downsamples[0].activate.negative_slope == 0.01


def test_initialisation_follows_the_paper():
    torch.manual_seed(0)
    discriminator = DCGANDiscriminator(input_scale=64)
    conv = discriminator.downsamples[2].conv.weight
    assert conv.std().item() == pytest.approx(0.02, rel=0.01)
    bn = discriminator.downsamples[3].bn
    assert bn.weight.mean().item() == pytest.approx(1.0, abs=0.005)
    assert torch.count_nonzero(discriminator.downsamples[0].conv.bias) == 0


def test_rejects_images_of_the_wrong_shape():
    discriminator = DCGANDiscriminator(input_scale=32, base_channels=16)
    with pytest.raises(ValueError, match=r'\(N, 3, 32, 32\)'):
        discriminator(torch.randn(2, 3, 64, 64))


def test_features_are_every_stage_output():
    discriminator = DCGANDiscriminator(input_scale=32, base_channels=8)
    features = discriminator.features(torch.randn(2, 3, 32, 32))
    assert [tuple(f.shape) for f in features] == [(2, 8, 16, 16), (2, 16, 8, 8), (2, 32, 4, 4)]
