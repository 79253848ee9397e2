"""benchmark_train and its baseline (handwritten_loop): an endless loader, the hand-written loop, FLOPs."""
import pytest
import torch

from benchmarks.handwritten_loop import HandWrittenLoop, image_loader
from benchmarks.train import benchmark_train
from dcgan_mm.cli.config import load_config
from tests.conftest import REPO_ROOT

DEMO = str(REPO_ROOT / 'configs' / 'dcgan_demo_digits-32x32.py')
TINY = {'model.generator.base_channels': 8, 'model.discriminator.base_channels': 8}


@pytest.fixture
def cfg():
    return load_config(DEMO, TINY)


def test_loader_is_endless_so_the_runner_never_waits_at_an_epoch_end(cfg):
    batches = iter(image_loader(cfg, batch_size=4))  # 8 images: two batches an epoch
    shapes = [next(batches)['inputs'].shape for _ in range(5)]
    assert shapes == [(4, 1, 32, 32)] * 5


def test_handwritten_step_updates_both_networks_and_leaves_no_gradients(cfg):
    loop = HandWrittenLoop(cfg, batch_size=4, device='cpu')
    before = {name: p.detach().clone() for name, p in loop.model.named_parameters()}
    loop.step()
    for name, parameter in loop.model.named_parameters():
        assert not torch.equal(before[name], parameter), name
        assert parameter.grad is None, name  # zero_grad(set_to_none=True) after each update
        assert parameter.requires_grad, name  # the frozen discriminator is unfrozen again
    assert loop.iteration == 1


def test_flops_grow_with_the_batch(cfg):
    small = HandWrittenLoop(cfg, batch_size=2, device='cpu').count_flops()
    large = HandWrittenLoop(cfg, batch_size=4, device='cpu').count_flops()
    assert small > 0 and large == 2 * small


def test_benchmark_times_each_loop_once_per_round(tmp_path):
    report = benchmark_train(DEMO, iters=3, warmup=0, batch_size=2, cfg_options=TINY, work_dir=str(tmp_path))
    assert len(report['framework_iter_s']) == len(report['handwritten_iter_s']) == 3
    assert report['framework_s_per_iter'] == sorted(report['framework_iter_s'])[1]
    assert report['device'] == 'cpu' and report['flops_per_iter'] > 0


def test_benchmark_rejects_no_timed_iterations(tmp_path):
    with pytest.raises(ValueError, match='iters'):
        benchmark_train(DEMO, iters=0, cfg_options=TINY, work_dir=str(tmp_path))
