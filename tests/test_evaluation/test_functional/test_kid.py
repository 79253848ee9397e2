import numpy as np
import pytest

from dcgan_mm.evaluation.functional import KID_KEY, KID_STD_KEY, kid, mmd2_unbiased


def _reference_mmd2(x, y):
    """Unbiased MMD^2 written out pair by pair."""
    def k(a, b):
        return (a @ b / a.shape[0] + 1) ** 3
    m = len(x)
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m)) / (m * m)
    return xx + yy - 2 * xy


def test_mmd2_equals_the_pairwise_reference():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 5)), rng.normal(0.3, 1.2, size=(12, 5))
    assert mmd2_unbiased(x, y) == pytest.approx(_reference_mmd2(x, y), rel=1e-10)


def test_kid_averages_subsets_drawn_fake_then_real_from_its_seed():
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(40, 6)), rng.normal(0.5, 1.0, size=(30, 6))
    result = kid(real, fake, num_subsets=7, subset_size=10, seed=3)
    draw = np.random.default_rng(3)
    scores = []
    for _ in range(7):
        f = fake[draw.choice(30, 10, replace=False)]
        r = real[draw.choice(40, 10, replace=False)]
        scores.append(_reference_mmd2(f, r))
    assert result[KID_KEY] == pytest.approx(np.mean(scores), rel=1e-10)
    assert result[KID_STD_KEY] == pytest.approx(np.std(scores), rel=1e-8)


def test_kid_is_unbiased_near_zero_for_one_distribution_and_positive_apart():
    rng = np.random.default_rng(2)
    same = kid(rng.normal(size=(300, 8)), rng.normal(size=(300, 8)), num_subsets=20, subset_size=100)
    apart = kid(rng.normal(size=(300, 8)), rng.normal(1.0, 1.0, size=(300, 8)), num_subsets=20, subset_size=100)
    assert abs(same[KID_KEY]) < 3 * same[KID_STD_KEY]
    assert apart[KID_KEY] > 10 * apart[KID_STD_KEY] > 0


def test_subset_size_is_clamped_and_tiny_sets_are_refused():
    rng = np.random.default_rng(4)
    assert np.isfinite(kid(rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), num_subsets=2)[KID_KEY])
    with pytest.raises(ValueError, match='at least 2'):
        kid(np.zeros((1, 3)), np.zeros((5, 3)))
