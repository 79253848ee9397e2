"""Iteration-based training that resumes instantly and exactly, on any number of processes."""
import logging

import torch
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator

from dcgan_mm.errors import DataError
from dcgan_mm.registry import LOOPS

from .resume import MultiProcessResumeState, ResumeState


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """mmengine's ``IterBasedTrainLoop``, resumed exactly and by position instead of by replay.

    The loop owns what resuming needs: it installs :class:`~dcgan_mm.engine.resume.ResumeState`
    (``MultiProcessResumeState`` with several processes)
    on the runner (safe, rank-independent checkpoints holding every rank's RNG
    state; not a config entry, so it cannot be switched off). On resume,
    with a sampler that has ``set_position`` (e.g. ``ResumableInfiniteSampler``),
    the sampler starts where the interrupted run stopped instead of mmengine's
    loading and discarding every batch already seen, and then each rank gets
    back its own RNG state, so the noise streams continue too. Other samplers
    fall back to mmengine's replay.

    Before anything else, a dataset smaller than one batch per process
    (fewer than ``world_size x batch_size`` images) stops the run with a
    :class:`~dcgan_mm.errors.DataError`: an infinite sampler would silently
    repeat images within each batch.

    Args:
        runner: The runner.
        dataloader: The training dataloader or its config.
        max_iters: Total training iterations.
        val_begin: First iteration at which validation may run.
        val_interval: Iterations between validations.
        dynamic_intervals: ``(milestone, interval)`` pairs changing ``val_interval``.
        val_at_end: Also validate after the last iteration when it is not a
            multiple of ``val_interval`` (mmengine's behaviour), so a run always
            ends with its metrics.
    """

    def __init__(self, runner, dataloader, max_iters: int, val_begin: int = 1, val_interval: int = 1000,
                 dynamic_intervals: list[tuple[int, int]] | None = None, val_at_end: bool = True) -> None:
        super().__init__(runner, dataloader, max_iters, val_begin=val_begin, val_interval=val_interval,
                         dynamic_intervals=dynamic_intervals)
        self.val_at_end = val_at_end
        state_type = MultiProcessResumeState if runner.world_size > 1 else ResumeState
        self.resume_state = state_type()
        runner.register_hook(self.resume_state)

    def run(self) -> torch.nn.Module:
        check_one_batch(self.dataloader, self.runner.world_size)
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        if self._iter > 0:
            self.skip_seen_data()
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter(next(self.dataloader_iterator))
            self._decide_current_val_interval()
            if self.should_validate():
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def should_validate(self) -> bool:
        return self.runner.val_loop is not None and self.validates_after(self._iter)

    def validates_after(self, done: int) -> bool:
        """Whether a validation follows the ``done``-th iteration (1-based)."""
        if done < self.val_begin:
            return False
        return done % self.val_interval == 0 or (self.val_at_end and done == self._max_iters)

    def skip_seen_data(self) -> None:
        sampler = getattr(self.dataloader, 'sampler', None)
        if not hasattr(sampler, 'set_position'):
            print_log(f'{type(sampler).__name__} cannot start mid-stream: replaying {self._iter} batches to '
                      'resume (use ResumableInfiniteSampler to skip this).', logger='current', level=logging.WARNING)
            for _ in range(self._iter):
                next(self.dataloader_iterator)
        else:
            sampler.set_position(self._iter * self.dataloader.batch_size)
            self.dataloader_iterator = _InfiniteDataloaderIterator(self.dataloader)
            print_log(f'Resumed the data stream at iteration {self._iter} without replaying it.', logger='current')
        # Restored last: creating the iterator above draws from the global RNG.
        self.resume_state.restore_rng()


def check_one_batch(dataloader, world_size: int = 1) -> None:
    """Fail when the dataset cannot fill one batch on each of ``world_size`` processes.

    Raises:
        DataError: Naming the dataset size, the batch size and what to change.
    """
    batch_sampler = getattr(dataloader, 'batch_sampler', None)
    batch_size = getattr(dataloader, 'batch_size', None) or getattr(batch_sampler, 'batch_size', None)
    try:
        size = len(dataloader.dataset)
    except TypeError:  # an iterable dataset has no length
        return
    if batch_size is None or size >= batch_size * world_size:
        return
    if world_size == 1:
        raise DataError(f'train_dataloader: the dataset has {size} images, fewer than one batch '
                        f'(batch_size={batch_size}). Lower train_dataloader.batch_size or add images.')
    raise DataError(f'train_dataloader: the dataset has {size} images, fewer than one batch on each of the '
                    f'{world_size} processes ({world_size} x batch_size={batch_size}). Lower '
                    'train_dataloader.batch_size, use fewer processes, or add images.')
