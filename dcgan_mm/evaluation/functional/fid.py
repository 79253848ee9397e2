"""Fréchet Inception distance: features -> (mean, covariance) in float64 -> Fréchet distance."""
import numpy as np
from torch import Tensor

FID_KEY = 'fid'
MEAN_KEY = 'mean'  # the squared distance of the means
COV_KEY = 'cov'  # the covariance term: FID = mean + cov


def feature_statistics(features: Tensor | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance (``ddof=1``, as ``np.cov``) of (N, D) features, in float64."""
    features = np.asarray(features.detach().cpu() if isinstance(features, Tensor) else features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] < 2:
        raise ValueError(f'Statistics need (N >= 2, D) features, got shape {features.shape}.')
    mean = features.mean(axis=0)
    centred = features - mean
    return mean, centred.T @ centred / (features.shape[0] - 1)


def sqrtm_trace(sigma1: np.ndarray, sigma2: np.ndarray) -> float:
    """``trace(sqrtm(sigma1 @ sigma2))`` of two covariances, stably.

    ``sigma1 @ sigma2`` is similar to the symmetric ``S = s1 @ sigma2 @ s1`` with
    ``s1 = sqrtm(sigma1)`` (positive semi-definite), so the trace is the sum of the
    square roots of S's eigenvalues: two symmetric eigen-decompositions, no complex
    numbers, no singular-matrix retries (tiny negative eigenvalues from rounding clip to 0).
    """
    values, vectors = np.linalg.eigh(sigma1)
    root1 = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    product = root1 @ sigma2 @ root1
    eigenvalues = np.linalg.eigvalsh((product + product.T) / 2)
    return float(np.sqrt(np.clip(eigenvalues, 0, None)).sum())


def frechet_distance(mean1: np.ndarray, sigma1: np.ndarray, mean2: np.ndarray, sigma2: np.ndarray) -> dict[str, float]:
    """Fréchet distance of two Gaussians: ``|m1 - m2|^2 + tr(s1 + s2 - 2 sqrtm(s1 s2))`` and its two terms."""
    mean1, mean2, sigma1, sigma2 = (np.asarray(a, dtype=np.float64) for a in (mean1, mean2, sigma1, sigma2))
    if mean1.shape != mean2.shape or sigma1.shape != sigma2.shape:
        raise ValueError(f'Statistics of different dimensions: {mean1.shape} vs {mean2.shape}.')
    mean_term = float(np.square(mean1 - mean2).sum())
    cov_term = float(np.trace(sigma1) + np.trace(sigma2) - 2 * sqrtm_trace(sigma1, sigma2))
    return {FID_KEY: mean_term + cov_term, MEAN_KEY: mean_term, COV_KEY: cov_term}


def fid(real_features: Tensor | np.ndarray, fake_features: Tensor | np.ndarray) -> dict[str, float]:
    """FID of two feature sets (N, D); see :func:`frechet_distance` for the keys."""
    return frechet_distance(*feature_statistics(real_features), *feature_statistics(fake_features))
