"""Feeding and collection shared by the generative metrics; the maths lives in ``functional/``.

A generative metric is fed generated ("fake") and, if it needs them, real
images, each tagged with its index in its stream, so that results gathered
from several ranks come back in order with none missing and none twice.
:class:`~dcgan_mm.evaluation.loops.GenerativeEvalLoop` drives it:
``resolve(dataset_size)``, then ``add_fakes``/``add_reals``, then ``evaluate()``.
"""
import logging
from collections.abc import Sequence

import torch
from mmengine.dist import broadcast_object_list, collect_results, get_world_size, is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from torch import Tensor

from .storage import Part, PartList

SAMPLE_MODELS = ('orig', 'ema')


def _shareable(parts: list[Part], world_size: int) -> list[Part]:
    """Parts safe to send to another rank: a view of a larger block would pickle the whole block."""
    if world_size == 1:
        return parts
    return [(index, items.clone() if items.untyped_storage().nbytes() > items.nbytes else items)
            for index, items in parts]


def ordered_parts(parts_per_rank: Sequence[Sequence[Part]], expected: int, what: str) -> list[Tensor]:
    """Parts from every rank sorted by index, checked to cover ``[0, expected)`` exactly once.

    Raises:
        RuntimeError: when an item is missing or duplicated (a splitting bug, never silent).
    """
    parts = sorted((part for rank_parts in parts_per_rank for part in rank_parts), key=lambda part: part[0])
    position = 0
    for index, items in parts:
        if index != position:
            raise RuntimeError(f'{what}: expected item {position} next, got a part starting at {index} '
                               '(a rank produced overlapping or missing items).')
        position += items.shape[0]
    if position != expected:
        raise RuntimeError(f'{what}: gathered {position} items, expected {expected}.')
    return [items for _, items in parts]


class GenerativeMetric(BaseMetric):
    """Base class of metrics computed on generated images (and possibly real ones).

    Args:
        fake_nums: Generated images needed; -1 means as many as the dataset has.
        real_nums: Real images needed; -1 means the whole dataset, 0 none.
        sample_model: Generator to sample from: 'orig' or 'ema'.
        collect_device: 'cpu' or 'gpu', for gathering results across ranks.
        prefix: Prefix of the result keys ('{prefix}/{key}'); the class's
            ``default_prefix`` when None.
    """

    def __init__(self, fake_nums: int, real_nums: int = 0, sample_model: str = 'orig', collect_device: str = 'cpu',
                 prefix: str | None = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if sample_model not in SAMPLE_MODELS:
            raise ValueError(f"sample_model must be one of {SAMPLE_MODELS}, got {sample_model!r}.")
        for name, value in (('fake_nums', fake_nums), ('real_nums', real_nums)):
            if value < -1:
                raise ValueError(f'{name} must be -1 (the whole dataset) or >= 0, got {value}.')
        self.fake_nums = fake_nums
        self.real_nums = real_nums
        self.sample_model = sample_model
        self._num_fakes = None if fake_nums == -1 else fake_nums
        self._num_reals = None if real_nums == -1 else real_nums
        self.reset()

    # ------------------------------------------------------------------ sizes
    def resolve(self, dataset_size: int | None) -> None:
        """Fix the image counts for the next evaluation and clear previous results.

        -1 becomes the dataset size; real images beyond the dataset are clamped to it
        with a warning (never an error: a small validation set still gets evaluated).
        """
        self._num_fakes = self._resolve(self.fake_nums, dataset_size, clamp=False)
        self._num_reals = self._resolve(self.real_nums, dataset_size, clamp=True)
        self.reset()

    def _resolve(self, wanted: int, dataset_size: int | None, clamp: bool) -> int:
        if wanted == -1:
            if dataset_size is None:
                raise ValueError(f'{type(self).__name__}: -1 (the whole dataset) needs a dataset with a length.')
            return dataset_size
        if clamp and dataset_size is not None and wanted > dataset_size:
            print_log(f'{type(self).__name__} ({self.prefix}) wants {wanted} real images but the dataset has only '
                      f'{dataset_size}; using all {dataset_size}.', logger='current', level=logging.WARNING)
            return dataset_size
        return wanted

    @property
    def num_fakes(self) -> int:
        """Generated images this metric needs (after :meth:`resolve`)."""
        if self._num_fakes is None:
            raise RuntimeError(f'{type(self).__name__}: call resolve(dataset_size) first (fake_nums=-1).')
        return self._num_fakes

    @property
    def num_reals(self) -> int:
        """Real images this metric needs (after :meth:`resolve`)."""
        if self._num_reals is None:
            raise RuntimeError(f'{type(self).__name__}: call resolve(dataset_size) first (real_nums=-1).')
        return self._num_reals

    # ---------------------------------------------------------------- feeding
    def reset(self) -> None:
        """Forget everything fed so far."""
        self.fake_store = self._new_store()
        self.real_store = self._new_store()
        self._next_fake = 0
        self._next_real = 0

    def add_fakes(self, images: Tensor, first_index: int | None = None) -> None:
        """Feed generated images ``first_index, first_index + 1, ...`` of the fake stream.

        Args:
            images: NCHW images in [0, 255], float or uint8, RGB or grayscale.
            first_index: Their index in the stream (this rank's next one by default);
                images at or beyond :attr:`num_fakes` are ignored.
        """
        first = self._next_fake if first_index is None else first_index
        keep = images[:max(0, self.num_fakes - first)]
        if keep.shape[0]:
            self._add_fakes(keep, first)
        self._next_fake = first + images.shape[0]

    def add_reals(self, images: Tensor, first_index: int | None = None) -> None:
        """Feed real images ``first_index, ...`` of the real stream (see :meth:`add_fakes`)."""
        first = self._next_real if first_index is None else first_index
        keep = images[:max(0, self.num_reals - first)]
        if keep.shape[0]:
            self._add_reals(keep, first)
        self._next_real = first + images.shape[0]

    def _new_store(self) -> PartList:
        """Where ingested results are kept; subclasses keeping images use a :class:`BlockStore`."""
        return PartList()

    def _add_fakes(self, images: Tensor, first_index: int) -> None:
        raise NotImplementedError

    def _add_reals(self, images: Tensor, first_index: int) -> None:
        raise NotImplementedError(f'{type(self).__name__} does not use real images.')

    def process(self, data_batch: dict | None, data_samples: Sequence | Tensor) -> None:
        """mmengine's entry point: generated images in ``data_samples``, reals in ``data_batch['inputs']``.

        Images are appended to each stream in order; :class:`GenerativeEvalLoop` calls
        :meth:`add_fakes` and :meth:`add_reals` directly instead.
        """
        fakes = data_samples if isinstance(data_samples, Tensor) else torch.stack(list(data_samples))
        self.add_fakes(fakes)
        if self.num_reals and data_batch is not None and 'inputs' in data_batch:
            reals = data_batch['inputs']
            self.add_reals(reals if isinstance(reals, Tensor) else torch.stack(list(reals)))

    # -------------------------------------------------------------- gathering
    @property
    def expected_fake_items(self) -> int:
        """Items the gathered fake parts must hold (one per image unless a subclass pairs them)."""
        return self.num_fakes

    def evaluate(self, size: int | None = None) -> dict:
        """Gather every rank's parts, compute on the main process, broadcast the result.

        Args:
            size: Ignored (mmengine passes the dataset length); the metric knows its counts.

        Returns:
            ``{'{prefix}/{key}': value}``.
        """
        world_size = get_world_size()
        fakes = collect_results([_shareable(self.fake_store.parts(), world_size)], world_size, self.collect_device)
        reals = collect_results([_shareable(self.real_store.parts(), world_size)], world_size, self.collect_device)
        metrics = [None]
        if is_main_process():
            name = type(self).__name__
            fakes = ordered_parts(fakes, self.expected_fake_items, f'{name} fakes')
            reals = ordered_parts(reals, self.num_reals, f'{name} reals')
            results = self.compute_metrics((fakes, reals))
            metrics = [{f'{self.prefix}/{key}' if self.prefix else key: value for key, value in results.items()}]
        broadcast_object_list(metrics)
        self.reset()
        return metrics[0]
