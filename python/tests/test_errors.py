"""The library's refusals as Python exceptions, in one line, without a Java stack trace; Ctrl-C cancels."""

import threading
import _thread

import numpy as np
import pytest

import twolayer


def assert_one_line_without_java(message):
    assert "\n" not in message
    assert "java." not in message and "at io.github" not in message and "Exception" not in message


def test_input_the_library_refuses_is_a_value_error_with_its_message():
    with pytest.raises(ValueError) as e:
        twolayer.make_planted(n=100, dist="laplace")
    assert "unknown distribution 'laplace'" in str(e.value)
    assert_one_line_without_java(str(e.value))


def test_an_unknown_option_is_a_value_error_naming_the_choices(planted):
    X, Y, _ = planted
    with pytest.raises(ValueError, match="split='best' is not known: use 'joint', 'pairs'"):
        twolayer.MomentRecovery(k=3, split="best").fit(X, Y)


def test_more_units_than_outputs_is_a_recovery_error_that_says_k_at_most_l(planted):
    X, Y, _ = planted
    with pytest.raises(twolayer.RecoveryError) as e:
        twolayer.MomentRecovery(k=3).fit(X, Y[:, 0])
    assert isinstance(e.value, RuntimeError)
    assert "k ≤ l" in str(e.value) and e.value.diagnostic == "outputs"
    assert_one_line_without_java(str(e.value))


def test_asymmetric_inputs_are_refused_by_the_symmetry_check():
    rng = np.random.default_rng(0)
    X = rng.exponential(size=(20000, 6))  # all positive: E[x] and the odd moments are far from 0
    W = rng.normal(size=(2, 6))
    Y = np.maximum(X @ W.T, 0) @ rng.normal(size=(3, 2)).T
    with pytest.raises(ValueError, match="the inputs are not symmetric: E\\[x0\\]"):
        twolayer.MomentRecovery(k=2, check_symmetry=True).fit(X, Y)


def test_a_representation_of_another_dimension_is_refused_naming_both(multitask):
    *_, pre = multitask
    X = np.random.default_rng(1).normal(size=(50, 7))
    y = np.where(X[:, 0] > 0, 1, -1)
    with pytest.raises(ValueError, match="d = 7 inputs but the representation expects 20"):
        twolayer.DownstreamClassifier(pre.representation_).fit(X, y)


def test_missing_and_foreign_model_files_are_file_and_value_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        twolayer.load(tmp_path / "absent.json")
    (tmp_path / "other.json").write_text('{"format": "something-else"}')
    with pytest.raises(ValueError, match="is not a twolayer model file"):
        twolayer.load(tmp_path / "other.json")


def test_configure_after_the_jvm_started_says_to_call_it_first(planted):
    with pytest.raises(RuntimeError, match="call twolayer.configure"):
        twolayer.configure(heap="2g")


def test_configure_refuses_a_heap_that_is_not_a_size():
    with pytest.raises(ValueError, match="not a heap size"):
        twolayer.configure(heap="lots")


def test_ctrl_c_cancels_a_running_fit_and_the_next_fit_runs(multitask):
    X, y, task, *_ = multitask
    endless = twolayer.MultiTaskPretraining(width=32, rounds=10 ** 7, n1=128, n2=128)  # hours, uncancelled
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            endless.fit(X, y, task)
    finally:
        timer.cancel()
    assert not hasattr(endless, "W_")
    assert twolayer.MultiTaskPretraining(width=8, rounds=3, n1=32, n2=32).fit(X, y, task).W_.shape == (8, 20)


FIT_UNTIL_INTERRUPTED = """
import twolayer
X, y, task, _ = twolayer.make_multitask(n_per_task=200, d=20, r=2, tasks=8, seed=1)
print("fitting", flush=True)
try:
    twolayer.MultiTaskPretraining(width=32, rounds=10 ** 7, n1=128, n2=128).fit(X, y, task)
except KeyboardInterrupt:
    print("cancelled", flush=True)
    print(twolayer.MultiTaskPretraining(width=8, rounds=3, n1=32, n2=32).fit(X, y, task).W_.shape, flush=True)
"""


def test_a_real_sigint_reaches_python_and_cancels_the_fit_instead_of_ending_the_process():
    import signal
    import subprocess
    import sys
    import time
    child = subprocess.Popen([sys.executable, "-c", FIT_UNTIL_INTERRUPTED], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "fitting"
        time.sleep(1.5)  # into the fit, which would otherwise run for hours
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 0 and out.split() == ["cancelled", "(8,", "20)"]


def test_training_that_diverges_is_a_diverged_error_naming_the_step_size():
    X, Y, _ = twolayer.make_planted(n=3000, d=5, k=2, l=3, dist="cube", seed=1)
    with pytest.raises(twolayer.DivergedError, match="training diverged at epoch 1") as e:
        twolayer.TwoLayerRegressor(k=2, optimizer="adam", lr=1e8, iterations=20).fit(X, Y)
    assert isinstance(e.value, twolayer.RecoveryError)
    assert_one_line_without_java(str(e.value))
