import pytest
import torch

from dcgan_mm.checkpoint.weights import load_weights
from dcgan_mm.errors import CheckpointError
from dcgan_mm.registry import MODELS

TINY_MODEL = dict(type='DCGAN', noise_size=8,
                  generator=dict(type='DCGANGenerator', output_scale=16, base_channels=16),
                  discriminator=dict(type='DCGANDiscriminator', input_scale=16, base_channels=8))


def test_openmmlab_layout_with_module_prefix_loads_and_generates_the_same_images(tmp_path):
    source = MODELS.build(TINY_MODEL).eval()
    state = {f'module.{key}': value for key, value in source.state_dict().items()}
    path = tmp_path / 'dcgan_mmgen-style.pth'
    torch.save({'meta': {'mmgen_version': '0.3.0'}, 'state_dict': state}, path)
    target = MODELS.build(TINY_MODEL).eval()
    load_weights(target, str(path))
    # An OpenMMLab checkpoint draws BGR: its output is flipped to RGB.
    assert target.channel_order == 'bgr'
    noise = torch.randn(3, 8)
    torch.testing.assert_close(target.generate(noise), source.generate(noise).flip(1))


def test_a_bgr_trained_checkpoint_draws_rgb(tmp_path):
    source = MODELS.build(TINY_MODEL).eval()
    output = source.generator.output_layer.conv
    torch.nn.init.zeros_(output.weight)
    output.bias.data = torch.tensor([3.0, -3.0, -3.0])  # this generator draws blue in BGR: channel 0 bright
    path = tmp_path / 'openmmlab_bgr.pth'
    torch.save({'meta': {'mmgen_version': '0.3.0'}, 'state_dict': source.state_dict()}, path)
    target = MODELS.build(TINY_MODEL).eval()
    load_weights(target, str(path))
    image = target.generate(torch.randn(2, 8))
    assert torch.all(image[:, 2] > 250) and torch.all(image[:, :2] < 5)  # blue is the last channel in RGB


def test_dcgan_mm_checkpoint_keeps_its_recorded_channel_order(tmp_path):
    source = MODELS.build(TINY_MODEL).eval()
    path = tmp_path / 'ours.pth'
    torch.save({'meta': {'dcgan_mm_version': '0.1.0', 'channel_order': 'rgb'}, 'state_dict': source.state_dict()},
               path)
    target = MODELS.build(TINY_MODEL).eval()
    load_weights(target, str(path))
    noise = torch.randn(2, 8)
    torch.testing.assert_close(target.generate(noise), source.generate(noise))


def test_checkpoint_of_another_model_is_refused_with_the_mismatch(tmp_path):
    other = MODELS.build({**TINY_MODEL, 'generator': dict(type='DCGANGenerator', output_scale=16, base_channels=32)})
    path = tmp_path / 'other.pth'
    torch.save({'state_dict': other.state_dict()}, path)
    with pytest.raises(CheckpointError, match=r'does not fit this model.*generator\.noise2feat\.conv\.weight'):
        load_weights(MODELS.build(TINY_MODEL), str(path))


def test_file_without_state_dict_is_refused(tmp_path):
    path = tmp_path / 'not_a_model.pth'
    torch.save({'state_dict': {'a': 'string'}}, path)
    with pytest.raises(CheckpointError, match='not a model checkpoint'):
        load_weights(MODELS.build(TINY_MODEL), str(path))


def test_sub_networks_wrapped_in_ddp_load_like_bare_ones(tmp_path):
    """Multi-process runs wrap G and D in DDP separately; their keys gain ``.module`` in the middle."""
    import os

    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    source = MODELS.build(TINY_MODEL).eval()
    path = tmp_path / 'ours.pth'
    torch.save({'meta': {'dcgan_mm_version': '0.1.0', 'channel_order': 'rgb'}, 'state_dict': source.state_dict()},
               path)
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0, world_size=1)
    try:
        target = MODELS.build(TINY_MODEL).eval()
        target.generator = DistributedDataParallel(target.generator)
        target.discriminator = DistributedDataParallel(target.discriminator)
        load_weights(target, str(path))
    finally:
        dist.destroy_process_group()
    assert isinstance(target.generator, DistributedDataParallel)  # the wrappers are put back
    noise = torch.randn(3, 8)
    torch.testing.assert_close(target.generator.module(noise), source.generator(noise))
