"""scikit-learn conventions: check_estimator on every estimator (declared exceptions xfail), pipelines, CV."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score, GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

import twolayer


def _fixed_representation():
    """A pretrained layer of 5 inputs: the fixed-width representation DownstreamClassifier adapts."""
    X, y, task, _ = twolayer.make_multitask(n_per_task=100, d=5, r=2, tasks=4, seed=1)
    return twolayer.MultiTaskPretraining(width=8, rounds=5, n1=32, n2=32).fit(X, y, task).representation_


@pytest.mark.filterwarnings("ignore::twolayer.RecoveryWarning")  # the checks fit random data on purpose
@parametrize_with_checks([
    twolayer.MomentRecovery(k=1),
    twolayer.TwoLayerRegressor(k=2, iterations=50),
    twolayer.MultiTaskPretraining(width=8, rounds=5, n1=16, n2=16),
    twolayer.DownstreamClassifier("random-features", width=16, folds=3),
    twolayer.DownstreamClassifier(_fixed_representation(), folds=3),
])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_declared_exceptions_name_a_reason_for_each_check():
    for estimator in (twolayer.MomentRecovery(), twolayer.DownstreamClassifier(_fixed_representation())):
        xfails = estimator._more_tags()["_xfail_checks"]
        assert xfails and all(name.startswith("check_") and len(why) > 20 for name, why in xfails.items())
    assert "_xfail_checks" not in twolayer.DownstreamClassifier("random-features")._more_tags()


def test_cross_val_score_of_the_method_of_moments_on_a_planted_network(planted):
    X, Y, _ = planted
    scores = cross_val_score(twolayer.MomentRecovery(k=3), X, Y, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.99)


def test_a_pipeline_of_pretrained_features_and_adapting_scores_a_new_task(multitask):
    X, y, task, truth, pre = multitask
    Xd, yd, _, _ = twolayer.make_multitask(n_per_task=400, tasks=1, subspace=truth, seed=7)
    labels = np.where(yd > 0, "yes", "no")  # any two labels
    pipe = make_pipeline(FunctionTransformer(np.asarray), twolayer.DownstreamClassifier(pre.representation_))
    scores = cross_val_score(pipe, Xd, labels, cv=3)
    # A layer pretrained on the subspace of the task: well above chance (0.5) on held-out rows.
    assert np.all(scores > 0.8)
    pipe.fit(Xd, labels)
    assert set(pipe.predict(Xd[:20])) <= {"yes", "no"}
    assert list(pipe[-1].classes_) == ["no", "yes"]


def test_grid_search_over_folds_clones_the_classifier_with_its_representation(multitask):
    X, y, task, truth, pre = multitask
    Xd, yd, _, _ = twolayer.make_multitask(n_per_task=200, tasks=1, subspace=truth, seed=8)
    search = GridSearchCV(twolayer.DownstreamClassifier(pre.representation_), {"folds": [2, 3]}, cv=2).fit(Xd, yd)
    assert search.best_params_["folds"] in (2, 3)
    assert clone(search.best_estimator_).representation == pre.representation_
