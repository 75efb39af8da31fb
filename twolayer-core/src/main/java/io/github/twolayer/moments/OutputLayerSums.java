package io.github.twolayer.moments;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Accumulator;

/**
 * Pass 3 (spec §3 step 10): the sums HᵀH (k×k) and HᵀY (k×l) with h = relu(Ŵx), from which
 * Â = argmin Σ ‖y − A h‖² is one k×k solve.
 */
final class OutputLayerSums implements Accumulator<OutputLayerSums> {
  private static final long serialVersionUID = 1L;
  /** Rows per chunk of hidden activations: long enough for the k×k and k×l products to run natively. */
  private static final int CHUNK = 2048;

  private final int d;
  private final int k;
  private final int l;
  private final double[] w;
  private final double[] hth;
  private final double[] hty;
  private long n;
  private transient TwoLayerNet hiddenOnly;
  private transient double[] h;

  /** A zero accumulator for the hidden layer {@code w} (k×d). */
  OutputLayerSums(int d, int k, int l, double[] w) {
    this.d = d;
    this.k = k;
    this.l = l;
    this.w = w;
    this.hth = new double[k * k];
    this.hty = new double[k * l];
  }

  @Override
  public OutputLayerSums empty() {
    return new OutputLayerSums(d, k, l, w);
  }

  @Override
  public long count() {
    return n;
  }

  @Override
  public void accept(RowBlock b) {
    if (h == null) {
      hiddenOnly = new TwoLayerNet(d, k, 0, w, null, null);
      h = new double[CHUNK * k];
    }
    for (int from = 0; from < b.rows(); from += CHUNK) {
      int count = Math.min(CHUNK, b.rows() - from);
      hiddenOnly.hidden(b.x(), b.xOffset() + from * d, count, h, 0);
      Blas.current().accumulateOuterProducts(h, 0, k, k, h, 0, k, k, count, hth, 0, k);
      Blas.current().accumulateOuterProducts(h, 0, k, k, b.y(), b.yOffset() + from * l, l, l, count, hty, 0, l);
    }
    n += b.rows();
  }

  @Override
  public void combine(OutputLayerSums other) {
    SecondMoments.add(hth, other.hth);
    SecondMoments.add(hty, other.hty);
    n += other.n;
  }

  double[] gram() {
    return hth;
  }

  double[] cross() {
    return hty;
  }
}
