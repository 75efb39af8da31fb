package io.github.twolayer.moments;

/**
 * Packs symmetric n×n matrices into vectors of length n(n+1)/2 in the Frobenius geometry: diagonal
 * entries as they are, off-diagonal entries (p < q) times √2, in row-major upper-triangle order. Then
 * the Euclidean inner product of packed vectors equals the Frobenius inner product of the matrices,
 * which is what makes the SVD of the detector matrix (docs/ge-method.md, step 6) weigh every entry equally.
 */
final class SymmetricPacking {
  static final double SQRT2 = Math.sqrt(2);

  private SymmetricPacking() {}

  static int size(int n) {
    return n * (n + 1) / 2;
  }

  /** Packs a symmetric row-major matrix. */
  static double[] pack(double[] m, int n) {
    double[] v = new double[size(n)];
    int idx = 0;
    for (int p = 0; p < n; p++) {
      v[idx++] = m[p * n + p];
      for (int q = p + 1; q < n; q++) {
        v[idx++] = SQRT2 * 0.5 * (m[p * n + q] + m[q * n + p]);
      }
    }
    return v;
  }

  /** The symmetric row-major matrix of a packed vector. */
  static double[] unpack(double[] v, int n) {
    double[] m = new double[n * n];
    int idx = 0;
    for (int p = 0; p < n; p++) {
      m[p * n + p] = v[idx++];
      for (int q = p + 1; q < n; q++) {
        double value = v[idx++] / SQRT2;
        m[p * n + q] = value;
        m[q * n + p] = value;
      }
    }
    return m;
  }
}
