package io.github.twolayer.moments;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Elementwise;
import io.github.twolayer.pass.Accumulator;
import java.nio.DoubleBuffer;

/**
 * Pass 3 (docs/ge-method.md, step 10): the sums HᵀH (k×k) and HᵀY (k×l) with h = relu(Ŵx), from which
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
  private final Blas.Choice blas; // resolved where the blocks are summed (a cluster's worker, too)
  private final double[] hth;
  private final double[] hty;
  private long n;
  private transient double[] ht; // k × chunk: relu(Ŵ Xᵀ), feature-major

  /** A zero accumulator for the hidden layer {@code w} (k×d), its products on {@code blas}. */
  OutputLayerSums(int d, int k, int l, double[] w, Blas.Choice blas) {
    this.d = d;
    this.k = k;
    this.l = l;
    this.w = w;
    this.blas = blas;
    this.hth = new double[k * k];
    this.hty = new double[k * l];
  }

  @Override
  public OutputLayerSums empty() {
    return new OutputLayerSums(d, k, l, w, blas);
  }

  @Override
  public long count() {
    return n;
  }

  /**
   * The activations are formed feature-major, Hᵀ = relu(Ŵ Xᵀ) (k × chunk), so that the samples are the
   * second operand of every product and are read where they are (a mapped file's rows are copied
   * off-heap once, not through the heap): HᵀH = Hᵀ(Hᵀ)ᵀ and HᵀY = Hᵀ·Y.
   */
  @Override
  public void accept(RowBlock b) {
    if (ht == null) {
      ht = new double[k * CHUNK];
    }
    Blas blas = this.blas.implementation();
    DoubleBuffer xs = b.xBuffer();
    DoubleBuffer ys = b.yBuffer();
    for (int from = 0; from < b.rows(); from += CHUNK) {
      int count = Math.min(CHUNK, b.rows() - from);
      blas.gemm(false, true, k, count, d, 1.0, w, 0, d, xs.slice(from * d, count * d), d, 0.0, ht, 0, count);
      Elementwise.relu(ht, 0, k * count);
      blas.gemm(false, true, k, k, count, 1.0, ht, 0, count, ht, 0, count, 1.0, hth, 0, k);
      blas.gemm(false, false, k, l, count, 1.0, ht, 0, count, ys.slice(from * l, count * l), l, 1.0, hty, 0, l);
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
