import numpy as np
import pytest

from dcgan_mm.apis.probe import linear_probe


def blobs(n, seed):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    return rng.normal(size=(n, 20)) + 4 * np.eye(3, 20)[labels], labels


@pytest.mark.parametrize('classifier', ['svm', 'logistic'])
def test_separable_classes_are_classified_and_c_is_chosen_on_the_train_set(classifier):
    x_train, y_train = blobs(90, 0)
    x_test, y_test = blobs(60, 1)
    result = linear_probe(x_train, y_train, x_test, y_test, c_values=(0.01, 1.0), classifier=classifier)
    assert result['accuracy'] > 0.95 and result['C'] in (0.01, 1.0) and result['feature_size'] == 20


def test_an_unknown_classifier_is_refused():
    x, y = blobs(9, 0)
    with pytest.raises(ValueError, match='svm'):
        linear_probe(x, y, x, y, classifier='tree')
