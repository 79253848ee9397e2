import numpy as np
import pytest
import torch

from dcgan_mm.evaluation.functional import PRECISION_KEY, RECALL_KEY, knn_radii, precision_recall


def _reference(real, fake, k=3):
    """Kynkäänniemi et al.'s definition written with loops."""
    def radii(points):
        return [sorted(np.linalg.norm(points - p, axis=1))[k] for p in points]  # [0] is the point itself

    def inside(manifold, r, probe):
        return any(np.linalg.norm(probe - c) <= rc for c, rc in zip(manifold, r))
    real_r, fake_r = radii(real), radii(fake)
    precision = np.mean([inside(real, real_r, f) for f in fake])
    recall = np.mean([inside(fake, fake_r, r) for r in real])
    return precision, recall


@pytest.mark.parametrize('shift', [0.0, 0.7, 3.0])
def test_equals_the_loop_reference(shift):
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(40, 5)), rng.normal(shift, 0.5, size=(35, 5))
    result = precision_recall(torch.from_numpy(real), torch.from_numpy(fake), batch_size=16)
    precision, recall = _reference(real, fake)
    assert (result[PRECISION_KEY], result[RECALL_KEY]) == pytest.approx((precision, recall), abs=1e-12)


def test_radii_exclude_the_point_itself():
    points = torch.tensor([[0.0], [1.0], [3.0], [6.0], [10.0]])
    assert knn_radii(points, k=1).tolist() == [1.0, 1.0, 2.0, 3.0, 4.0]


def test_identical_sets_have_full_precision_and_recall_and_tiny_sets_are_refused():
    features = torch.randn(20, 4, generator=torch.Generator().manual_seed(1))
    assert precision_recall(features, features) == {PRECISION_KEY: 1.0, RECALL_KEY: 1.0}
    with pytest.raises(ValueError, match='more than 3'):
        precision_recall(features[:3], features)
