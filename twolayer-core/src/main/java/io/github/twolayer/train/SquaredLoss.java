package io.github.twolayer.train;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Parallel;
import java.util.Arrays;

/**
 * The training objective of the gradient-descent baselines: L(W, A) = (1/2n) Σ_i ‖A relu(W x_i) − y_i‖²
 * over the rows [from, to) of a dataset, with its gradient by hand-written backpropagation:
 * H = relu(X Wᵀ), R = H Aᵀ − Y, ∇A = Rᵀ H / n, ∇W = ((R A) ∘ 1{X Wᵀ > 0})ᵀ X / n. Every product is one
 * of the blocked kernels; rows are processed in fixed chunks whose partial sums are added in chunk
 * order, so the result is the same bits for any thread count.
 *
 * <p>Parameters are one vector θ = (W row-major, then A row-major) of length k·d + l·k.
 */
public final class SquaredLoss {
  private static final int CHUNK = 512;
  private final Dataset data;
  private final int from;
  private final int to;
  private final int k;
  private final Blas blas;

  /** The loss over rows [from, to) of {@code data} for k hidden units, its products on {@code blas}. */
  public SquaredLoss(Dataset data, int from, int to, int k, Blas blas) {
    if (from < 0 || to > data.size() || from >= to) {
      throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not a non-empty part of " + data.size());
    }
    this.data = data;
    this.from = from;
    this.to = to;
    this.k = k;
    this.blas = blas;
  }

  public int parameters() {
    return k * data.d() + data.l() * k;
  }

  public int rows() {
    return to - from;
  }

  /** The loss of the network that outputs 0, (1/2n) Σ ‖y_i‖²: the scale of the outputs, from Y alone. */
  double zeroNetworkLoss() {
    double[] y = data.Y();
    int l = data.l();
    double sum = 0;
    for (int i = from * l; i < to * l; i++) {
      sum += y[i] * y[i];
    }
    return sum / (2.0 * (to - from));
  }

  /** The loss at θ; when {@code gradient} is not null it receives ∇L. */
  public double evaluate(double[] theta, double[] gradient, Parallel parallel) {
    int d = data.d();
    int l = data.l();
    int n = to - from;
    int chunks = (n + CHUNK - 1) / CHUNK;
    double[] losses = new double[chunks];
    double[][] grads = gradient == null ? null : new double[chunks][];
    parallel.forEachTile(chunks, c -> {
      int start = from + c * CHUNK;
      int rows = Math.min(CHUNK, to - start);
      double[] g = gradient == null ? null : new double[theta.length];
      losses[c] = chunk(theta, start, rows, d, l, g);
      if (g != null) {
        grads[c] = g;
      }
    });
    double loss = 0;
    for (double v : losses) {
      loss += v;
    }
    if (gradient != null) {
      Arrays.fill(gradient, 0);
      for (double[] g : grads) {
        for (int e = 0; e < g.length; e++) {
          gradient[e] += g[e];
        }
      }
      for (int e = 0; e < gradient.length; e++) {
        gradient[e] /= n;
      }
    }
    return loss / (2.0 * n);
  }

  /** Σ over the chunk of ‖residual‖² (not halved, not averaged); adds the unscaled gradient into g. */
  private double chunk(double[] theta, int start, int rows, int d, int l, double[] g) {
    double[] x = data.X();
    double[] y = data.Y();
    int wLength = k * d;
    double[] a = Arrays.copyOfRange(theta, wLength, wLength + l * k);
    double[] pre = new double[rows * k];
    blas.multiplyByTranspose(x, start * d, d, rows, theta, k, d, pre, 0, k);
    double[] h = new double[rows * k];
    for (int e = 0; e < h.length; e++) {
      h[e] = pre[e] > 0 ? pre[e] : 0;
    }
    double[] residual = new double[rows * l];
    blas.multiplyByTranspose(h, 0, k, rows, a, l, k, residual, 0, l);
    double sum = 0;
    for (int i = 0; i < rows; i++) {
      for (int o = 0; o < l; o++) {
        double r = residual[i * l + o] - y[(start + i) * l + o];
        residual[i * l + o] = r;
        sum += r * r;
      }
    }
    if (g != null) {
      // ∇A += Rᵀ H
      double[] gradA = new double[l * k];
      blas.accumulateOuterProducts(residual, 0, l, l, h, 0, k, k, rows, gradA, 0, k);
      System.arraycopy(gradA, 0, g, wLength, l * k);
      // ∂L/∂pre = (R A) ∘ 1{pre > 0}; ∇W += (∂L/∂pre)ᵀ X
      double[] at = new double[k * l];
      for (int o = 0; o < l; o++) {
        for (int i = 0; i < k; i++) {
          at[i * l + o] = a[o * k + i];
        }
      }
      double[] back = new double[rows * k];
      blas.multiplyByTranspose(residual, 0, l, rows, at, k, l, back, 0, k);
      for (int e = 0; e < back.length; e++) {
        if (pre[e] <= 0) {
          back[e] = 0;
        }
      }
      double[] gradW = new double[k * d];
      blas.accumulateOuterProducts(back, 0, k, k, x, start * d, d, d, rows, gradW, 0, d);
      System.arraycopy(gradW, 0, g, 0, k * d);
    }
    return sum;
  }
}
