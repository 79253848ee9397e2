"""Iteration-based training that resumes instantly and exactly."""
import logging

import torch
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator

from dcgan_mm.errors import DataError
from dcgan_mm.registry import LOOPS

from .rng import restore_rng_state

RESUMED_RNG_KEY = 'resumed_rng_state'


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """mmengine's ``IterBasedTrainLoop``, resumed by position instead of by replay.

    mmengine resumes by loading and discarding every batch already seen (hours
    into a long run). With a sampler that has ``set_position`` (e.g.
    ``ResumableInfiniteSampler``) this loop starts the sampler where the
    interrupted run stopped, then restores the random number generators saved
    in the checkpoint, so the noise stream continues too. Other samplers fall
    back to mmengine's replay.

    Before anything else, a dataset smaller than one batch per process
    (fewer than ``world_size x batch_size`` images) stops the run with a
    :class:`~dcgan_mm.errors.DataError`: an infinite sampler would silently
    repeat images within each batch.
    """

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
            if (self.runner.val_loop is not None and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0 or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def skip_seen_data(self) -> None:
        sampler = getattr(self.dataloader, 'sampler', None)
        if not hasattr(sampler, 'set_position'):
            print_log(f'{type(sampler).__name__} cannot start mid-stream: replaying {self._iter} batches to '
                      'resume (use ResumableInfiniteSampler to skip this).', logger='current', level=logging.WARNING)
            for _ in range(self._iter):
                next(self.dataloader_iterator)
            return
        sampler.set_position(self._iter * self.dataloader.batch_size)
        self.dataloader_iterator = _InfiniteDataloaderIterator(self.dataloader)
        # Restored last: creating the iterator above draws from the global RNG.
        state = self.runner.message_hub.runtime_info.pop(RESUMED_RNG_KEY, None)
        if state is not None:
            restore_rng_state(state)
        print_log(f'Resumed the data stream at iteration {self._iter} without replaying it.', logger='current')


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
