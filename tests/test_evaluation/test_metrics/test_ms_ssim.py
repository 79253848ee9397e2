import pytest
import torch

import dcgan_mm.evaluation  # noqa: F401 (registers the metrics)
from dcgan_mm.evaluation.functional import ms_ssim
from dcgan_mm.evaluation.metrics import MS_SSIM_AVG_KEY, MultiScaleStructureSimilarity
from dcgan_mm.registry import METRICS

from ..images import make_images

IMAGES = make_images(11, 32, 3, seed=41).float()


def _feed(metric, batch_sizes):
    start = 0
    for size in batch_sizes:
        metric.add_fakes(IMAGES[start:start + size], start)
        start += size


def test_built_from_the_openmmlab_config():
    metric = METRICS.build(dict(type='MS_SSIM', fake_nums=10000, prefix='ms-ssim', sample_model='orig'))
    assert isinstance(metric, MultiScaleStructureSimilarity)
    assert (metric.num_fakes, metric.num_reals, metric.sample_model) == (10000, 0, 'orig')
    assert MS_SSIM_AVG_KEY == 'avg'


@pytest.mark.parametrize('batch_sizes', [[10], [1] * 10, [3, 3, 4], [5, 2, 3], [7, 4]])
def test_pairs_consecutive_images_for_any_batching(batch_sizes):
    metric = MultiScaleStructureSimilarity(fake_nums=10)
    metric.resolve(None)
    _feed(metric, batch_sizes)
    expected = ms_ssim(IMAGES[0:10:2], IMAGES[1:10:2]).double().mean()
    result = metric.evaluate()
    assert list(result) == ['ms-ssim/avg']
    assert result['ms-ssim/avg'] == pytest.approx(float(expected), rel=1e-12)


def test_extra_images_are_ignored_and_odd_counts_drop_the_last():
    metric = MultiScaleStructureSimilarity(fake_nums=5, prefix='custom')
    metric.resolve(None)
    _feed(metric, [11])  # 11 fed, 5 wanted: pairs (0, 1), (2, 3); image 4 has no partner
    expected = ms_ssim(IMAGES[0:4:2], IMAGES[1:4:2]).double().mean()
    assert metric.evaluate() == {'custom/avg': pytest.approx(float(expected))}


def test_whole_dataset_and_reuse():
    metric = MultiScaleStructureSimilarity(fake_nums=-1)
    with pytest.raises(RuntimeError, match='resolve'):
        _ = metric.num_fakes
    metric.resolve(4)
    assert metric.num_fakes == 4
    _feed(metric, [4])
    first = metric.evaluate()
    metric.resolve(4)  # a second evaluation starts clean
    _feed(metric, [2, 2])
    assert metric.evaluate() == first


def test_missing_pairs_fail_loudly():
    metric = MultiScaleStructureSimilarity(fake_nums=10)
    metric.resolve(None)
    _feed(metric, [4])
    with pytest.raises(RuntimeError, match='gathered 2 items, expected 5'):
        metric.evaluate()
    metric.resolve(None)
    with pytest.raises(ValueError, match='odd index 3'):
        metric.add_fakes(IMAGES[3:5], 3)


def test_process_entry_point_takes_a_list_of_images():
    metric = MultiScaleStructureSimilarity(fake_nums=4)
    metric.resolve(None)
    metric.process({}, list(IMAGES[:2]))
    metric.process(None, IMAGES[2:4])
    expected = ms_ssim(IMAGES[0:4:2], IMAGES[1:4:2]).double().mean()
    assert metric.evaluate()['ms-ssim/avg'] == pytest.approx(float(expected))


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match='sample_model'):
        MultiScaleStructureSimilarity(sample_model='best')
    with pytest.raises(ValueError, match='fake_nums'):
        MultiScaleStructureSimilarity(fake_nums=-2)


def test_scores_are_kept_not_images():
    metric = MultiScaleStructureSimilarity(fake_nums=10)
    metric.resolve(None)
    _feed(metric, [10])
    scores = torch.cat([part for _, part in metric.fake_store.parts()])
    assert scores.shape == (5,) and scores.dtype == torch.float64
