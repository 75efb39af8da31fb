"""Model files: what Python writes the CLI reads, and back, in JSON, .npz and .onnx."""

import numpy as np
import onnx
import pytest

import twolayer


@pytest.mark.parametrize("suffix", [".json", ".npz", ".onnx"])
def test_a_recovered_network_round_trips_bit_for_bit(planted, tmp_path, suffix):
    X, Y, _ = planted
    fitted = twolayer.MomentRecovery(k=3).fit(X, Y)
    path = tmp_path / ("model" + suffix)
    twolayer.save(fitted, path)
    back = twolayer.load(path)
    assert np.array_equal(back.W, fitted.W_) and np.array_equal(back.A, fitted.A_) and back.bias is None
    assert back.provenance["algorithm"] == "moments"
    np.testing.assert_allclose(back.predict(X[:10]), fitted.predict(X[:10]), rtol=0, atol=0)


@pytest.mark.parametrize("suffix", [".json", ".npz", ".onnx"])
def test_a_representation_and_its_adapted_classifier_round_trip(multitask, tmp_path, suffix):
    X, y, task, truth, pre = multitask
    twolayer.save(pre, tmp_path / ("layer" + suffix))
    layer = twolayer.load(tmp_path / ("layer" + suffix))
    assert layer.l == 0 and np.array_equal(layer.W, pre.W_) and np.array_equal(layer.bias, pre.bias_)
    clf = twolayer.DownstreamClassifier(tmp_path / ("layer" + suffix), folds=3).fit(X[task == 0], y[task == 0])
    twolayer.save(clf, tmp_path / ("adapted" + suffix))
    adapted = twolayer.load(tmp_path / ("adapted" + suffix))
    assert np.array_equal(adapted.A, clf.A_) and np.array_equal(adapted.bias, clf.bias_)
    assert adapted.provenance["algorithm"] == "adapt"


def test_the_onnx_file_is_a_valid_onnx_model_of_float64_gemm_relu_gemm(planted, tmp_path):
    X, Y, _ = planted
    twolayer.save(twolayer.MomentRecovery(k=3).fit(X, Y), tmp_path / "model.onnx")
    model = onnx.load(str(tmp_path / "model.onnx"))
    onnx.checker.check_model(model)
    assert [node.op_type for node in model.graph.node] == ["Gemm", "Relu", "Gemm"]
    assert {t.data_type for t in model.graph.initializer} == {onnx.TensorProto.DOUBLE}


def test_the_cli_scores_a_model_python_wrote_as_python_does(planted, cli, tmp_path):
    X, Y, truth = planted
    fitted = twolayer.MomentRecovery(k=3).fit(X, Y)
    twolayer.save(fitted, tmp_path / "model.npz")
    twolayer.save(truth, tmp_path / "truth.json")
    assert cli("evaluate", "--model", "model.npz", "--truth", "truth.json")["w_error"] == \
        twolayer.recovery_error(truth, fitted).w_error


def test_a_model_from_arrays_saves_and_loads(tmp_path):
    W = np.arange(6.0).reshape(2, 3) - 2
    model = twolayer.Model(W, np.ones((1, 2)), provenance={"note": "hand-made"})
    twolayer.save(model, tmp_path / "hand.json")
    back = twolayer.load(tmp_path / "hand.json")
    assert back == model and back.provenance["note"] == "hand-made"


def test_relative_paths_are_relative_to_pythons_working_directory(tmp_path, monkeypatch, planted):
    X, Y, truth = planted
    twolayer.save(truth, tmp_path / "warm-up.json")  # the JVM has started elsewhere
    monkeypatch.chdir(tmp_path)
    twolayer.save(truth, "relative.npz")
    assert (tmp_path / "relative.npz").exists() and twolayer.load("relative.npz") == truth
