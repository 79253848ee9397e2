"""An L2-regularised linear classifier on fixed features (the paper's L2-SVM on discriminator features)."""
import warnings

import numpy as np

# Strong regularisation suits thousands of standardised features and few images; larger C also
# makes LinearSVC slow to converge (minutes on the digits) without better test accuracy.
DEFAULT_C = (0.0001, 0.001, 0.01)


def linear_probe(train_features: np.ndarray, train_labels: np.ndarray, test_features: np.ndarray,
                 test_labels: np.ndarray, c_values=DEFAULT_C, classifier: str = 'svm', seed: int = 0,
                 cv: int = 3) -> dict:
    """Fit standardisation + a linear classifier on the train set; score it on the test set.

    ``svm`` is scikit-learn's ``LinearSVC`` with its default squared hinge and
    L2 penalty, an L2-SVM as in the paper; ``logistic`` is L2-regularised
    logistic regression. With several ``c_values``, the regularisation is
    chosen by ``cv``-fold cross-validation on the training set only, so the
    test set never influences the model.

    Returns:
        ``{'accuracy': test accuracy in [0, 1], 'C': chosen C, 'feature_size': int}``.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    if classifier == 'svm':
        model = LinearSVC(max_iter=2000, random_state=seed)
    elif classifier == 'logistic':
        model = LogisticRegression(max_iter=2000)
    else:
        raise ValueError(f"classifier must be 'svm' or 'logistic', got {classifier!r}")
    pipeline = make_pipeline(StandardScaler(), model)
    c_values = list(c_values)
    with warnings.catch_warnings():
        # A probe that has not fully converged still ranks features fairly; the
        # warning would repeat for every fold.
        warnings.simplefilter('ignore', ConvergenceWarning)
        if len(c_values) > 1:
            search = GridSearchCV(pipeline, {f'{type(model).__name__.lower()}__C': c_values}, cv=cv)
            fitted = search.fit(train_features, train_labels).best_estimator_
        else:
            fitted = pipeline.set_params(**{f'{type(model).__name__.lower()}__C': c_values[0]})
            fitted.fit(train_features, train_labels)
    accuracy = float((fitted.predict(test_features) == test_labels).mean())
    return {'accuracy': accuracy, 'C': float(fitted[-1].C), 'feature_size': int(train_features.shape[1])}
