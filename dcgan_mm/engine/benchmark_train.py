"""Time the real training step of a config against a minimal hand-written PyTorch loop.

Both run the same generator, discriminator, Adam settings and batches, in one
process, so the ratio measures what the framework adds (hooks, optimizer
wrappers, data preprocessor, logging), not the machine.
"""
import time

import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.runner import Runner
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.dataloader import default_collate

from dcgan_mm.registry import MODELS

from .config import load_config


class RandomImages(Dataset):
    """``num`` fixed random uint8 images, so data loading costs the same in both loops."""

    def __init__(self, num: int, shape: tuple[int, int, int], seed: int = 0):
        generator = torch.Generator().manual_seed(seed)
        self.images = torch.randint(0, 256, (num, *shape), dtype=torch.uint8, generator=generator)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> dict:
        return {'inputs': self.images[index]}


def image_loader(cfg, batch_size: int) -> DataLoader:
    generator = cfg.model.generator
    shape = (generator.get('out_channels', 3), generator.output_scale, generator.output_scale)
    return DataLoader(RandomImages(2 * batch_size, shape), batch_size=batch_size, shuffle=True, drop_last=True,
                      collate_fn=default_collate)


class StepTimer(Hook):
    """Wall time from the end of warm-up to the end of the last iteration."""

    priority = 'LOWEST'

    def __init__(self, warmup: int):
        self.warmup = warmup
        self.start = self.end = None

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if runner.iter + 1 == self.warmup:
            self.start = time.perf_counter()
        self.end = time.perf_counter()


def time_framework(cfg, batch_size: int, iters: int, warmup: int, work_dir: str) -> float:
    """Seconds per iteration of ``Runner.train()`` on the config (validation and checkpoints off)."""
    cfg = cfg.copy()
    cfg.work_dir = work_dir
    cfg.train_cfg.max_iters = warmup + iters
    cfg.train_cfg.val_begin = cfg.train_cfg.max_iters + 1
    for key in ('val_dataloader', 'val_cfg', 'val_evaluator', 'test_dataloader', 'test_cfg', 'test_evaluator'):
        cfg[key] = None
    cfg.default_hooks.checkpoint = None
    cfg.default_hooks.pop('sample_grid', None)
    cfg.log_level = 'WARNING'
    runner = Runner.from_cfg(cfg)
    runner._train_dataloader = image_loader(cfg, batch_size)
    timer = StepTimer(warmup)
    runner.register_hook(timer)
    runner.train()
    return (timer.end - timer.start) / iters


def time_handwritten(cfg, batch_size: int, iters: int, warmup: int) -> float:
    """Seconds per iteration of a plain PyTorch loop doing the same work as ``DCGAN.train_step``."""
    model = MODELS.build(cfg.model)
    generator, discriminator = model.generator, model.discriminator
    optimizers = {}
    for name, net in (('generator', generator), ('discriminator', discriminator)):
        options = {k: v for k, v in cfg.optim_wrapper[name].optimizer.items() if k != 'type'}
        optimizers[name] = torch.optim.Adam(net.parameters(), **options)
    loader, noise_size = image_loader(cfg, batch_size), model.noise_size
    batches = iter(())
    start = None
    for step in range(warmup + iters):
        if step == warmup:
            start = time.perf_counter()
        try:
            batch = next(batches)
        except StopIteration:
            batches = iter(loader)
            batch = next(batches)
        real = batch['inputs'].float().sub_(127.5).div_(127.5)
        # Discriminator: real batch and a batch generated without gradients.
        optimizers['discriminator'].zero_grad(set_to_none=True)
        with torch.no_grad():
            fake = generator(torch.randn(batch_size, noise_size))
        real_logits, fake_logits = discriminator(real), discriminator(fake)
        loss_d = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                  + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
        loss_d.backward()
        optimizers['discriminator'].step()
        # Generator: a new batch through D (whose gradients are cleared before its next step).
        optimizers['generator'].zero_grad(set_to_none=True)
        logits = discriminator(generator(torch.randn(batch_size, noise_size)))
        loss_g = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
        loss_g.backward()
        optimizers['generator'].step()
        loss_d.item(), loss_g.item()  # the framework logs both every iteration
    return (time.perf_counter() - start) / iters


def benchmark_train(config: str, iters: int = 5, warmup: int = 2, batch_size: int | None = None,
                    cfg_options: dict | None = None, work_dir: str = 'work_dirs/benchmark') -> dict:
    """Time both loops on ``config``; returns seconds per iteration, their ratio and images/s."""
    cfg = load_config(config, cfg_options)
    batch_size = batch_size or cfg.train_dataloader.batch_size
    ours = time_framework(cfg, batch_size, iters, warmup, work_dir)
    plain = time_handwritten(cfg, batch_size, iters, warmup)
    return {
        'config': config, 'batch_size': batch_size, 'iters': iters, 'warmup': warmup,
        'device': 'cuda' if torch.cuda.is_available() else 'cpu', 'threads': torch.get_num_threads(),
        'framework_s_per_iter': ours, 'handwritten_s_per_iter': plain, 'ratio': ours / plain,
        'framework_images_per_s': batch_size / ours, 'handwritten_images_per_s': batch_size / plain,
    }


