package io.github.twolayer.moments;

import io.github.twolayer.model.TwoLayerNet;

/**
 * The result of {@link MomentRecovery#fit}: the recovered network (rows of W normalized to unit norm,
 * their norms moved into A's columns), how it was made, its diagnostics, and the seconds of each pass
 * over the samples (in pass order, keyed by the pass's name).
 */
public record Recovery(TwoLayerNet network, RecoveryOptions options, long n, int d, int l, Diagnostics diagnostics,
    double seconds, java.util.Map<String, Double> passSeconds) {}
