import pytest
import torch

from dcgan_mm.models import DCGANGenerator

# The OpenMMLab layout of the 64x64 RGB generator: published weights load as they are.
GENERATOR_64_STATE = {
    'noise2feat.conv.weight': (100, 1024, 4, 4),
    'noise2feat.bn.weight': (1024,), 'noise2feat.bn.bias': (1024,),
    'noise2feat.bn.running_mean': (1024,), 'noise2feat.bn.running_var': (1024,),
    'noise2feat.bn.num_batches_tracked': (),
    'upsampling.0.conv.weight': (1024, 512, 4, 4),
    'upsampling.0.bn.weight': (512,), 'upsampling.0.bn.bias': (512,),
    'upsampling.0.bn.running_mean': (512,), 'upsampling.0.bn.running_var': (512,),
    'upsampling.0.bn.num_batches_tracked': (),
    'upsampling.1.conv.weight': (512, 256, 4, 4),
    'upsampling.1.bn.weight': (256,), 'upsampling.1.bn.bias': (256,),
    'upsampling.1.bn.running_mean': (256,), 'upsampling.1.bn.running_var': (256,),
    'upsampling.1.bn.num_batches_tracked': (),
    'upsampling.2.conv.weight': (256, 128, 4, 4),
    'upsampling.2.bn.weight': (128,), 'upsampling.2.bn.bias': (128,),
    'upsampling.2.bn.running_mean': (128,), 'upsampling.2.bn.running_var': (128,),
    'upsampling.2.bn.num_batches_tracked': (),
    'output_layer.conv.weight': (128, 3, 4, 4),
    'output_layer.conv.bias': (3,),
}


def test_64x64_rgb_generator_matches_openmmlab_layout_and_size():
    generator = DCGANGenerator(output_scale=64)
    state = generator.state_dict()
    assert {key: tuple(value.shape) for key, value in state.items()} == GENERATOR_64_STATE
    assert list(state) == list(GENERATOR_64_STATE)
    assert sum(p.numel() for p in generator.parameters()) == 12_658_435


@pytest.mark.parametrize('scale', [32, 64, 128])
@pytest.mark.parametrize('channels', [1, 3])
def test_output_shape_and_range(scale, channels):
    generator = DCGANGenerator(output_scale=scale, out_channels=channels, base_channels=64)
    images = generator(torch.randn(3, 100))
    assert images.shape == (3, channels, scale, scale)
    assert images.min() >= -1 and images.max() <= 1


def test_accepts_flat_and_4d_noise_alike():
    generator = DCGANGenerator(output_scale=32, base_channels=32, noise_size=16).eval()
    noise = torch.randn(2, 16)
    torch.testing.assert_close(generator(noise), generator(noise[:, :, None, None]))


def test_rejects_noise_of_the_wrong_size():
    generator = DCGANGenerator(output_scale=32, base_channels=32, noise_size=16)
    with pytest.raises(ValueError, match=r'\(N, 16\)'):
        generator(torch.randn(2, 100))


def test_exposes_its_sizes():
    generator = DCGANGenerator(output_scale=32, out_channels=1, base_channels=32, noise_size=16)
    assert (generator.noise_size, generator.out_channels, generator.output_scale) == (16, 1, 32)


def test_initialisation_follows_the_paper():
    torch.manual_seed(0)
    generator = DCGANGenerator(output_scale=64)
    conv = generator.upsampling[0].conv.weight
    assert abs(conv.mean().item()) < 1e-3
    assert conv.std().item() == pytest.approx(0.02, rel=0.01)
    bn = generator.upsampling[0].bn
    assert bn.weight.mean().item() == pytest.approx(1.0, abs=0.005)
    assert bn.weight.std().item() == pytest.approx(0.02, rel=0.15)
    assert torch.count_nonzero(bn.bias) == 0
    assert torch.count_nonzero(generator.output_layer.conv.bias) == 0


def test_hidden_layers_use_batchnorm_and_relu_output_uses_tanh():
    generator = DCGANGenerator(output_scale=32, base_channels=64)
    hidden = [generator.noise2feat, *generator.upsampling]
    assert all(isinstance(layer.bn, torch.nn.BatchNorm2d) for layer in hidden)
    assert all(isinstance(layer.activate, torch.nn.ReLU) for layer in hidden)
    assert not generator.output_layer.with_norm
    assert isinstance(generator.output_layer.activate, torch.nn.Tanh)
    assert not any(isinstance(m, (torch.nn.MaxPool2d, torch.nn.AvgPool2d, torch.nn.Linear))
                   for m in generator.modules())


def test_linear_projection_is_the_papers_project_and_reshape():
    generator = DCGANGenerator(output_scale=32, base_channels=64, noise_projection='linear')
    assert isinstance(generator.noise2feat.linear, torch.nn.Linear)
    assert generator.noise2feat.linear.out_features == 64 * 4 * 4
    assert generator(torch.randn(2, 100)).shape == (2, 3, 32, 32)


@pytest.mark.parametrize('kwargs, message', [
    (dict(output_scale=48), 'power-of-two'),
    (dict(output_scale=4), 'power-of-two'),
    (dict(output_scale=64, base_channels=6), 'divisible'),
    (dict(output_scale=64, noise_projection='mlp'), 'noise_projection'),
])
def test_rejects_impossible_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DCGANGenerator(**kwargs)
