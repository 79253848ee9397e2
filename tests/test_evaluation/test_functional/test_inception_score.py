import numpy as np
import pytest
import scipy.stats
import torch

from dcgan_mm.evaluation.functional import IS_KEY, IS_STD_KEY, inception_score


def test_equals_the_entropy_reference_over_10_splits():
    logits = torch.randn(103, 20, generator=torch.Generator().manual_seed(0)) * 3
    probs = logits.double().softmax(1).numpy()
    scores = [np.exp(np.mean([scipy.stats.entropy(p, part.mean(0)) for p in part]))
              for part in np.array_split(probs, 10)]
    result = inception_score(torch.from_numpy(probs))
    assert result[IS_KEY] == pytest.approx(np.mean(scores), rel=1e-10)
    assert result[IS_STD_KEY] == pytest.approx(np.std(scores), rel=1e-8)


def test_extremes_one_class_scores_one_and_confident_uniform_classes_score_their_count():
    assert inception_score(np.full((20, 5), 0.2))[IS_KEY] == pytest.approx(1.0)
    assert inception_score(np.tile(np.eye(5), (4, 1)), num_splits=4)[IS_KEY] == pytest.approx(5.0)
    with pytest.raises(ValueError, match='at least 10'):
        inception_score(np.full((9, 5), 0.2))
