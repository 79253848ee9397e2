"""GeneratorEMA: mmengine's EMA results and state, counted on the host."""
import os

import pytest
import torch
import torch.distributed as dist
from mmengine.model import ExponentialMovingAverage
from torch.nn.parallel import DistributedDataParallel

from dcgan_mm.models import DCGANGenerator
from dcgan_mm.models.ema import GeneratorEMA


def tiny_generator(seed: int = 0) -> DCGANGenerator:
    torch.manual_seed(seed)
    return DCGANGenerator(output_scale=8, out_channels=1, base_channels=8, noise_size=4)


def train_a_little(generator: DCGANGenerator, step: int) -> None:
    """Move the weights and the BatchNorm statistics, as an optimizer step and a forward pass would."""
    with torch.no_grad():
        for parameter in generator.parameters():
            parameter.add_(torch.randn_like(parameter), alpha=0.1 * (step + 1))
    generator.train()(torch.randn(4, 4))


@pytest.mark.parametrize('options', [dict(momentum=0.1), dict(momentum=0.3, interval=2),
                                     dict(momentum=0.2, update_buffers=True)])
def test_same_weights_buffers_and_state_as_mmengines_ema(options):
    generator = tiny_generator()
    ours, theirs = GeneratorEMA(generator, **options), ExponentialMovingAverage(generator, **options)
    for step in range(5):
        train_a_little(generator, step)
        ours.update_parameters(generator)
        theirs.update_parameters(generator)
    ours_state, theirs_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(theirs_state)
    for key, value in theirs_state.items():
        assert torch.equal(ours_state[key], value), key
    assert ours.num_updates == int(ours.steps) == 5
    assert not torch.equal(ours.module.noise2feat.conv.weight, generator.noise2feat.conv.weight)  # averaged


def test_loaded_state_continues_the_count():
    generator = tiny_generator()
    before = GeneratorEMA(generator, momentum=0.5, interval=2)
    for step in range(3):
        train_a_little(generator, step)
        before.update_parameters(generator)
    after = GeneratorEMA(tiny_generator(seed=1), momentum=0.5, interval=2)
    after.load_state_dict(before.state_dict())
    assert after.num_updates == 3
    train_a_little(generator, 3)
    before.update_parameters(generator)
    after.update_parameters(generator)
    for key, value in before.state_dict().items():
        assert torch.equal(after.state_dict()[key], value), key


def test_a_ddp_wrapped_generator_is_averaged_by_its_own_names(tmp_path):
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0, world_size=1)
    try:
        generator = tiny_generator()
        ema = GeneratorEMA(generator, momentum=0.5)
        wrapped = DistributedDataParallel(generator)  # its parameters are named module.*
        ema.update_parameters(wrapped)
        first = generator.noise2feat.conv.weight.detach().clone()
        train_a_little(generator, 0)
        ema.update_parameters(wrapped)
    finally:
        dist.destroy_process_group()
    expected = torch.lerp(first, generator.noise2feat.conv.weight.detach(), 0.5)
    assert torch.equal(ema.module.noise2feat.conv.weight, expected)
    assert ema.num_updates == 2
