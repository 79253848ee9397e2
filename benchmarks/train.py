"""Time the real training step of a config against a minimal hand-written PyTorch loop.

Both run the same generator, discriminator, optimizers, loss and batch size in
one process, interleaved iteration by iteration (ours, hand-written, ours, ...),
so a burst of load on the machine slows both alike. The ratio of their median
iteration times measures what the framework adds (runner, hooks, optimizer
wrappers, data preprocessor, logging), not the machine.
"""
import statistics
import time

import torch
from mmengine.device import get_device
from mmengine.hooks import Hook
from mmengine.runner import Runner

from dcgan_mm.cli.amp import enable_amp
from dcgan_mm.cli.config import load_config

from .handwritten_loop import HandWrittenLoop, image_loader


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
