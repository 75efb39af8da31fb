package io.github.twolayer.moments;

import io.github.twolayer.model.TwoLayerNet;

/**
 * The result of {@link MomentRecovery#fit}: the recovered network (rows of W normalized to unit norm,
 * their norms moved into A's columns), how it was made, and its diagnostics.
 */
public record Recovery(TwoLayerNet network, Options options, long n, int d, int l, Diagnostics diagnostics,
    double seconds) {}
