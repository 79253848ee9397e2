import random

import numpy as np
import pytest
import torch

from dcgan_mm.evaluation.functional import (
    channel_stats,
    normalize_descriptors,
    patch_centres,
    random_directions,
    sliced_wasserstein,
    swd,
    swd_descriptors,
)
from tests.test_evaluation.images import make_images
from tests.test_evaluation.reference import REFERENCE, images_for, reference_directions

REAL = make_images(32, 64, 3, 31, 'blobs')
FAKE = make_images(32, 64, 3, 32, 'stripes')
# Our own outputs, frozen: any change to the pyramid, the patch hash or the directions shows here.
FROZEN = {
    'default': {'64': 104.40177898603022, '32': 152.02711702166843, '16': 342.0355054750221,
                'avg': 199.4881338275736},
    'seed5': {'64': 105.69663551768605, '32': 152.05835038308877, '16': 342.58758291113344,
              'avg': 200.1141896039694},
    'pggan': {'64': 79.47073347384037, '32': 145.90019018558837, '16': 337.8411312179889,
              'avg': 187.73735162580587},
    'gray32': {'32': 168.51767878797415, '16': 189.0012105508739, 'avg': 178.75944466942403},
}


def _assert_results(got, expected, rel=1e-5):
    assert list(got) == list(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=rel), key


# ---------------------------------------------------------------- OpenMMLab agreement
@pytest.mark.parametrize('entry', REFERENCE['sliced_wasserstein'], ids=lambda e: str(e['resolution']))
def test_descriptor_statistics_and_distance_match_openmmlab(entry):
    """Same patches (ours, injected into mmagic) and same directions: the same numbers."""
    inputs = REFERENCE['sliced_wasserstein_inputs']
    real = swd_descriptors(images_for(inputs['real']), seed=entry['patch_seed'], levels=[entry['level']])[0]
    fake = swd_descriptors(images_for(inputs['fake']), seed=entry['patch_seed'], levels=[entry['level']])[0]
    for name, desc in (('real', real), ('fake', fake)):
        mean, std, count = channel_stats([desc])
        assert count == 8 * 128
        torch.testing.assert_close(mean, torch.tensor(entry[f'{name}_mean'], dtype=torch.float64), atol=1e-6, rtol=0)
        torch.testing.assert_close(std, torch.tensor(entry[f'{name}_std'], dtype=torch.float64), atol=0, rtol=1e-5)
    mean, std, _ = channel_stats([real])
    torch.testing.assert_close(normalize_descriptors(real, mean, std)[0, :10], torch.tensor(entry['first_normalised']),
                               atol=1e-5, rtol=0)
    distance = sliced_wasserstein(real, fake, reference_directions(entry['direction_seed']))
    # Measured: 4e-8 relative; the slack is for other CPUs' GEMM summation order.
    assert distance == pytest.approx(entry['distance'], rel=1e-5)


# ---------------------------------------------------------------- properties
def test_frozen_outputs():
    _assert_results(swd(REAL, FAKE), FROZEN['default'])
    _assert_results(swd(REAL, FAKE, seed=5), FROZEN['seed5'])
    _assert_results(swd(REAL, FAKE, pyramid='pggan'), FROZEN['pggan'])
    _assert_results(swd(make_images(32, 32, 1, 33, 'blobs'), make_images(32, 32, 1, 34, 'noise')), FROZEN['gray32'])


def test_a_set_against_itself_is_zero():
    assert swd(REAL, REAL) == {'64': 0.0, '32': 0.0, '16': 0.0, 'avg': 0.0}


def test_real_looking_sets_are_closer_than_noise():
    other = make_images(32, 64, 3, 35, 'blobs')
    noise = make_images(32, 64, 3, 36, 'noise')
    close, far = swd(REAL, other), swd(REAL, noise)
    # 32 images leave a sampling floor of ~40 between two draws of the same distribution.
    assert far['avg'] > 2 * close['avg'] and far['avg'] > 80
    assert far['64'] > 3 * close['64']


def test_seed_determinism():
    assert swd(REAL, FAKE, seed=3) == swd(REAL, FAKE, seed=3)
    assert swd(REAL, FAKE, seed=3) != swd(REAL, FAKE, seed=4)


def test_batching_and_memory_budget_do_not_change_the_result():
    whole = swd(REAL, FAKE)
    batched = swd(list(REAL.split(5)), list(FAKE.split(11)))
    assert batched == whole
    # A budget too small to keep descriptors (4.8 MB per level): recomputed for each of 4 direction blocks.
    streamed = swd(list(REAL.split(16)), FAKE, buffer_bytes=4_500_000)
    _assert_results(streamed, whole, rel=1e-9)


def test_dtype_and_grayscale_handling():
    assert swd(REAL, FAKE) == swd(REAL.float(), FAKE.double())
    gray_real, gray_fake = REAL[:, :1], FAKE[:, :1]
    assert swd(gray_real, gray_fake) == swd(gray_real.repeat(1, 3, 1, 1), gray_fake.repeat(1, 3, 1, 1))


def test_keys_follow_the_resolution():
    small = swd(make_images(8, 32, 3, 37), make_images(8, 32, 3, 38))
    assert list(small) == ['32', '16', 'avg']
    assert small['avg'] == pytest.approx((small['32'] + small['16']) / 2)


def test_global_rng_untouched():
    states = torch.get_rng_state(), np.random.get_state()[1].copy(), random.getstate()
    swd(REAL[:8], FAKE[:8])
    assert torch.equal(torch.get_rng_state(), states[0])
    assert np.array_equal(np.random.get_state()[1], states[1])
    assert random.getstate() == states[2]


def test_rejects_bad_inputs():
    with pytest.raises(ValueError, match='equal sets'):
        swd(REAL, FAKE[:31])
    with pytest.raises(ValueError, match='at least 16x16'):
        swd(torch.zeros(2, 3, 8, 8), torch.zeros(2, 3, 8, 8))
    with pytest.raises(ValueError, match='1 or 3 channels'):
        swd(torch.zeros(2, 4, 16, 16), torch.zeros(2, 4, 16, 16))
    with pytest.raises(ValueError, match='Unknown pyramid'):
        swd(REAL, FAKE, pyramid='cv2')


# ---------------------------------------------------------------- pieces
def test_patch_centres_are_frozen_in_range_and_batch_independent():
    assert patch_centres(0, 0, 0, 2, 3, 64, 64, 7).tolist() == [[3, 30], [54, 46], [28, 24], [4, 28], [59, 58],
                                                                [9, 14]]
    assert patch_centres(7, 2, 1000, 1, 4, 16, 16, 7).tolist() == [[12, 4], [9, 6], [10, 10], [9, 5]]
    many = patch_centres(0, 1, 0, 100, 128, 32, 32, 7)
    assert many.min() == 3 and many.max() == 32 - 4  # [3, S - 3), both ends reached
    assert np.array_equal(many[40 * 128:], patch_centres(0, 1, 40, 60, 128, 32, 32, 7))
    assert not np.array_equal(many, patch_centres(1, 1, 0, 100, 128, 32, 32, 7))


def test_descriptors_of_a_batch_split_equal_the_whole():
    whole = swd_descriptors(REAL[:6])
    parts = [swd_descriptors(REAL[:4]), swd_descriptors(REAL[4:6], first_index=4)]
    for level, desc in enumerate(whole):
        assert desc.shape == (6 * 128, 3, 7, 7)
        assert torch.equal(desc, torch.cat([parts[0][level], parts[1][level]]))


def test_random_directions_are_unit_and_frozen():
    dirs = random_directions(147, 4, 128, seed=0, level=0)
    assert dirs.shape == (147, 512) and dirs.dtype == torch.float32
    torch.testing.assert_close(dirs.norm(dim=0), torch.ones(512), atol=1e-5, rtol=0)
    torch.testing.assert_close(random_directions(147, 1, 4)[0],
                               torch.tensor([0.059517066925764084, 0.01661047339439392, -0.04603070393204689,
                                             -0.03218265622854233]))
    assert not torch.equal(dirs, random_directions(147, 4, 128, seed=0, level=1))


def test_channel_stats_do_not_depend_on_chunking():
    desc = swd_descriptors(REAL[:8])[0]
    mean, std, count = channel_stats([desc])
    chunked = channel_stats(list(desc.split(100)))
    torch.testing.assert_close(chunked[0], mean, atol=1e-12, rtol=0)
    torch.testing.assert_close(chunked[1], std, atol=1e-12, rtol=0)
    torch.testing.assert_close(std, desc.double().std(dim=(0, 2, 3)))
    assert count == chunked[2] == 8 * 128
    biased = channel_stats([desc], unbiased=False)[1]
    torch.testing.assert_close(biased, desc.double().std(dim=(0, 2, 3), correction=0))


def test_sliced_wasserstein_accepts_sources_and_checks_counts():
    a, b = swd_descriptors(REAL[:4])[1], swd_descriptors(FAKE[:4])[1]
    dirs = random_directions(147, 2, 16)
    direct = sliced_wasserstein(a, b, dirs)
    assert sliced_wasserstein(list(a.split(50)), lambda: iter(b.split(70)), dirs) == pytest.approx(direct, rel=1e-9)
    # One direction per block: float64 partial sums grouped differently.
    assert sliced_wasserstein(a, b, dirs, buffer_bytes=1) == pytest.approx(direct, rel=1e-7)
    with pytest.raises(ValueError, match='same number'):
        sliced_wasserstein(a, b[:-1], dirs)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    _assert_results(swd(REAL.cuda(), FAKE.cuda()), FROZEN['default'], rel=1e-4)
    _assert_results(swd(REAL, FAKE, device='cuda'), FROZEN['default'], rel=1e-4)
