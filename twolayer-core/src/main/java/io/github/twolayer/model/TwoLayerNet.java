package io.github.twolayer.model;

import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Elementwise;
import io.github.twolayer.linalg.Matrices;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The network {@code y = A·relu(W x)} of both papers (Ge et al. 2019, eq. 1): input dimension d,
 * k hidden units, l outputs. W is k×d (row i is hidden unit i), A is l×k, both row-major.
 * A representation from multi-task pretraining has no A ({@code l == 0}) and may carry a first-layer
 * bias of length k (then the hidden layer is relu(W x + bias)).
 */
public record TwoLayerNet(int d, int k, int l, double[] W, double[] A, double[] bias) implements Serializable {

  public TwoLayerNet {
    if (d <= 0 || k <= 0 || l < 0) {
      throw new IllegalArgumentException("network shape d = " + d + ", k = " + k + ", l = " + l
          + " is invalid: d and k must be positive and l non-negative");
    }
    if (W == null || W.length != k * d) {
      throw new IllegalArgumentException("W must hold k×d = " + k * d + " numbers, got "
          + (W == null ? "none" : W.length));
    }
    if (l > 0 && (A == null || A.length != l * k)) {
      throw new IllegalArgumentException("A must hold l×k = " + l * k + " numbers, got "
          + (A == null ? "none" : A.length));
    }
    if (bias != null && bias.length != k) {
      throw new IllegalArgumentException("bias must hold k = " + k + " numbers, got " + bias.length);
    }
    W = W.clone();
    A = A == null ? null : A.clone();
    bias = bias == null ? null : bias.clone();
  }

  /** A network without bias. */
  public static TwoLayerNet of(int d, int k, int l, double[] W, double[] A) {
    return new TwoLayerNet(d, k, l, W, A, null);
  }

  @Override
  public double[] W() {
    return W.clone();
  }

  @Override
  public double[] A() {
    return A == null ? null : A.clone();
  }

  @Override
  public double[] bias() {
    return bias == null ? null : bias.clone();
  }

  /**
   * The same network with every row of W scaled to unit length, its bias divided by the same norm, and
   * the norm moved into A's column: a positive rescaling of each unit, relu(w·x + c) = ‖w‖·relu(w·x/‖w‖ +
   * c/‖w‖), so the same function, and each unit fires on the same inputs. (Keeping the bias while
   * dividing the row would move where the unit fires: a layer pretrained on centered inputs, whose bias
   * in raw units is c − W μ, would no longer be the layer that was learned.) Rows of zeros stay zero. The
   * form in which recovered networks are reported and compared, and the first layer's form for downstream
   * features.
   */
  public TwoLayerNet withUnitRows() {
    double[] w = W();
    double[] a = A();
    double[] b = bias();
    for (int i = 0; i < k; i++) {
      double norm = Matrices.norm(w, i * d, d, 1); // rows of 1e160 must not overflow
      if (norm == 0) {
        continue;
      }
      for (int p = 0; p < d; p++) {
        w[i * d + p] /= norm;
      }
      if (b != null) {
        b[i] /= norm;
      }
      if (a != null) {
        for (int o = 0; o < l; o++) {
          a[o * k + i] *= norm;
        }
      }
    }
    return new TwoLayerNet(d, k, l, w, a, b);
  }

  /** W[i][p] without copying. */
  public double w(int i, int p) {
    return W[i * d + p];
  }

  /** A[a][i] without copying. */
  public double a(int a, int i) {
    return A[a * k + i];
  }

  /**
   * Hidden activations relu(W x + bias) of {@code rows} samples into out[outOff..] (rows×k), the product
   * on {@code blas}.
   */
  public void hidden(double[] x, int xOff, int rows, double[] out, int outOff, Blas blas) {
    blas.multiplyByTranspose(x, xOff, d, rows, W, k, d, out, outOff, k);
    if (bias != null) {
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < k; i++) {
          out[outOff + r * k + i] += bias[i];
        }
      }
    }
    Elementwise.relu(out, outOff, outOff + rows * k);
  }

  /** Hidden activations relu(W x + bias) of {@code rows} samples; out is rows×k. */
  public void hidden(double[] x, int xOff, int rows, double[] out, Blas blas) {
    hidden(x, xOff, rows, out, 0, blas);
  }

  /**
   * Outputs A relu(W x) of {@code rows} samples, x row-major rows×d, the products on the library's
   * default BLAS ({@link Blas.Choice#byDefault}); returns rows×l.
   */
  public double[] predict(double[] x, int xOff, int rows) {
    return predict(x, xOff, rows, Blas.Choice.byDefault().implementation());
  }

  /** Outputs A relu(W x) of {@code rows} samples, x row-major rows×d, the products on {@code blas}; returns rows×l. */
  public double[] predict(double[] x, int xOff, int rows, Blas blas) {
    if (l == 0) {
      throw new IllegalStateException("this network has no output layer A (a representation): adapt it first");
    }
    double[] h = new double[rows * k];
    hidden(x, xOff, rows, h, blas);
    double[] y = new double[rows * l];
    blas.multiplyByTranspose(h, 0, k, rows, A, l, k, y, 0, l);
    return y;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TwoLayerNet n && n.d == d && n.k == k && n.l == l && Arrays.equals(n.W, W)
        && Arrays.equals(n.A, A) && Arrays.equals(n.bias, bias);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(W) * 31 + Arrays.hashCode(A);
  }

  @Override
  public String toString() {
    return "TwoLayerNet[d=" + d + ", k=" + k + ", l=" + l + (bias == null ? "" : ", bias") + "]";
  }
}
