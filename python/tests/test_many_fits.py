"""Many small fits in one process: one JVM, started once, serves them all."""

import numpy as np

import twolayer


def test_twenty_small_fits_in_one_process_all_work():
    X, Y, truth = twolayer.make_planted(n=3000, d=5, k=2, l=3, dist="cube", seed=9)
    errors = []
    for seed in range(20):
        estimator = (twolayer.MomentRecovery(k=2, seed=seed) if seed % 2 == 0
                     else twolayer.TwoLayerRegressor(k=2, iterations=30, seed=seed))
        estimator.fit(X[seed * 100:], Y[seed * 100:])
        errors.append(twolayer.recovery_error(truth, estimator).w_error)
    assert len(errors) == 20 and all(np.isfinite(errors))
