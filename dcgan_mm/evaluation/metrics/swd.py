"""SWD metric: feeds image batches to :func:`dcgan_mm.evaluation.functional.swd`.

Memory. The images are kept until the end (patch statistics need whole sets),
copied into large preallocated blocks: real images as uint8, generated ones as
float32 (as OpenMMLab scores them; uint8 if the model already quantises). For
the model-zoo setting, 16,384 + 16,384 images of 64x64 RGB, that is 805 MB of
fakes + 201 MB of reals; evaluating adds the ``buffer_bytes`` budget (2.6 GiB:
one level's float32 descriptors of both sets, 2.47 GB, and 19 directions'
projections, 0.32 GB), one level at a time. OpenMMLab keeps every level's
descriptors (7.4 GB); measured figures are in docs/benchmarks.md.
"""
import logging

import torch
from mmengine.logging import print_log
from torch import Tensor

from dcgan_mm.registry import METRICS

from ..functional.swd import AVG_KEY, DEFAULT_BUFFER_BYTES, check_pyramid, swd, swd_resolutions
from .base import GenerativeMetric
from .storage import BlockStore

# The mean over levels; the per-level keys are the level resolutions ('64', '32', '16').
SWD_AVG_KEY = AVG_KEY


def level_key(resolution: int) -> str:
    """Result key of one pyramid level: its resolution."""
    return str(resolution)


@METRICS.register_module('SWD')
class SlicedWassersteinDistance(GenerativeMetric):
    """Sliced Wasserstein distance (x 1e3, lower is better) between generated and real images.

    Results: ``swd/64``, ``swd/32``, ``swd/16``, ``swd/avg`` for 64x64 images (keys named
    by the actual level resolutions). Uses as many real images as fakes.

    Args:
        fake_nums: Generated images (and real images); -1 = the dataset size. When the
            dataset has fewer, both sets shrink to it (with a warning).
        image_shape: (C, H, W) of the images; C may be 1 (repeated to 3) or 3.
        sample_model: 'orig' or 'ema'.
        seed: Seed of the patch positions and projection directions.
        pyramid: 'openmmlab' (the model-zoo numbers) or 'pggan' (the original code; not
            comparable with the model zoo).
        buffer_bytes: Working memory budget for descriptors and projections.
        collect_device: 'cpu' or 'gpu', for gathering images across ranks.
        prefix: Result key prefix.
    """

    default_prefix = 'swd'

    def __init__(self, fake_nums: int = 16384, image_shape: tuple[int, int, int] = (3, 64, 64),
                 sample_model: str = 'orig', seed: int = 0, pyramid: str = 'openmmlab',
                 buffer_bytes: int = DEFAULT_BUFFER_BYTES, collect_device: str = 'cpu',
                 prefix: str | None = None) -> None:
        super().__init__(fake_nums, fake_nums, sample_model, collect_device, prefix)
        check_pyramid(pyramid)
        if len(image_shape) != 3 or image_shape[0] not in (1, 3):
            raise ValueError(f'image_shape must be (C, H, W) with C in (1, 3), got {image_shape}.')
        self.image_shape = tuple(image_shape)
        self.resolutions = swd_resolutions(image_shape[1], pyramid)
        if not self.resolutions:
            raise ValueError(f'SWD needs images of at least 16x16, got {image_shape}.')
        self.seed = seed
        self.pyramid = pyramid
        self.buffer_bytes = buffer_bytes
        self._device = torch.device('cpu')

    def resolve(self, dataset_size: int | None) -> None:
        """Both sets get the same size: the dataset's if it is smaller than ``fake_nums``."""
        super().resolve(dataset_size)
        if self.num_fakes > self.num_reals:
            print_log(f'SWD ({self.prefix}): {self.num_reals} real images available, so {self.num_reals} generated '
                      f'images are used instead of {self.num_fakes}.', logger='current', level=logging.WARNING)
        self._num_fakes = self._num_reals = min(self.num_fakes, self.num_reals)

    def _check(self, images: Tensor) -> None:
        if images.ndim != 4 or images.shape[1] not in (1, 3) or tuple(images.shape[2:]) != self.image_shape[1:]:
            raise ValueError(f'SWD was set up for image_shape={self.image_shape} (1 or 3 channels), '
                             f'got a batch of shape {tuple(images.shape)}.')

    def _new_store(self) -> BlockStore:
        return BlockStore(capacity=self._num_fakes)

    def _add_fakes(self, images: Tensor, first_index: int) -> None:
        self._check(images)
        self._device = images.device  # compute where the generator runs
        self.fake_store.append(first_index, images if images.dtype == torch.uint8 else images.float())

    def _add_reals(self, images: Tensor, first_index: int) -> None:
        self._check(images)
        self.real_store.append(first_index, images if images.dtype == torch.uint8 else images.float())

    def compute_metrics(self, results: tuple[list[Tensor], list[Tensor]]) -> dict[str, float]:
        """SWD of the ordered real and fake batches, streamed without concatenation."""
        fakes, reals = results
        return swd(reals, fakes, seed=self.seed, pyramid=self.pyramid, buffer_bytes=self.buffer_bytes,
                   device=self._device)
