import random
import sys

import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate, pseudo_collate
from mmengine.evaluator import Evaluator
from torch import nn
from torch.utils.data import DataLoader, Dataset

import dcgan_mm.evaluation  # noqa: F401 (registers the loop and the metrics)
import dcgan_mm.utils.model
from dcgan_mm.evaluation.functional import ms_ssim, swd
from dcgan_mm.evaluation.loops import GenerativeEvalLoop, batch_images, rank_range, real_subset
from dcgan_mm.evaluation.metrics import MultiScaleStructureSimilarity, SlicedWassersteinDistance
from dcgan_mm.evaluation.metrics.base import ordered_parts

from .images import make_images

SIZE = 16
IMAGES = make_images(40, SIZE, 3, seed=61)
LOOPS_MODULE = sys.modules['dcgan_mm.evaluation.loops']


class TinyGenerator(nn.Module):
    """The interface the loop relies on: noise_size, eval/train, generate(noise, sample_model)."""

    noise_size = 8

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(self.noise_size, 3 * SIZE * SIZE)
        with torch.no_grad():  # fixed weights: every instance is the same model
            self.fc.weight.copy_(torch.randn(self.fc.weight.shape, generator=torch.Generator().manual_seed(0)))
            self.fc.bias.zero_()

    def generate(self, noise, sample_model='orig'):
        assert sample_model == 'orig'
        return (torch.tanh(self.fc(noise)).view(-1, 3, SIZE, SIZE) + 1) * 127.5


class ImageDataset(Dataset):
    """Real images as PackGANInputs yields them; optionally a random 'augmentation' on the global RNGs."""

    def __init__(self, augment=False):
        self.augment = augment

    def __len__(self):
        return len(IMAGES)

    def __getitem__(self, index):
        if self.augment:
            np.random.rand()
            torch.rand(1)
            random.random()
        return {'inputs': IMAGES[index]}


class FakeRunner:
    def __init__(self, model):
        self.model = model
        self.hooks = []

    def call_hook(self, name, **kwargs):
        self.hooks.append((name, kwargs))


def _metrics(ms_fakes=10, swd_fakes=12):
    return [MultiScaleStructureSimilarity(fake_nums=ms_fakes),
            SlicedWassersteinDistance(fake_nums=swd_fakes, image_shape=(3, SIZE, SIZE))]


def _loop(batch_size=4, collate=default_collate, metrics=None, model=None, **kwargs):
    runner = FakeRunner(model or TinyGenerator())
    loader = DataLoader(ImageDataset(kwargs.pop('augment', False)), batch_size=batch_size, collate_fn=collate)
    return GenerativeEvalLoop(runner, loader, Evaluator(metrics or _metrics()), **kwargs), runner


def _expected(seed=2022, ms_fakes=10, swd_fakes=12):
    model = TinyGenerator()
    fakes = model.generate(torch.randn(max(ms_fakes, swd_fakes), 8, generator=torch.Generator().manual_seed(seed)))
    reals = IMAGES[torch.from_numpy(real_subset(len(IMAGES), swd_fakes, seed))]
    scores = ms_ssim(fakes[0:ms_fakes:2], fakes[1:ms_fakes:2]).double().mean()
    expected = {f'swd/{key}': value for key, value in swd(reals, fakes[:swd_fakes]).items()}
    expected['ms-ssim/avg'] = float(scores)
    return expected


def _assert_metrics(got, expected):
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-5), key


# ------------------------------------------------------------------ pure helpers
def test_rank_range_splits_exactly():
    for total in range(0, 23):
        for world_size in range(1, 6):
            for multiple in (1, 2):
                shares = [rank_range(total, world_size, rank, multiple) for rank in range(world_size)]
                assert [i for share in shares for i in share] == list(range(total))
                assert all(share.start % multiple == 0 for share in shares if len(share))
                sizes = [len(share) for share in shares]
                assert max(sizes) - min(sizes) <= multiple


def test_real_subset_is_seeded_distinct_and_random():
    subset = real_subset(1000, 50, seed=3)
    assert np.array_equal(subset, real_subset(1000, 50, seed=3))
    assert len(set(subset.tolist())) == 50 and subset.min() >= 0 and subset.max() < 1000
    assert not np.array_equal(np.sort(subset), np.arange(50))
    # The first k of a larger draw are a random subset too, not the k smallest indices.
    assert not np.array_equal(np.sort(subset[:10]), np.sort(subset)[:10])
    assert not np.array_equal(subset, real_subset(1000, 50, seed=4))


def test_batch_images_accepts_both_collates():
    samples = [{'inputs': IMAGES[i]} for i in range(3)]
    assert torch.equal(batch_images(default_collate(samples)), IMAGES[:3])
    assert torch.equal(batch_images(pseudo_collate(samples)), IMAGES[:3])
    with pytest.raises(TypeError, match='inputs'):
        batch_images({'inputs': 'nope'})


# ------------------------------------------------------------------ the loop
def test_val_run_calls_the_hooks_and_returns_the_metrics():
    loop, runner = _loop()
    metrics = loop.run()
    _assert_metrics(metrics, _expected())
    assert [name for name, _ in runner.hooks] == ['before_val', 'before_val_epoch', 'after_val_epoch', 'after_val']
    assert runner.hooks[2][1] == {'metrics': metrics}


def test_test_mode_is_detected_from_the_runner():
    loop, runner = _loop()
    runner._test_loop = loop
    loop.run()
    assert [name for name, _ in runner.hooks] == ['before_test', 'before_test_epoch', 'after_test_epoch',
                                                  'after_test']


@pytest.mark.parametrize('batch_size,collate', [(3, default_collate), (16, pseudo_collate), (1, default_collate)])
def test_batch_size_and_collate_do_not_change_the_metrics(batch_size, collate):
    loop, _ = _loop(batch_size=batch_size, collate=collate)
    _assert_metrics(loop.run(), _expected())


def test_global_rng_and_training_mode_are_preserved():
    model = TinyGenerator().train()
    loop, _ = _loop(model=model, augment=True)
    torch.manual_seed(123)
    np.random.seed(123)
    random.seed(123)
    states = torch.get_rng_state(), np.random.get_state()[1].copy(), random.getstate()
    loop.run()
    assert torch.equal(torch.get_rng_state(), states[0])
    assert np.array_equal(np.random.get_state()[1], states[1])
    assert random.getstate() == states[2]
    assert model.training


def test_a_wrapped_model_is_unwrapped(monkeypatch):
    model = TinyGenerator()
    wrapper = nn.Module()
    wrapper.module = model
    monkeypatch.setattr(dcgan_mm.utils.model, 'is_model_wrapper', lambda m: m is wrapper)
    loop, runner = _loop(model=model)
    runner.model = wrapper
    _assert_metrics(loop.run(), _expected())


def test_more_reals_than_the_dataset_uses_all_with_a_warning(monkeypatch):
    warnings = []
    monkeypatch.setattr(sys.modules['dcgan_mm.evaluation.metrics.base'], 'print_log',
                        lambda msg, **kwargs: warnings.append(msg))
    loop, _ = _loop(metrics=_metrics(swd_fakes=100))
    metrics = loop.run()
    assert any('only 40' in message for message in warnings)
    _assert_metrics(metrics, _expected(swd_fakes=40))


def test_progress_is_logged_with_an_eta(monkeypatch):
    lines = []
    monkeypatch.setattr(LOOPS_MODULE, 'print_log', lambda msg, **kwargs: lines.append(msg))
    loop, _ = _loop(batch_size=4, log_interval=2)
    loop.run()
    # 12 fakes + 12 reals in batches of 4: 6 steps, logged at 2, 4 and 6.
    assert len(lines) == 3 and '[6/6]' in lines[-1] and 'eta' in lines[-1]


def test_two_ranks_split_the_work_exactly(monkeypatch):
    """Each simulated rank feeds its own share; the gathered parts equal the single-process run."""
    per_rank = []
    for rank in range(2):
        monkeypatch.setattr(LOOPS_MODULE, 'get_dist_info', lambda rank=rank: (rank, 2))
        metrics = _metrics(ms_fakes=10, swd_fakes=13)
        loop, _ = _loop(batch_size=3, metrics=metrics)
        loop.feed_metrics(loop.runner.model)
        per_rank.append(metrics)
    expected = _expected(ms_fakes=10, swd_fakes=13)
    ms_metric, swd_metric = per_rank[0]
    scores = ordered_parts([m[0].fake_store.parts() for m in per_rank], 5, 'ms-ssim')
    assert ms_metric.compute_metrics((scores, []))['avg'] == pytest.approx(expected['ms-ssim/avg'], rel=1e-6)
    fakes = ordered_parts([m[1].fake_store.parts() for m in per_rank], 13, 'swd fakes')
    reals = ordered_parts([m[1].real_store.parts() for m in per_rank], 13, 'swd reals')
    result = swd_metric.compute_metrics((fakes, reals))
    _assert_metrics({f'swd/{k}': v for k, v in result.items()}, {k: v for k, v in expected.items() if 'swd' in k})
    assert all(m[1].fake_store.parts() for m in per_rank)  # both ranks did work


def test_rejects_non_generative_metrics():
    from mmengine.evaluator import BaseMetric

    class Accuracy(BaseMetric):
        def process(self, data_batch, data_samples):
            pass

        def compute_metrics(self, results):
            return {}

    with pytest.raises(TypeError, match='Accuracy') as error:
        _loop(metrics=[Accuracy(prefix='acc')])
    # The message lists every registered generative metric, the Inception ones included.
    for name in ('SWD', 'MS_SSIM', 'FrechetInceptionDistance', 'KernelInceptionDistance', 'PrecisionAndRecall',
                 'InceptionScore'):
        assert name in str(error.value)


def test_runner_val_and_test_from_config(tmp_path):
    """``val_cfg``/``test_cfg = dict(type='GenerativeEvalLoop')`` in a real mmengine Runner; hooks see the metrics."""
    from mmengine.hooks import Hook
    from mmengine.runner import Runner

    class Recorder(Hook):
        def __init__(self):
            self.seen = []

        def after_val_epoch(self, runner, metrics=None):
            self.seen.append(('val', metrics))

        def after_test_epoch(self, runner, metrics=None):
            self.seen.append(('test', metrics))

    recorder = Recorder()
    loader = dict(dataset=ImageDataset(), batch_size=5, sampler=dict(type='DefaultSampler', shuffle=False),
                  collate_fn=dict(type='default_collate'))
    evaluator = dict(metrics=[dict(type='MS_SSIM', fake_nums=10, prefix='ms-ssim', sample_model='orig'),
                              dict(type='SWD', fake_nums=12, image_shape=(3, SIZE, SIZE), prefix='swd')])
    runner = Runner(model=TinyGenerator(), work_dir=str(tmp_path), default_scope='dcgan_mm',
                    val_dataloader=loader, val_cfg=dict(type='GenerativeEvalLoop'), val_evaluator=evaluator,
                    test_dataloader=loader, test_cfg=dict(type='GenerativeEvalLoop'), test_evaluator=evaluator,
                    custom_hooks=[recorder], log_level='WARNING')
    val, test = runner.val(), runner.test()
    _assert_metrics(val, _expected())
    assert test == val
    assert recorder.seen == [('val', val), ('test', test)]


def _distributed_worker(rank, world_size, init_file, work_dir, out_file):
    """One rank of test_two_gloo_processes_match_one_process (module level: spawn pickles it)."""
    import json
    import os

    import torch.distributed as dist

    os.chdir(work_dir)  # mmengine's cpu collection writes a temporary folder into the cwd
    dist.init_process_group('gloo', init_method=f'file://{init_file}', rank=rank, world_size=world_size)
    try:
        loop, _ = _loop(batch_size=3, metrics=_metrics(ms_fakes=10, swd_fakes=13))
        metrics = loop.run()
        if rank == 0:
            with open(out_file, 'w') as f:
                json.dump(metrics, f)
    finally:
        dist.destroy_process_group()


@pytest.mark.skipif(not torch.distributed.is_available() or not torch.distributed.is_gloo_available(),
                    reason='needs torch.distributed with gloo')
def test_two_gloo_processes_match_one_process(tmp_path):
    """A real 2-rank run: shares generated and gathered through mmengine equal the 1-process metrics."""
    import json

    import torch.multiprocessing as mp

    out_file = tmp_path / 'metrics.json'
    mp.spawn(_distributed_worker, args=(2, str(tmp_path / 'init'), str(tmp_path), str(out_file)), nprocs=2)
    loop, _ = _loop(batch_size=3, metrics=_metrics(ms_fakes=10, swd_fakes=13))
    assert json.loads(out_file.read_text()) == loop.run()
