import numpy as np
import pytest
import scipy.linalg
import torch

from dcgan_mm.evaluation.functional import COV_KEY, FID_KEY, MEAN_KEY, feature_statistics, fid, frechet_distance


def _reference_fid(real, fake):
    """The textbook formula with scipy's sqrtm and the usual imaginary-part check."""
    mu1, mu2 = real.mean(0), fake.mean(0)
    s1, s2 = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    root = scipy.linalg.sqrtm(s1 @ s2)
    assert np.abs(root.imag).max() < 1e-6
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * root.real))


def _features(seed, n=200, d=16, shift=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.normal(shift, scale, size=(n, d)) @ rng.normal(size=(d, d)) / 4


def test_statistics_are_float64_mean_and_unbiased_covariance():
    features = torch.from_numpy(_features(0)).float()
    mean, cov = feature_statistics(features)
    assert mean.dtype == cov.dtype == np.float64
    np.testing.assert_allclose(mean, features.double().mean(0).numpy(), rtol=1e-12)
    np.testing.assert_allclose(cov, np.cov(features.double().numpy(), rowvar=False), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize('shift, scale', [(0.0, 1.0), (0.5, 1.0), (0.0, 2.0), (-1.0, 0.3)])
def test_equals_the_scipy_reference(shift, scale):
    real, fake = _features(1), _features(2, shift=shift, scale=scale)
    result = fid(real, fake)
    assert result[FID_KEY] == pytest.approx(_reference_fid(real, fake), rel=1e-9)
    assert result[FID_KEY] == pytest.approx(result[MEAN_KEY] + result[COV_KEY], rel=1e-12)


def test_closed_form_of_diagonal_gaussians():
    # |m1 - m2|^2 + sum (sqrt(v1) - sqrt(v2))^2 for diagonal covariances.
    mean1, mean2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    var1, var2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 9.0])
    result = frechet_distance(mean1, np.diag(var1), mean2, np.diag(var2))
    assert result[FID_KEY] == pytest.approx(5.0 + 2.0, rel=1e-12)


def test_identical_sets_score_zero_and_rank_deficient_covariances_stay_real():
    few = _features(3, n=5, d=64)  # rank 4 covariance: scipy's sqrtm is ill-conditioned here
    # Rounding leaves eigenvalues ~1e-16 of the trace, whose square roots add up: 1e-6 relative.
    assert abs(fid(few, few)[FID_KEY]) < 1e-6 * np.trace(np.cov(few, rowvar=False))
    assert np.isfinite(fid(few, _features(4, n=5, d=64))[FID_KEY])


def test_rejects_too_few_features_and_mismatched_dimensions():
    with pytest.raises(ValueError, match='N >= 2'):
        feature_statistics(np.zeros((1, 4)))
    with pytest.raises(ValueError, match='different dimensions'):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))
