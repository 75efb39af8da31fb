package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;
/**
 * One head step's statistic over a Bernoulli round's S¹: per task of the batch, Σ over S¹_t of
 * ℓ'(y b_tᵀφ_W(x)) y φ_W(x) (the head gradient times |S¹_t|), with |S¹_t| and |S²_t|.
 */
final class HeadSums extends SampledRows<HeadSums> {
  private static final long serialVersionUID = 1L;

  private final long[] sizes1;
  private final long[] sizes2;
  private final double[] sums; // T×m

  /** The sums at {@code heads} for the batch of tasks from {@code from} ({@code z}: rows standardized by it). */
  HeadSums(int d, int l, int m, double[] w, double[] c, double[][] heads, RoundSampling sampling, Loss loss,
      InputStandardization z, int from, Blas.Choice blas) {
    super(d, l, m, w, c, heads, sampling, loss, z, from, RoundSampling.S1, false, blas);
    sizes1 = new long[heads.length];
    sizes2 = new long[heads.length];
    sums = new double[heads.length * m];
  }

  @Override
  public HeadSums empty() {
    return new HeadSums(d, l, m, w, c, heads, sampling, loss, z, from, blas);
  }

  /** |S¹_t| per task of the batch. */
  long[] sizes() {
    return sizes1;
  }

  /** |S²_t| per task of the batch. */
  long[] sizes2() {
    return sizes2;
  }

  /** Per task (rows of m), Σ over S¹_t of ℓ'(y f) y φ. */
  double[] sums() {
    return sums;
  }

  /**
   * The head step these sums give: b_t ← b_t − η_h (sums_t/|S¹_t|) for each task of the batch with rows in
   * S¹ ({@code heads[s]} is task from + s); the largest |entry| of those head gradients (NaN stays NaN).
   */
  double step(double[][] heads, double rate) {
    double largest = 0;
    for (int s = 0; s < heads.length; s++) {
      long s1 = sizes1[s];
      for (int j = 0; j < m && s1 > 0; j++) {
        heads[s][j] -= rate * sums[s * m + j] / s1;
        largest = Math.max(largest, Math.abs(sums[s * m + j] / s1));
      }
    }
    return largest;
  }

  @Override
  public void combine(HeadSums o) {
    for (int t = 0; t < sizes1.length; t++) {
      sizes1[t] += o.sizes1[t];
      sizes2[t] += o.sizes2[t];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += o.sums[i];
    }
    n += o.n;
  }

  @Override
  void sampled(int slot, int set) {
    if ((set & RoundSampling.S1) != 0) {
      sizes1[slot]++;
    }
    if ((set & RoundSampling.S2) != 0) {
      sizes2[slot]++;
    }
  }

  @Override
  void take(int rows, double scale) {
    for (int i = 0; i < rows; i++) {
      double f = Features.score(pre, i * m, c, heads[ts[i]], m, scale);
      double g = loss.derivative(ys[i] * f) * ys[i];
      int o = ts[i] * m;
      for (int j = 0; j < m; j++) {
        double p = pre[i * m + j];
        if (p > 0) {
          sums[o + j] += g * p * scale;
        }
      }
    }
  }
}
