import logging
import sys

import pytest
import torch

import dcgan_mm.evaluation  # noqa: F401 (registers the metrics)
from dcgan_mm.evaluation.functional import swd
from dcgan_mm.evaluation.metrics import SWD_AVG_KEY, SlicedWassersteinDistance, level_key
from dcgan_mm.registry import METRICS
from tests.test_evaluation.images import make_images

REALS = make_images(12, 32, 3, seed=51)
FAKES = make_images(12, 32, 3, seed=52, kind='stripes').float() + 0.25  # not integral: kept as float32


def _filled(metric, fake_batches=(5, 7), real_batches=(4, 8)):
    metric.resolve(None)
    for images, sizes, add in ((FAKES, fake_batches, metric.add_fakes), (REALS, real_batches, metric.add_reals)):
        start = 0
        for size in sizes:
            add(images[start:start + size], start)
            start += size
    return metric


def test_built_from_the_openmmlab_config():
    metric = METRICS.build(dict(type='SWD', fake_nums=16384, image_shape=(3, 64, 64), prefix='swd',
                                sample_model='orig'))
    assert isinstance(metric, SlicedWassersteinDistance)
    assert metric.num_fakes == metric.num_reals == 16384
    assert metric.resolutions == [64, 32, 16]


def test_64px_results_carry_the_model_zoo_keys():
    metric = SlicedWassersteinDistance(fake_nums=4, image_shape=(3, 64, 64), prefix='swd')
    metric.resolve(None)
    metric.add_fakes(make_images(4, 64, 3, seed=1).float(), 0)
    metric.add_reals(make_images(4, 64, 3, seed=2), 0)
    result = metric.evaluate()
    assert list(result) == ['swd/64', 'swd/32', 'swd/16', 'swd/avg']
    levels = [result[f'swd/{level_key(size)}'] for size in (64, 32, 16)]
    assert result[f'swd/{SWD_AVG_KEY}'] == pytest.approx(sum(levels) / 3)


def test_equals_the_functional_and_names_keys_by_resolution():
    metric = _filled(SlicedWassersteinDistance(fake_nums=12, image_shape=(3, 32, 32)))
    result = metric.evaluate()
    expected = swd(REALS, FAKES)
    assert list(result) == ['swd/32', 'swd/16', 'swd/avg']
    assert result == {f'swd/{key}': value for key, value in expected.items()}


def test_batching_does_not_matter():
    a = _filled(SlicedWassersteinDistance(fake_nums=12, image_shape=(3, 32, 32)), (12,), (12,)).evaluate()
    b = _filled(SlicedWassersteinDistance(fake_nums=12, image_shape=(3, 32, 32)), (1, 2, 9), (6, 6)).evaluate()
    assert a == b


def test_storage_is_compact():
    metric = _filled(SlicedWassersteinDistance(fake_nums=12, image_shape=(3, 32, 32)))
    # One preallocated block per stream (sized to the 12 images), not one tensor per batch.
    assert [(index, part.dtype, part.shape[0]) for index, part in metric.real_store.parts()] == [(0, torch.uint8, 12)]
    assert [(index, part.dtype, part.shape[0]) for index, part in metric.fake_store.parts()] == [(0, torch.float32, 12)]


def test_small_dataset_shrinks_both_sets_with_a_warning(monkeypatch):
    warnings = []
    for module in ('dcgan_mm.evaluation.metrics.base', 'dcgan_mm.evaluation.metrics.swd'):
        monkeypatch.setattr(sys.modules[module], 'print_log',
                            lambda msg, logger=None, level=logging.INFO: warnings.append((level, msg)))
    metric = SlicedWassersteinDistance(fake_nums=100, image_shape=(3, 32, 32))
    metric.resolve(12)
    assert metric.num_fakes == metric.num_reals == 12
    assert {level for level, _ in warnings} == {logging.WARNING}
    assert 'only 12' in warnings[0][1] and '12 generated' in warnings[1][1]
    whole = SlicedWassersteinDistance(fake_nums=-1, image_shape=(3, 32, 32))
    whole.resolve(12)
    assert whole.num_fakes == whole.num_reals == 12


def test_grayscale_config_and_pggan_option():
    gray = SlicedWassersteinDistance(fake_nums=12, image_shape=(1, 32, 32), pyramid='pggan', prefix='swd_pggan')
    gray.resolve(None)
    gray.add_fakes(FAKES[:, :1], 0)
    gray.add_reals(REALS[:, :1], 0)
    assert gray.evaluate() == {f'swd_pggan/{k}': v for k, v in swd(REALS[:, :1], FAKES[:, :1], pyramid='pggan').items()}


def test_rejects_wrong_shapes_and_arguments():
    metric = SlicedWassersteinDistance(fake_nums=12, image_shape=(3, 64, 64))
    metric.resolve(None)
    with pytest.raises(ValueError, match='image_shape'):
        metric.add_fakes(FAKES, 0)
    with pytest.raises(ValueError, match='image_shape'):
        SlicedWassersteinDistance(image_shape=(2, 64, 64))
    with pytest.raises(ValueError, match='16x16'):
        SlicedWassersteinDistance(image_shape=(3, 8, 8))
    with pytest.raises(ValueError, match='Unknown pyramid'):
        SlicedWassersteinDistance(pyramid='cv2')
