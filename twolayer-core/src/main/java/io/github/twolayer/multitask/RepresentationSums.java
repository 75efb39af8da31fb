package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;

/**
 * The W-gradient of a Bernoulli round: Σ_t w_t Σ over S²_t of ℓ'(y f) y ((b_t ∘ 1{Wx + c > 0})/√m) xᵀ
 * = Δᵀ X with weights w_t = 1/(T·|S²_t|), i.e. the round's gradient G of W.
 */
final class RepresentationSums extends SampledRows<RepresentationSums> {
  private static final long serialVersionUID = 1L;

  private final double[] weights; // T
  private final double[] sums;    // m×d

  /** The gradient at {@code heads} (every task) with the tasks' weights ({@code z}: rows standardized by it). */
  RepresentationSums(int d, int l, int m, double[] w, double[] c, double[][] heads, double[] weights,
      RoundSampling sampling, Loss loss, InputStandardization z, Blas.Choice blas) {
    super(d, l, m, w, c, heads, sampling, loss, z, 0, RoundSampling.S2, false, blas);
    this.weights = weights;
    this.sums = new double[m * d];
  }

  /** The tasks' weights w_t = 1/(T·|S²_t|) (0 for a task without rows in S²), from |S²_t| per task. */
  static double[] weights(long[] sizes2) {
    int tasks = sizes2.length;
    double[] weights = new double[tasks];
    for (int t = 0; t < tasks; t++) {
      weights[t] = sizes2[t] > 0 ? 1.0 / ((double) tasks * sizes2[t]) : 0;
    }
    return weights;
  }

  @Override
  public RepresentationSums empty() {
    return new RepresentationSums(d, l, m, w, c, heads, weights, sampling, loss, z, blas);
  }

  /** G (m×d). */
  double[] sums() {
    return sums;
  }

  @Override
  public void combine(RepresentationSums o) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += o.sums[i];
    }
    n += o.n;
  }

  @Override
  void take(int rows, double scale) {
    for (int i = 0; i < rows; i++) {
      double[] b = heads[ts[i]];
      double f = Features.score(pre, i * m, c, b, m, scale);
      double gw = loss.derivative(ys[i] * f) * ys[i] * weights[ts[i]] * scale;
      for (int j = 0; j < m; j++) {
        pre[i * m + j] = pre[i * m + j] > 0 ? gw * b[j] : 0; // pre now holds the row's Δ
      }
    }
    blas.implementation().accumulateOuterProducts(pre, 0, m, m, xs, 0, d, d, rows, sums, 0, d);
  }
}
