"""Inception Score (Salimans et al. 2016): exp of the mean KL(p(y|x) || p(y)), over 10 splits."""
import numpy as np
from torch import Tensor

IS_KEY = 'is'
IS_STD_KEY = 'is_std'


def inception_score(probabilities: Tensor | np.ndarray, num_splits: int = 10) -> dict[str, float]:
    """Mean and std over ``num_splits`` consecutive splits of ``exp(E_x KL(p(y|x) || p(y)))``.

    Args:
        probabilities: (N, classes) softmax outputs, rows summing to 1.
        num_splits: Number of equal consecutive splits (the last ones take the remainder).
    """
    probs = np.asarray(probabilities.detach().cpu() if isinstance(probabilities, Tensor) else probabilities,
                       dtype=np.float64)
    if probs.shape[0] < num_splits:
        raise ValueError(f'The Inception Score over {num_splits} splits needs at least {num_splits} images, '
                         f'got {probs.shape[0]}.')
    scores = []
    for split in np.array_split(probs, num_splits):
        marginal = split.mean(axis=0, keepdims=True)
        kl = (split * (np.log(split + 1e-30) - np.log(marginal + 1e-30))).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return {IS_KEY: float(np.mean(scores)), IS_STD_KEY: float(np.std(scores))}
