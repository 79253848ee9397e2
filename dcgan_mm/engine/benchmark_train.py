"""Time the real training step of a config against a minimal hand-written PyTorch loop.

Both run the same generator, discriminator, optimizers, loss and batch size in
one process, interleaved iteration by iteration (ours, hand-written, ours, ...),
so a burst of load on the machine slows both alike. The ratio of their median
iteration times measures what the framework adds (runner, hooks, optimizer
wrappers, data preprocessor, logging), not the machine.
"""
import contextlib
import statistics
import time

import torch
from mmengine.dataset import InfiniteSampler
from mmengine.device import get_device
from mmengine.hooks import Hook
from mmengine.runner import Runner
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.dataloader import default_collate
from torch.utils.flop_counter import FlopCounterMode

from dcgan_mm.registry import MODELS

from .amp import enable_amp
from .config import load_config

# Optim wrapper type -> default autocast dtype of its forward pass, and whether it scales the loss.
AUTOCAST_WRAPPERS = {'AmpOptimWrapper': ('float16', True), 'AutocastOptimWrapper': ('bfloat16', False)}


class RandomImages(Dataset):
    """``num`` fixed random uint8 images, so data loading costs the same in both loops."""

    metainfo: dict = {}  # what mmengine's visualizer asks a dataset for

    def __init__(self, num: int, shape: tuple[int, int, int], seed: int = 0):
        generator = torch.Generator().manual_seed(seed)
        self.images = torch.randint(0, 256, (num, *shape), dtype=torch.uint8, generator=generator)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> dict:
        return {'inputs': self.images[index]}


def image_loader(cfg, batch_size: int) -> DataLoader:
    """Batches of random images of the generator's shape, endlessly, in the main process.

    The sampler is infinite, as the configs' samplers are: a finite loader
    makes mmengine's loop sleep 2 s at every epoch end.
    """
    generator = cfg.model.generator
    shape = (generator.get('out_channels', 3), generator.output_scale, generator.output_scale)
    dataset = RandomImages(2 * batch_size, shape)
    return DataLoader(dataset, batch_size=batch_size, sampler=InfiniteSampler(dataset, seed=0),
                      collate_fn=default_collate,
                      pin_memory=cfg.train_dataloader.get('pin_memory', False) and torch.cuda.is_available())


class HandWrittenLoop:
    """What ``DCGAN.train_step`` does, in plain PyTorch: no runner, hooks, wrappers or message hub.

    The same networks (built from the config and initialised the same way),
    optimizers, loss, noise on the device and update schedule; the generator
    step freezes the discriminator, as ours does. Both losses are read back
    every iteration, as the framework's logging does. Where the config's optim
    wrappers autocast (``AmpOptimWrapper``, ``AutocastOptimWrapper``), the
    forward passes here run under the same autocast, with a loss scaler where
    the wrapper has one.
    """

    def __init__(self, cfg, batch_size: int, device: torch.device | str):
        self.model = MODELS.build(cfg.model)
        self.model.init_weights()
        self.model.to(device)
        self.device, self.batch_size, self.iteration = torch.device(device), batch_size, 0
        self.optimizers, self.autocast, self.scalers = {}, {}, {}
        for name in ('generator', 'discriminator'):
            wrapper = cfg.optim_wrapper[name]
            options = dict(wrapper.optimizer)
            optimizer_type = getattr(torch.optim, options.pop('type'))
            self.optimizers[name] = optimizer_type(getattr(self.model, name).parameters(), **options)
            dtype, scaled = AUTOCAST_WRAPPERS.get(wrapper.get('type'), (None, False))
            dtype = wrapper.get('dtype') or dtype
            self.autocast[name] = getattr(torch, dtype) if dtype else None
            self.scalers[name] = torch.amp.GradScaler(self.device.type) if scaled else None
        self.batches = iter(image_loader(cfg, batch_size))

    def forward_context(self, name: str):
        dtype = self.autocast[name]
        return torch.autocast(self.device.type, dtype=dtype) if dtype else contextlib.nullcontext()

    def update(self, name: str, loss: torch.Tensor) -> None:
        optimizer, scaler = self.optimizers[name], self.scalers[name]
        if scaler is None:
            loss.backward()
            optimizer.step()
        else:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        optimizer.zero_grad(set_to_none=True)

    def step(self) -> None:
        """One iteration: a discriminator update, then (on schedule) generator updates."""
        model, generator, discriminator = self.model, self.model.generator, self.model.discriminator
        real = next(self.batches)['inputs'].to(self.device, non_blocking=True).float().sub_(127.5).div_(127.5)
        real = model.to_generator_order(real).contiguous(memory_format=model.memory_format)
        with self.forward_context('discriminator'):
            with torch.no_grad():
                fake = generator(torch.randn(self.batch_size, model.noise_size, device=self.device))
            loss_real, loss_fake = model.loss.discriminator(discriminator(real), discriminator(fake))
            loss_d = loss_real + loss_fake
        self.update('discriminator', loss_d)
        losses = [loss_d]
        if self.iteration % model.discriminator_steps == 0:
            discriminator.requires_grad_(False)
            for _ in range(model.generator_steps):
                with self.forward_context('generator'):
                    fake = generator(torch.randn(self.batch_size, model.noise_size, device=self.device))
                    loss_g = model.loss.generator(discriminator(fake))
                self.update('generator', loss_g)
                losses.append(loss_g)
            discriminator.requires_grad_(True)
            if model.generator_ema is not None:
                model.generator_ema.update_parameters(generator)
        self.iteration += 1
        for loss in losses:
            loss.item()

    def count_flops(self) -> int:
        """Floating-point operations of one iteration (a multiply-add counts 2), counted while it runs."""
        with FlopCounterMode(display=False) as counter:
            self.step()
        return counter.get_total_flops()


class InterleavedTimer(Hook):
    """Times each framework iteration and, after the warm-up, runs one timed hand-written iteration after it.

    This hook runs last, so a framework iteration is timed from the end of the
    previous one to the end of its own ``after_train_iter`` hooks: fetching the
    batch, the hooks and the train step. The hand-written iteration is timed
    on its own and left out of it.
    """

    priority = 'LOWEST'

    def __init__(self, hand: HandWrittenLoop, warmup: int):
        self.hand, self.warmup = hand, warmup
        self.framework: list[float] = []
        self.handwritten: list[float] = []
        self.flops = 0
        self.last = 0.0

    def clock(self) -> float:
        if self.hand.device.type == 'cuda':
            torch.cuda.synchronize(self.hand.device)
        return time.perf_counter()

    def before_train(self, runner) -> None:
        self.flops = self.hand.count_flops()  # an extra warm-up iteration of the hand-written loop
        for _ in range(self.warmup):
            self.hand.step()
        self.last = self.clock()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        end = self.clock()
        if runner.iter >= self.warmup:
            self.framework.append(end - self.last)
            start = self.clock()
            self.hand.step()
            self.handwritten.append(self.clock() - start)
        self.last = self.clock()


def framework_runner(cfg, batch_size: int, max_iters: int, work_dir: str) -> Runner:
    """A Runner of the config on random images, with evaluation, checkpoints and sample grids off."""
    cfg = cfg.copy()
    cfg.work_dir = work_dir
    cfg.train_cfg.max_iters = max_iters
    cfg.train_cfg.val_begin = max_iters + 1
    for key in ('val_dataloader', 'val_cfg', 'val_evaluator', 'test_dataloader', 'test_cfg', 'test_evaluator'):
        cfg[key] = None
    cfg.default_hooks.checkpoint = None
    cfg.default_hooks.pop('sample_grid', None)
    cfg.log_level = 'WARNING'
    runner = Runner.from_cfg(cfg)
    runner._train_dataloader = image_loader(cfg, batch_size)
    return runner


def benchmark_train(config: str, iters: int = 5, warmup: int = 2, batch_size: int | None = None,
                    cfg_options: dict | None = None, work_dir: str = 'work_dirs/benchmark',
                    amp: str | None = None) -> dict:
    """Time ``iters`` iterations of ``Runner.train()`` on ``config`` and of the hand-written loop, interleaved.

    Args:
        config: Config file.
        iters: Timed iterations of each loop.
        warmup: Untimed iterations of each loop first (allocator, kernel selection, compilation).
        batch_size: Images per batch (default: the config's ``train_dataloader.batch_size``).
        cfg_options: Overrides merged into the config, as ``--cfg-options`` does.
        work_dir: Where the Runner writes its logs.
        amp: Mixed precision as ``tools/train.py --amp`` sets it (``'auto'``, ``'fp16'``,
            ``'bf16'``), for both loops; None for the config's own precision.

    Returns:
        Median seconds per iteration of each loop (``framework_s_per_iter``,
        ``handwritten_s_per_iter``), their ``ratio``, images/s, the fastest
        iteration of each and their ratio (``ratio_min``: load on the machine
        only ever adds time, so on a busy machine it is the steadier figure),
        ``flops_per_iter`` of the model (forward and backward passes of both
        networks), the TFLOP/s each loop achieves and every iteration's time.
    """
    if iters < 1 or warmup < 0:
        raise ValueError(f'iters must be >= 1 and warmup >= 0, got iters={iters}, warmup={warmup}')
    cfg = load_config(config, cfg_options)
    if amp:
        enable_amp(cfg, amp)
    batch_size = batch_size or cfg.train_dataloader.batch_size
    runner = framework_runner(cfg, batch_size, warmup + iters, work_dir)
    timer = InterleavedTimer(HandWrittenLoop(cfg, batch_size, get_device()), warmup)
    runner.register_hook(timer)
    runner.train()
    ours, plain = statistics.median(timer.framework), statistics.median(timer.handwritten)
    device = timer.hand.device
    return {
        'config': config, 'batch_size': batch_size, 'iters': iters, 'warmup': warmup, 'device': str(device),
        'device_name': torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu',
        'threads': torch.get_num_threads(), 'torch': torch.__version__,
        'autocast': {name: str(dtype).removeprefix('torch.') if dtype else None
                     for name, dtype in timer.hand.autocast.items()},
        'framework_s_per_iter': ours, 'handwritten_s_per_iter': plain, 'ratio': ours / plain,
        'framework_images_per_s': batch_size / ours, 'handwritten_images_per_s': batch_size / plain,
        'framework_min_s': min(timer.framework), 'handwritten_min_s': min(timer.handwritten),
        'ratio_min': min(timer.framework) / min(timer.handwritten),
        'flops_per_iter': timer.flops,
        'framework_tflops': timer.flops / ours / 1e12, 'handwritten_tflops': timer.flops / plain / 1e12,
        'framework_iter_s': timer.framework, 'handwritten_iter_s': timer.handwritten,
    }
