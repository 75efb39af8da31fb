package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;

/**
 * φ_W(x) = relu(W x + c)/√m (docs/collins-method.md, "Network"): the one definition of the features, for
 * every round backend (float64 task by task, float32 batched, the engines' passes), the held-out loss,
 * the diagnostics, {@link Representation#features} and {@link Downstream}. The products Wx are the
 * caller's (one native product per block of rows); what turns them into features is here.
 */
final class Features {
  private Features() {}

  /** The output scale 1/√m of a layer of m units. */
  static double scale(int m) {
    return 1 / Math.sqrt(m);
  }

  /** rows×m features of row-major x (rows×d) under {@code layer}'s W and biases (none: 0). */
  static double[] of(TwoLayerNet layer, double[] x, int rows, Blas blas) {
    int m = layer.k();
    double[] c = layer.bias() == null ? new double[m] : layer.bias();
    double[] out = new double[rows * m];
    of(layer.W(), c, m, layer.d(), x, rows, out, blas);
    return out;
  }

  /** φ_W(x) for n rows of x (n×d) into out (n×m), W m×d and biases c (m). */
  static void of(double[] w, double[] c, int m, int d, double[] x, int n, double[] out, Blas blas) {
    blas.multiplyByTranspose(x, 0, d, n, w, m, d, out, 0, m);
    double scale = scale(m);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double pre = out[i * m + j] + c[j];
        out[i * m + j] = pre > 0 ? pre * scale : 0;
      }
    }
  }

  /**
   * Float32 features in place: {@code out[from..to)} holds the pre-activations Wx + c (the biases folded
   * into the product) and becomes relu(Wx + c)/√m. Math.max, not a ternary: the loop vectorizes.
   */
  static void activate(float[] out, int from, int to, float scale) {
    for (int e = from; e < to; e++) {
      out[e] = Math.max(out[e], 0f) * scale;
    }
  }

  /**
   * Adds the biases into one row of pre-activations ({@code pre[off..off+m)}, which then holds Wx + c)
   * and returns the row's output f = bᵀφ_W(x) = bᵀ relu(Wx + c)/√m, the feature never stored.
   */
  static double score(double[] pre, int off, double[] c, double[] b, int m, double scale) {
    double f = 0;
    for (int j = 0; j < m; j++) {
      double p = pre[off + j] + c[j];
      pre[off + j] = p;
      if (p > 0) {
        f += b[j] * p * scale;
      }
    }
    return f;
  }
}
