/**
 * How far a learned network is from the truth, and how well it predicts.
 *
 * <p>{@link io.github.twolayer.metrics.RecoveryError} is the matched relative error of docs/ge-method.md (rows
 * of W normalized, hidden units matched by the {@link io.github.twolayer.metrics.Hungarian} algorithm,
 * signs not forgiven); {@link io.github.twolayer.metrics.SubspaceMetrics} scores a pretrained first layer
 * against the planted subspace of docs/collins-method.md, "Metrics" (energy outside span(M), principal angles, subspace
 * distance); {@link io.github.twolayer.metrics.PredictionError} is the test error on fresh inputs.
 */
package io.github.twolayer.metrics;
