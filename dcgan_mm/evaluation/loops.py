"""The validation/test loop of generative models: generate, feed the metrics, gather.

``val_cfg = dict(type='GenerativeEvalLoop')`` and ``test_cfg = dict(type='GenerativeEvalLoop')``.
Generated images come from a noise stream of their own (a CPU ``torch.Generator``
seeded with ``seed``), real ones from a seeded random subset of the dataset, so
an evaluation sees the same inputs at every checkpoint, for any batch size and
number of ranks, and never moves the training's random state.
"""
import logging
import time
from collections.abc import Sequence

import numpy as np
import torch
from mmengine.dist import get_dist_info
from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.runner.amp import autocast
from mmengine.runner.base_loop import BaseLoop
from torch import Tensor
from torch.utils.data import DataLoader

from dcgan_mm.registry import LOOPS, METRICS
from dcgan_mm.utils import device_of, preserved_global_rng, unwrap_model

from .metrics.base import GenerativeMetric

# Separates the real-subset stream from the noise stream drawn from the same seed.
_REAL_SUBSET_STREAM = 1
# Dataset attributes that say which real images an evaluation used (mmengine's BaseDataset and ours).
_DATASET_FIELDS = ('data_root', 'ann_file', 'split')


def rank_range(total: int, world_size: int, rank: int, multiple: int = 1) -> range:
    """This rank's contiguous share of ``range(total)``.

    Shares are balanced, disjoint, cover everything, and start at multiples of
    ``multiple`` (2 keeps MS-SSIM's pairs on one rank).
    """
    units = -(-total // multiple)
    start = rank * units // world_size * multiple
    stop = (rank + 1) * units // world_size * multiple
    return range(min(start, total), min(stop, total))


def real_subset(dataset_size: int, num: int, seed: int) -> np.ndarray:
    """``num`` distinct dataset indices in random order: every prefix is a random subset too."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, _REAL_SUBSET_STREAM])
    return rng.choice(dataset_size, size=num, replace=False)


def generative_metric_names() -> list[str]:
    """Registered names (aliases included) of the metrics :class:`GenerativeEvalLoop` can evaluate."""
    return sorted(name for name, cls in METRICS.module_dict.items() if issubclass(cls, GenerativeMetric))


def describe_dataset(dataset) -> dict:
    """The real dataset of an evaluation, for the protocol: type, size and where it reads from."""
    info = {'type': type(dataset).__name__, 'size': len(dataset)}
    for name in _DATASET_FIELDS:
        value = getattr(dataset, name, None)
        if value not in (None, ''):
            info[name] = value if isinstance(value, (str, int, float, bool)) else str(value)
    return info


def batch_images(batch: dict | Sequence) -> Tensor:
    """``(N, C, H, W)`` images of a collated batch: ``{'inputs': tensor}`` or ``{'inputs': [tensor, ...]}``."""
    inputs = batch['inputs'] if isinstance(batch, dict) else batch
    if isinstance(inputs, Tensor):
        return inputs
    if isinstance(inputs, (list, tuple)) and inputs and all(isinstance(x, Tensor) for x in inputs):
        return torch.stack(list(inputs))
    raise TypeError(f"Expected a batch {{'inputs': tensor or list of tensors}}, got {type(inputs).__name__}.")


class _Progress:
    """Logs 'done/total, elapsed, eta' every ``interval`` batches through the current logger."""

    def __init__(self, total: int, interval: int, mode: str) -> None:
        self.total, self.interval, self.mode = total, max(1, interval), mode
        self.done = 0
        self.start = time.perf_counter()

    def step(self, what: str) -> None:
        self.done += 1
        if self.done % self.interval and self.done != self.total:
            return
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        print_log(f'Generative {self.mode} [{self.done}/{self.total}] {what}, elapsed {elapsed:.0f}s, '
                  f'eta {time.strftime("%H:%M:%S", time.gmtime(eta))}', logger='current')


@LOOPS.register_module()
class GenerativeEvalLoop(BaseLoop):
    """Evaluates generative metrics (:class:`GenerativeMetric`) for ``runner.val()`` and ``runner.test()``.

    The model must expose ``noise_size``, ``eval()``/``train()`` and
    ``generate(noise, sample_model='orig')`` returning float NCHW RGB images in
    [0, 255]. Runner hooks are called as mmengine's ValLoop/TestLoop do
    (``before_val``, ``before_val_epoch``, ``after_val_epoch(metrics=...)``,
    ``after_val``, or the ``test`` ones), so e.g. ``CheckpointHook(save_best=...)``
    sees the metrics.

    Args:
        runner: The runner.
        dataloader: Dataloader (or its config) of the real images; its dataset,
            batch size, collate function and workers are used.
        evaluator: Evaluator (or its config) holding only generative metrics.
        fp16: Generate under autocast.
        seed: Seed of the evaluation noise and of the real subset, fixed across
            evaluations and independent of training's.
        log_interval: Batches between progress lines.
        mode: 'val' or 'test' hooks; by default whichever loop of the runner this is.
    """

    def __init__(self, runner, dataloader: DataLoader | dict, evaluator: Evaluator | dict | list, fp16: bool = False,
                 seed: int = 2022, log_interval: int = 50, mode: str | None = None) -> None:
        super().__init__(runner, dataloader)
        self.evaluator = runner.build_evaluator(evaluator) if isinstance(evaluator, (dict, list)) else evaluator
        wrong = [type(m).__name__ for m in self.evaluator.metrics if not isinstance(m, GenerativeMetric)]
        if wrong:
            raise TypeError(f'GenerativeEvalLoop evaluates generative metrics '
                            f'({", ".join(generative_metric_names())}); got {", ".join(wrong)}.')
        if mode not in (None, 'val', 'test'):
            raise ValueError(f"mode must be 'val', 'test' or None, got {mode!r}.")
        self.fp16 = fp16
        self.seed = seed
        self.log_interval = log_interval
        self.mode = mode

    def _mode(self) -> str:
        if self.mode is not None:
            return self.mode
        return 'test' if getattr(self.runner, '_test_loop', None) is self else 'val'

    def run(self) -> dict:
        """Generate, feed, gather; returns ``{'{prefix}/{key}': value}`` like mmengine's loops."""
        mode = self._mode()
        self.runner.call_hook(f'before_{mode}')
        self.runner.call_hook(f'before_{mode}_epoch')
        model = unwrap_model(self.runner.model)
        was_training = model.training
        model.eval()
        try:
            with preserved_global_rng(), torch.no_grad():
                self.feed_metrics(model, mode)
                metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        finally:
            model.train(was_training)
        self._complete_protocols()
        self.runner.call_hook(f'after_{mode}_epoch', metrics=metrics)
        self.runner.call_hook(f'after_{mode}')
        return metrics

    def _complete_protocols(self) -> None:
        """Name the real dataset and the seed in the protocol of every metric that recorded one (FID & co)."""
        for metric in self.evaluator.metrics:
            protocol = getattr(metric, 'protocol', None)
            if protocol:
                if metric.num_reals:
                    protocol['dataset'] = describe_dataset(self.dataloader.dataset)
                protocol['eval_seed'] = self.seed

    def feed_metrics(self, model, mode: str = 'val') -> None:
        """Feed this rank's share of generated and real images to every metric (no gathering)."""
        dataset = self.dataloader.dataset
        dataset_size = len(dataset)
        metrics: list[GenerativeMetric] = list(self.evaluator.metrics)
        for metric in metrics:
            metric.resolve(dataset_size)
        rank, world_size = get_dist_info()
        batch_size = self.dataloader.batch_size or getattr(self.dataloader.batch_sampler, 'batch_size', None) or 1
        groups = {}  # sample_model -> metrics, one generation pass each
        for metric in metrics:
            groups.setdefault(metric.sample_model, []).append(metric)
        fake_ranges = {name: rank_range(max(m.num_fakes for m in group), world_size, rank, multiple=2)
                       for name, group in groups.items()}
        num_reals = max(m.num_reals for m in metrics)
        real_indices = real_subset(dataset_size, num_reals, self.seed)
        real_range = rank_range(num_reals, world_size, rank)
        steps = sum(-(-len(r) // batch_size) for r in fake_ranges.values()) + -(-len(real_range) // batch_size)
        progress = _Progress(steps, self.log_interval, mode)
        for name, group in groups.items():
            self._feed_fakes(model, name, group, fake_ranges[name], batch_size, progress)
        if num_reals:
            self._feed_reals(real_indices, real_range, [m for m in metrics if m.num_reals], batch_size, progress)

    def _feed_fakes(self, model, sample_model: str, metrics: list[GenerativeMetric], share: range, batch_size: int,
                    progress: _Progress) -> None:
        noise_shape = model.noise_size if isinstance(model.noise_size, (tuple, list)) else (model.noise_size,)
        # The whole stream is drawn on every rank and sliced, so image i gets the same
        # noise for any batch size and number of ranks (16,384 x 100 floats: 6.5 MB).
        generator = torch.Generator().manual_seed(self.seed)
        noise = torch.randn(share.stop, *noise_shape, generator=generator)
        device = device_of(model)
        for start in range(share.start, share.stop, batch_size):
            stop = min(start + batch_size, share.stop)
            with autocast(enabled=self.fp16):
                images = model.generate(noise[start:stop].to(device), sample_model=sample_model)
            images = images.float()
            for metric in metrics:
                metric.add_fakes(images, start)
            progress.step(f'{stop - share.start}/{len(share)} generated ({sample_model})')

    def _feed_reals(self, indices: np.ndarray, share: range, metrics: list[GenerativeMetric], batch_size: int,
                    progress: _Progress) -> None:
        loader = self.dataloader
        reals = DataLoader(loader.dataset, batch_size=batch_size, sampler=indices[share.start:share.stop].tolist(),
                           collate_fn=loader.collate_fn, num_workers=loader.num_workers,
                           worker_init_fn=loader.worker_init_fn,
                           generator=torch.Generator().manual_seed(self.seed))  # not the global RNG
        position = share.start
        for batch in reals:
            images = batch_images(batch)
            for metric in metrics:
                metric.add_reals(images, position)
            position += images.shape[0]
            progress.step(f'{position - share.start}/{len(share)} real images')
        if position != share.stop:
            print_log(f'The dataset yielded {position - share.start} real images, expected {len(share)}.',
                      logger='current', level=logging.WARNING)
