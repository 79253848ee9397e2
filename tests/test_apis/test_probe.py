import numpy as np
import pytest

from dcgan_mm.apis.probe import linear_probe


def blobs(n, seed):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    return rng.normal(size=(n, 20)) + 4 * np.eye(3, 20)[labels], labels


def noisy_blobs(n, seed, dim=60):
    """Three classes told apart by 3 of ``dim`` features, with label noise: the C that generalises matters."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    features = rng.normal(size=(n, dim)) + 1.5 * np.eye(3, dim)[labels]
    flipped = rng.random(n) < 0.15
    labels[flipped] = rng.integers(0, 3, flipped.sum())
    return features, labels


@pytest.mark.parametrize('classifier', ['svm', 'logistic'])
def test_separable_classes_are_classified(classifier):
    x_train, y_train = blobs(90, 0)
    x_test, y_test = blobs(60, 1)
    result = linear_probe(x_train, y_train, x_test, y_test, c_values=(0.01, 1.0), classifier=classifier)
    assert result['accuracy'] > 0.95 and result['feature_size'] == 20


def test_c_is_the_cross_validated_best_on_the_train_set_alone():
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    x_train, y_train = noisy_blobs(120, 0)
    x_test, y_test = noisy_blobs(60, 1)
    grid = (1e-4, 1e-2, 1.0, 100.0)
    search = GridSearchCV(make_pipeline(StandardScaler(), LinearSVC(max_iter=2000, random_state=0)),
                          {'linearsvc__C': list(grid)}, cv=3).fit(x_train, y_train)
    scores = search.cv_results_['mean_test_score']
    assert scores.max() - scores.min() > 0.05  # the choice is not a tie: a wrong one would show
    chosen = linear_probe(x_train, y_train, x_test, y_test, c_values=grid)['C']
    assert chosen == search.best_params_['linearsvc__C']
    # Shuffled test labels change nothing: the test set never influences the choice.
    shuffled = np.random.default_rng(3).permutation(y_test)
    assert linear_probe(x_train, y_train, x_test, shuffled, c_values=grid)['C'] == chosen


def test_an_unknown_classifier_is_refused():
    x, y = blobs(9, 0)
    with pytest.raises(ValueError, match='svm'):
        linear_probe(x, y, x, y, classifier='tree')
