package io.github.twolayer.linalg;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Small dense decompositions on row-major {@code double[]} matrices, delegated to EJML (chosen over
 * ojAlgo by the benchmark in twolayer-bench; see the module README). Inputs are never modified; every
 * result is a fresh array.
 */
public final class Matrices {
  private Matrices() {}

  /** Thin SVD {@code M = U diag(s) Vᵀ}: U rows×r, V cols×r (both row-major), s descending, r = min. */
  public record Svd(int rows, int cols, double[] U, double[] s, double[] V) {
    public int rank() {
      return s.length;
    }
  }

  /** Eigen-decomposition of a symmetric matrix: values ascending, vectors as columns of an n×n matrix. */
  public record SymmetricEigen(int n, double[] values, double[] vectors) {}

  public static Svd svd(double[] m, int rows, int cols) {
    DMatrixRMaj a = new DMatrixRMaj(rows, cols);
    System.arraycopy(m, 0, a.data, 0, rows * cols);
    SingularValueDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
    if (!dec.decompose(a)) {
      throw new ArithmeticException("SVD did not converge on a " + rows + "×" + cols + " matrix");
    }
    DMatrixRMaj u = dec.getU(null, false);
    DMatrixRMaj v = dec.getV(null, false);
    DMatrixRMaj w = dec.getW(null);
    SingularOps_DDRM.descendingOrder(u, false, w, v, false);
    int r = Math.min(rows, cols);
    double[] s = new double[r];
    for (int i = 0; i < r; i++) {
      s[i] = w.get(i, i);
    }
    return new Svd(rows, cols, firstColumns(u, r), s, firstColumns(v, r));
  }

  private static double[] firstColumns(DMatrixRMaj m, int r) {
    double[] out = new double[m.numRows * r];
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < r; j++) {
        out[i * r + j] = m.get(i, j);
      }
    }
    return out;
  }

  public static SymmetricEigen symmetricEigen(double[] m, int n) {
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a.set(i, j, 0.5 * (m[i * n + j] + m[j * n + i]));
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, true, true);
    if (!dec.decompose(a)) {
      throw new ArithmeticException("symmetric eigen-decomposition did not converge (n = " + n + ")");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(dec.getEigenvalue(x).real, dec.getEigenvalue(y).real));
    double[] values = new double[n];
    double[] vectors = new double[n * n];
    for (int c = 0; c < n; c++) {
      values[c] = dec.getEigenvalue(order[c]).real;
      DMatrixRMaj v = dec.getEigenVector(order[c]);
      for (int i = 0; i < n; i++) {
        vectors[i * n + c] = v.get(i, 0);
      }
    }
    return new SymmetricEigen(n, values, vectors);
  }

  /** Lower Cholesky factor L (M = L Lᵀ), or null when M is not numerically positive definite. */
  public static double[] choleskyLower(double[] m, int n) {
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    System.arraycopy(m, 0, a.data, 0, n * n);
    CholeskyDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.chol(n, true);
    if (!dec.decompose(a)) {
      return null;
    }
    DMatrixRMaj l = dec.getT(null);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        l.set(i, j, 0);
      }
      if (!(l.get(i, i) > 0)) {
        return null;
      }
    }
    return l.data;
  }

  /** Solves {@code A X = B} (A n×n, B n×m) by LU with partial pivoting. */
  public static double[] solve(double[] a, int n, double[] b, int m) {
    DMatrixRMaj x = new DMatrixRMaj(n, m);
    if (!CommonOps_DDRM.solve(DMatrixRMaj.wrap(n, n, a.clone()), DMatrixRMaj.wrap(n, m, b.clone()), x)) {
      throw new ArithmeticException("singular " + n + "×" + n + " system");
    }
    return x.data;
  }

  /** {@code A B} for row-major A (n×p) and B (p×m). */
  public static double[] multiply(double[] a, int n, int p, double[] b, int m) {
    DMatrixRMaj c = new DMatrixRMaj(n, m);
    CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, p, a), DMatrixRMaj.wrap(p, m, b), c);
    return c.data;
  }

  /** Aᵀ of a row-major n×m matrix. */
  public static double[] transpose(double[] a, int n, int m) {
    double[] t = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        t[j * n + i] = a[i * m + j];
      }
    }
    return t;
  }

  /** A rows×cols matrix with orthonormal columns (rows ≥ cols), Haar-distributed. */
  public static double[] randomOrthogonal(UniformRandomProvider rng, int rows, int cols) {
    if (cols > rows) {
      throw new IllegalArgumentException("cannot have " + cols + " orthonormal columns in dimension " + rows);
    }
    var g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] m = new double[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = g.sample();
    }
    // Gram–Schmidt twice ("twice is enough") on the Gaussian columns: Haar-distributed and stable.
    for (int j = 0; j < cols; j++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < j; p++) {
          double dot = 0;
          for (int i = 0; i < rows; i++) {
            dot += m[i * cols + p] * m[i * cols + j];
          }
          for (int i = 0; i < rows; i++) {
            m[i * cols + j] -= dot * m[i * cols + p];
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < rows; i++) {
        norm += m[i * cols + j] * m[i * cols + j];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < rows; i++) {
        m[i * cols + j] /= norm;
      }
    }
    return m;
  }

  /** Frobenius norm, safe from overflow and underflow ({@link #norm}). */
  public static double frobenius(double[] a) {
    return norm(a, 0, a.length, 1);
  }

  /**
   * Euclidean norm of {@code len} entries from {@code off}, {@code stride} apart. The plain sum of
   * squares when it is a normal number (the usual case, same bits as always); when it overflows or
   * underflows (entries beyond about 1e154 or below 1e-154), the entries are divided by the largest
   * magnitude first, so the norm of any finite vector is finite and accurate.
   */
  public static double norm(double[] a, int off, int len, int stride) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      double v = a[off + i * stride];
      s += v * v;
    }
    if (s >= Double.MIN_NORMAL && s < Double.POSITIVE_INFINITY) {
      return Math.sqrt(s);
    }
    double max = 0;
    for (int i = 0; i < len; i++) {
      max = Math.max(max, Math.abs(a[off + i * stride]));
    }
    if (max == 0 || !(max < Double.POSITIVE_INFINITY)) {
      return max;
    }
    double t = 0;
    for (int i = 0; i < len; i++) {
      double v = a[off + i * stride] / max;
      t += v * v;
    }
    return max * Math.sqrt(t);
  }

  /**
   * max |a_i − b_i| / max |a_i|: how far b is from a relative to a's largest entry (0 when they are
   * equal), the measure used to compare engines and summation orders.
   */
  public static double maxRelativeDifference(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("arrays of " + a.length + " and " + b.length + " numbers cannot be compared");
    }
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(a[i]));
    }
    return scale == 0 ? diff : diff / scale;
  }
}
