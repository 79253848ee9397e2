"""Kernel Inception distance (Bińkowski et al. 2018): unbiased MMD^2 with a cubic polynomial kernel."""
import numpy as np
from torch import Tensor

KID_KEY = 'kid'
KID_STD_KEY = 'kid_std'  # standard deviation over subsets


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(x . y / d + 1) ** 3``, the KID paper's kernel."""
    return (x @ y.T / x.shape[1] + 1) ** 3


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 of two equal-size samples: within-set kernel means without the diagonal."""
    m = x.shape[0]
    k_xx, k_yy, k_xy = polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y)
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(within - 2 * k_xy.mean())


def kid(real_features: Tensor | np.ndarray, fake_features: Tensor | np.ndarray, num_subsets: int = 100,
        subset_size: int = 1000, seed: int = 0) -> dict[str, float]:
    """Mean and std of the unbiased MMD^2 over ``num_subsets`` random subsets of each set.

    Subsets of ``min(subset_size, N_real, N_fake)`` features are drawn without
    replacement from each set, by a generator of their own (``seed``).
    """
    real, fake = (np.asarray(f.detach().cpu() if isinstance(f, Tensor) else f, dtype=np.float64)
                  for f in (real_features, fake_features))
    size = min(subset_size, real.shape[0], fake.shape[0])
    if size < 2:
        raise ValueError(f'KID needs at least 2 features on each side, got {real.shape[0]} and {fake.shape[0]}.')
    rng = np.random.default_rng(seed)
    scores = [mmd2_unbiased(fake[rng.choice(fake.shape[0], size, replace=False)],
                            real[rng.choice(real.shape[0], size, replace=False)]) for _ in range(num_subsets)]
    return {KID_KEY: float(np.mean(scores)), KID_STD_KEY: float(np.std(scores))}
