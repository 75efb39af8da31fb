"""Multi-task pretraining and adapting from NumPy arrays."""

import numpy as np
import pytest

import twolayer


def test_make_multitask_draws_what_generate_multitask_writes(cli, tmp_path):
    cli("generate", "multitask", "--d", 12, "--r", 2, "--tasks", 3, "--n-per-task", 50, "--seed", 4,
        "--out", "tasks.npz", "--truth", "truth.json")
    X, y, task, truth = twolayer.make_multitask(n_per_task=50, d=12, r=2, tasks=3, seed=4)
    with np.load(tmp_path / "tasks.npz") as z:
        assert np.array_equal(z["X"], X) and np.array_equal(z["y"], y) and np.array_equal(z["task"], task)
    assert truth.basis.shape == (12, 2) and len(truth.tasks) == 3


def test_pretraining_on_arrays_gives_the_layer_of_pretrain_on_the_file(cli, tmp_path):
    cli("generate", "multitask", "--d", 12, "--r", 2, "--tasks", 4, "--n-per-task", 100, "--seed", 4,
        "--out", "tasks.npz", "--truth", "truth.json")
    cli("pretrain", "--data", "tasks.npz", "--width", 16, "--rounds", 10, "--n1", 64, "--n2", 64, "--seed", 2,
        "--out", "layer.json")
    with np.load(tmp_path / "tasks.npz") as z:
        pre = twolayer.MultiTaskPretraining(width=16, rounds=10, n1=64, n2=64, seed=2).fit(z["X"], z["y"], z["task"])
    layer = twolayer.load(tmp_path / "layer.json")
    # The same rows and rounds; 1e-12 allows for float32 rounds summed in another order.
    np.testing.assert_allclose(pre.W_, layer.W, rtol=0, atol=1e-12)
    np.testing.assert_allclose(pre.bias_, layer.bias, rtol=0, atol=1e-12)


def test_pretraining_finds_the_subspace_better_than_its_start(multitask):
    X, y, task, truth, pre = multitask
    start = twolayer.MultiTaskPretraining(width=32, baseline="random-features", seed=2).fit(X, y, task)
    assert twolayer.subspace_distance(pre, truth) < twolayer.subspace_distance(start, truth)
    assert pre.W_.shape == (32, 20) and pre.bias_.shape == (32,)
    assert pre.provenance_["tasks"] == 8


def test_transform_gives_the_features_adapting_fits_its_last_layer_on(multitask):
    X, y, task, truth, pre = multitask
    Xd, yd, _, _ = twolayer.make_multitask(n_per_task=300, tasks=1, subspace=truth, seed=5)
    phi = pre.transform(Xd)
    assert phi.shape == (300, 32) and np.all(phi >= 0)
    clf = twolayer.DownstreamClassifier(pre, folds=3).fit(Xd, yd)
    # f(x) = A relu(W x + c) with A = bᵀ/√m and φ = relu(W x + c)/√m, so f = φ·(√m A).
    np.testing.assert_allclose(clf.decision_function(Xd), phi @ (clf.A_[0] * np.sqrt(32)), atol=1e-10)


def test_adapting_reports_its_choice_and_probabilities_that_agree_with_predict(multitask):
    X, y, task, truth, pre = multitask
    Xd, yd, _, _ = twolayer.make_multitask(n_per_task=300, tasks=1, subspace=truth, seed=6)
    clf = twolayer.DownstreamClassifier(pre.representation_, folds=4).fit(Xd, (yd > 0).astype(int))
    assert list(clf.classes_) == [0, 1]
    assert clf.lambda_ in (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)
    assert 0.5 < clf.cv_accuracy_ <= 1 and clf.diagnostics_["cv_accuracy"] == clf.cv_accuracy_
    proba = clf.predict_proba(Xd)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert np.array_equal(clf.predict(Xd), clf.classes_[(proba[:, 1] >= 0.5).astype(int)])
    assert clf.score(Xd, (yd > 0).astype(int)) > 0.8


def test_labels_of_more_than_two_classes_are_refused(multitask):
    X, y, task, truth, pre = multitask
    with pytest.raises(ValueError, match="3 classes"):
        twolayer.MultiTaskPretraining(width=8, rounds=2).fit(X, np.arange(len(y)) % 3, task)
