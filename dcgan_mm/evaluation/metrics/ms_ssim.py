"""MS-SSIM metric: the mean MS-SSIM of generated pairs (0, 1), (2, 3), ... (lower = more diverse)."""
import torch
from torch import Tensor

from dcgan_mm.registry import METRICS

from ..functional import ms_ssim
from .base import GenerativeMetric

# The mean over pairs.
MS_SSIM_AVG_KEY = 'avg'


@METRICS.register_module('MS_SSIM')
class MultiScaleStructureSimilarity(GenerativeMetric):
    """Mean MS-SSIM between consecutive generated images, as OpenMMLab and PGGAN report it.

    Each pair is scored as soon as both images have arrived (batches of any size,
    odd included), so only one float per pair is kept. Result: ``ms-ssim/avg``.

    Args:
        fake_nums: Generated images, i.e. ``fake_nums // 2`` pairs; -1 = the dataset size.
        sample_model: 'orig' or 'ema'.
        collect_device: 'cpu' or 'gpu', for gathering scores across ranks.
        prefix: Result key prefix.
    """

    default_prefix = 'ms-ssim'

    def __init__(self, fake_nums: int = 10000, sample_model: str = 'orig', collect_device: str = 'cpu',
                 prefix: str | None = None) -> None:
        super().__init__(fake_nums, 0, sample_model, collect_device, prefix)

    def reset(self) -> None:
        super().reset()
        self._pending: tuple[int, Tensor] | None = None  # an even-indexed image waiting for its partner

    @property
    def expected_fake_items(self) -> int:
        """One item per pair."""
        return self.num_fakes // 2

    def _add_fakes(self, images: Tensor, first_index: int) -> None:
        if self._pending is not None and self._pending[0] + 1 == first_index:
            images = torch.cat([self._pending[1].to(images), images])
            first_index -= 1
        elif first_index % 2:
            raise ValueError(f'MS-SSIM pairs images (2k, 2k + 1): a batch starting at odd index {first_index} '
                             'must follow the batch holding its partner.')
        self._pending = None
        paired = images.shape[0] // 2 * 2
        if paired < images.shape[0]:
            self._pending = (first_index + paired, images[paired:].detach())
        if paired:
            scores = ms_ssim(images[0:paired:2], images[1:paired:2]).double().cpu()
            self.fake_store.append(first_index // 2, scores)

    def compute_metrics(self, results: tuple[list[Tensor], list[Tensor]]) -> dict[str, float]:
        """Mean score over all pairs."""
        fakes, _ = results
        return {MS_SSIM_AVG_KEY: float(torch.cat(fakes).mean())}
