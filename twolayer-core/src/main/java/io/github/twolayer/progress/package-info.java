/**
 * Progress, cancellation and divergence of long work, shared by every algorithm.
 *
 * <p>{@link io.github.twolayer.progress.Progress} receives how far a pass, a round or a start has come
 * (the CLI draws a bar; library code never prints); {@link
 * io.github.twolayer.progress.CancelledException} leaves any of them when its thread is interrupted, and
 * {@link io.github.twolayer.progress.DivergedException} leaves a training loop whose loss or weights
 * stopped being finite.
 */
package io.github.twolayer.progress;
