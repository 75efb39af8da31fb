"""The method of moments from NumPy arrays: the CLI's numbers, any dtype and memory order, k chosen."""

import numpy as np
import pytest

import twolayer


def test_cube_network_recovered_from_arrays_has_the_w_error_of_the_cli_on_the_file(cli, tmp_path):
    cli("generate", "planted", "--dist", "cube", "--d", 8, "--k", 3, "--l", 5, "--n", 20000, "--seed", 3,
        "--out", "data.npz", "--truth", "truth.json")
    cli("recover", "--data", "data.npz", "--k", 3, "--out", "model.json")
    cli_errors = cli("evaluate", "--model", "model.json", "--truth", "truth.json")
    with np.load(tmp_path / "data.npz") as z:
        X, Y = z["X"], z["Y"]
    truth = twolayer.load(tmp_path / "truth.json")
    fitted = twolayer.MomentRecovery(k=3).fit(X, Y)
    errors = twolayer.recovery_error(truth, fitted)
    # The same samples and the same passes; 1e-12 allows for sums taken over blocks of another size.
    assert errors.w_error == pytest.approx(cli_errors["w_error"], abs=1e-12)
    assert errors.a_error == pytest.approx(cli_errors["a_error"], abs=1e-12)
    assert errors.w_error < 0.05  # and it is a recovery: 20 000 samples give W to a few percent
    np.testing.assert_allclose(fitted.W_, twolayer.load(tmp_path / "model.json").W, rtol=0, atol=1e-12)


def test_make_planted_draws_the_samples_and_truth_that_generate_planted_writes(cli, tmp_path, planted):
    cli("generate", "planted", "--dist", "cube", "--d", 8, "--k", 3, "--l", 5, "--n", 20000, "--seed", 3,
        "--out", "data.npz", "--truth", "truth.json")
    X, Y, truth = planted
    with np.load(tmp_path / "data.npz") as z:
        assert np.array_equal(z["X"], X) and np.array_equal(z["Y"], Y)
    assert twolayer.load(tmp_path / "truth.json") == truth


def test_float32_and_fortran_order_arrays_reach_the_library_as_their_float64_values(planted):
    X, Y, _ = planted
    c_order = twolayer.MomentRecovery(k=3).fit(X, Y)
    f_order = twolayer.MomentRecovery(k=3).fit(np.asfortranarray(X), np.asfortranarray(Y))
    assert np.array_equal(c_order.W_, f_order.W_) and np.array_equal(c_order.A_, f_order.A_)
    X32 = X.astype(np.float32)
    single = twolayer.MomentRecovery(k=3).fit(X32, Y.astype(np.float32))
    widened = twolayer.MomentRecovery(k=3).fit(X32.astype(np.float64), Y.astype(np.float32).astype(np.float64))
    assert np.array_equal(single.W_, widened.W_)


def test_k_auto_finds_the_planted_units_and_reports_its_evidence(planted):
    X, Y, truth = planted
    fitted = twolayer.MomentRecovery(k="auto").fit(X, Y)
    assert fitted.k_ == 3
    assert fitted.diagnostics_["k_selected"] == 3
    assert fitted.provenance_["k_auto"] is True


def test_learned_attributes_describe_the_network_and_predict_applies_it(planted):
    X, Y, truth = planted
    fitted = twolayer.MomentRecovery(k=3, seed=5).fit(X, Y)
    assert fitted.W_.shape == (3, 8) and fitted.A_.shape == (5, 3) and fitted.n_features_in_ == 8
    np.testing.assert_allclose(np.linalg.norm(fitted.W_, axis=1), 1, atol=1e-12)  # rows reported at unit norm
    np.testing.assert_allclose(fitted.predict(X[:7]), np.maximum(X[:7] @ fitted.W_.T, 0) @ fitted.A_.T, atol=1e-12)
    assert fitted.score(X, Y) > 0.99
    assert fitted.provenance_["seed"] == 5 and fitted.provenance_["algorithm"] == "moments"
    assert "rank_snr" in fitted.diagnostics_


def test_one_output_recovers_one_unit_and_predicts_a_vector():
    X, Y, truth = twolayer.make_planted(n=20000, d=6, k=1, l=1, dist="cube", seed=4)
    fitted = twolayer.MomentRecovery(k=1).fit(X, Y[:, 0])
    assert fitted.predict(X[:5]).shape == (5,)
    assert twolayer.recovery_error(truth, fitted).w_error < 0.05


def test_spectral_fine_tune_and_random_starts_fit_the_planted_network(planted):
    X, Y, truth = planted
    spectral = twolayer.TwoLayerRegressor(k=3, init="spectral").fit(X, Y)
    random = twolayer.TwoLayerRegressor(k=3, restarts=2, seed=2).fit(X, Y)
    # Noiseless samples: squared loss is minimized by the truth itself, which both reach to 1e-6.
    assert twolayer.recovery_error(truth, spectral).w_error < 1e-6
    assert twolayer.recovery_error(truth, random).w_error < 1e-6
    assert len(random.diagnostics_["runs"]) == 2
    assert spectral.provenance_["init"] == "spectral" and "spectral_seconds" in spectral.diagnostics_


def test_arrays_read_in_place_and_read_only_arrays_copied_give_the_same_recovery(planted):
    X, Y, _ = planted
    in_place = twolayer.MomentRecovery(k=3).fit(X, Y)  # direct buffers over the NumPy memory
    X_ro, Y_ro = X.copy(), Y.copy()
    X_ro.flags.writeable = False  # no direct buffer over read-only memory: one bulk copy into Java arrays
    copied = twolayer.MomentRecovery(k=3).fit(X_ro, Y_ro)
    # The same sums through the buffer and the array kernels: equal up to the order of additions.
    np.testing.assert_allclose(in_place.W_, copied.W_, rtol=0, atol=1e-12)
    assert np.array_equal(X_ro, X)  # and the caller's arrays are left as they were


def test_a_laplace_network_drawn_in_numpy_is_recovered_from_arrays_as_from_the_file(cli, tmp_path):
    # A user's own case: i.i.d. Laplace inputs (symmetric, heavier tails than Gaussian) and a teacher drawn in
    # NumPy, saved as the .npz the CLI reads; the estimator on the arrays and `recover` on the file agree.
    rng = np.random.default_rng(7)
    d, k, l, n = 8, 3, 5, 200_000
    W = rng.standard_normal((k, d))
    A = rng.standard_normal((l, k))
    X = rng.laplace(size=(n, d)) / np.sqrt(2.0)  # unit variance per coordinate
    Y = np.maximum(X @ W.T, 0.0) @ A.T
    np.savez(tmp_path / "data.npz", X=X, Y=Y)
    np.savez(tmp_path / "teacher.npz", W=W, A=A)
    cli("recover", "--data", "data.npz", "--k", k, "--out", "model.json")
    cli_errors = cli("evaluate", "--model", "model.json", "--truth", "teacher.npz")
    errors = twolayer.recovery_error((W, A), twolayer.MomentRecovery(k=k).fit(X, Y))
    # The same samples and the same passes; 1e-12 allows for sums taken over blocks of another size.
    assert errors.w_error == pytest.approx(cli_errors["w_error"], abs=1e-12)
    assert errors.a_error == pytest.approx(cli_errors["a_error"], abs=1e-12)
    # and it is a recovery: 0.0072 here at n = 2·10⁵; 0.03 leaves room for another platform's rounding while a
    # failed recovery (a wrong unit) is O(1)
    assert errors.w_error < 0.03
