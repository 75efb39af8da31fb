/**
 * The method of moments of Ge, Kuditipudi, Li and Wang (ICLR 2019), as docs/ge-method.md describes it.
 *
 * <p>Start at {@link io.github.twolayer.moments.MomentRecovery}: {@code fit(data, options)} runs three
 * passes over the samples — second moments ({@link io.github.twolayer.moments.SecondMoments}, steps 1–2),
 * the detector moment ({@link io.github.twolayer.moments.DetectorMoments}, steps 4–5) and the output
 * layer's least squares (step 10) — and everything between them on the driver: the input and output
 * reductions (steps 2a and 3), the detector's null space (step 6), its split into pure-neuron detectors
 * (SpanSplitter, step 7), signs and rows of W (steps 8–9). The result is a {@link
 * io.github.twolayer.moments.Recovery} with its {@link io.github.twolayer.moments.Diagnostics}; data that
 * cannot support recovery raise a {@link io.github.twolayer.moments.RecoveryException} naming the
 * diagnostic. {@link io.github.twolayer.moments.RecoveryOptions} holds the choices, {@link
 * io.github.twolayer.moments.KSelection} chooses k from the data ({@code --k auto}), and {@link
 * io.github.twolayer.moments.Standardization} makes the result independent of the columns' units.
 */
package io.github.twolayer.moments;
