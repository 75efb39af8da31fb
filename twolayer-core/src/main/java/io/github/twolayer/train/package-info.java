/**
 * Gradient-descent baselines for the planted networks of docs/ge-method.md (experiment E4).
 *
 * <p>Start at {@link io.github.twolayer.train.GradientDescent}: L-BFGS ({@link
 * io.github.twolayer.train.Lbfgs}) or Adam on the squared loss ({@link io.github.twolayer.train.SquaredLoss},
 * hand-written backpropagation over the blocked kernels), from random starts or from a given network —
 * such as the method-of-moments estimate, which is spectral + fine-tune — with early stopping on held-out
 * rows.
 */
package io.github.twolayer.train;
