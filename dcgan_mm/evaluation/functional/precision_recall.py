"""Improved precision and recall (Kynkäänniemi et al. 2019): k-NN balls around each set's features."""
import torch
from torch import Tensor

PRECISION_KEY = 'precision'
RECALL_KEY = 'recall'


def pairwise_distances(x: Tensor, y: Tensor) -> Tensor:
    """Euclidean distances (float64) between the rows of ``x`` and of ``y``."""
    x, y = x.double(), y.double()
    squared = (x * x).sum(1, keepdim=True) - 2 * x @ y.T + (y * y).sum(1)
    return squared.clamp_(min=0).sqrt_()


def knn_radii(features: Tensor, k: int = 3, batch_size: int = 1024) -> Tensor:
    """Distance of each feature to its k-th nearest neighbour in the same set (itself excluded)."""
    radii = [pairwise_distances(features[start:start + batch_size], features).kthvalue(k + 1, dim=1).values
             for start in range(0, features.shape[0], batch_size)]
    return torch.cat(radii)


def coverage(manifold: Tensor, radii: Tensor, probes: Tensor, batch_size: int = 1024) -> float:
    """Fraction of ``probes`` inside at least one ball (centre ``manifold[i]``, radius ``radii[i]``)."""
    inside = [(pairwise_distances(probes[start:start + batch_size], manifold) <= radii).any(dim=1)
              for start in range(0, probes.shape[0], batch_size)]
    return float(torch.cat(inside).double().mean())


def precision_recall(real_features: Tensor, fake_features: Tensor, k: int = 3,
                     batch_size: int = 1024) -> dict[str, float]:
    """Precision: fakes on the real manifold; recall: reals on the fake manifold (k-NN radii, k=3)."""
    real, fake = torch.as_tensor(real_features).detach(), torch.as_tensor(fake_features).detach()
    if min(real.shape[0], fake.shape[0]) <= k:
        raise ValueError(f'Precision/recall with k={k} needs more than {k} features per set, '
                         f'got {real.shape[0]} real and {fake.shape[0]} fake.')
    precision = coverage(real, knn_radii(real, k, batch_size), fake, batch_size)
    recall = coverage(fake, knn_radii(fake, k, batch_size), real, batch_size)
    return {PRECISION_KEY: precision, RECALL_KEY: recall}
