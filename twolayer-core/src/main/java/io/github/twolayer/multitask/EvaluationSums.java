package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;
/**
 * The diagnostics' statistic of a layer (not a round's): per task of the batch, Σ over S²_t of ℓ(y f)
 * and of 1{sign f = y} (sign(0) = +1, as {@link Downstream} scores), with |S²_t|; and, when asked, per
 * unit the rows of all the data on which it fires.
 */
final class EvaluationSums extends SampledRows<EvaluationSums> {
  private static final long serialVersionUID = 1L;

  private final boolean units;
  private final long[] sizes2;
  private final double[] losses;
  private final double[] hits;
  private final double[] fired;

  /**
   * The losses and hits over S² of the batch of tasks from {@code from} that {@code heads} holds, and with
   * {@code units} each unit's firing rows over every row ({@code z}: rows standardized by it, or null).
   */
  EvaluationSums(int d, int l, int m, double[] w, double[] c, double[][] heads, RoundSampling sampling, Loss loss,
      InputStandardization z, boolean units, int from, Blas.Choice blas) {
    super(d, l, m, w, c, heads, sampling, loss, z, from, RoundSampling.S2, units, blas);
    this.units = units;
    sizes2 = new long[heads.length];
    losses = new double[heads.length];
    hits = new double[heads.length];
    fired = new double[units ? m : 0];
  }

  @Override
  public EvaluationSums empty() {
    return new EvaluationSums(d, l, m, w, c, heads, sampling, loss, z, units, from, blas);
  }

  /** |S²_t| per task of the batch. */
  long[] sizes2() {
    return sizes2;
  }

  /** Σ over S²_t of ℓ(y f), per task of the batch. */
  double[] losses() {
    return losses;
  }

  /** Σ over S²_t of 1{sign f = y}, per task of the batch. */
  double[] hits() {
    return hits;
  }

  /** Per unit, the rows on which it fires (empty unless counted). */
  double[] fired() {
    return fired;
  }

  @Override
  public void combine(EvaluationSums o) {
    for (int t = 0; t < sizes2.length; t++) {
      sizes2[t] += o.sizes2[t];
      losses[t] += o.losses[t];
      hits[t] += o.hits[t];
    }
    for (int j = 0; j < fired.length; j++) {
      fired[j] += o.fired[j];
    }
    n += o.n;
  }

  @Override
  void take(int rows, double scale) {
    for (int i = 0; i < rows; i++) {
      int t = ts[i];
      if (t >= 0 && inS2[i]) {
        double f = Features.score(pre, i * m, c, heads[t], m, scale); // pre now holds Wx + c
        sizes2[t]++;
        losses[t] += loss.value(ys[i] * f);
        hits[t] += (f >= 0 ? 1 : -1) == ys[i] ? 1 : 0;
      } else {
        for (int j = 0; j < m; j++) {
          pre[i * m + j] += c[j];
        }
      }
      if (units) {
        for (int j = 0; j < m; j++) {
          if (pre[i * m + j] > 0) {
            fired[j]++;
          }
        }
      }
    }
  }
}
