package io.github.twolayer.linalg;

/**
 * {@link Blas} on our own Java kernels: the fallback where the native library does not load, and the
 * reference the tests compare the native one against. The two shapes the algorithms use run on the
 * register-blocked kernels ({@code op = (T, N)}: a sum of outer products, {@link Kernels#accumulateOuterProducts};
 * {@code op = (N, T)}: samples mapped through a small matrix, {@link Kernels#multiplyByTranspose}); the
 * other two by a plain loop, correct and slower.
 */
public final class JavaBlas implements Blas {
  static final JavaBlas INSTANCE = new JavaBlas();

  private JavaBlas() {}

  /** The one instance. */
  public static JavaBlas instance() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public boolean isNative() {
    return false;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    if (transA && !transB && alpha == 1) {
      scale(c, cOff, ldc, m, n, beta);
      Kernels.accumulateOuterProducts(a, aOff, lda, b, bOff, ldb, n, k, c, cOff, ldc, 0, m, false);
      return;
    }
    if (!transA && transB && alpha == 1 && beta == 0) {
      Kernels.multiplyByTranspose(a, aOff, lda, m, b, bOff, ldb, n, k, c, cOff, ldc);
      return;
    }
    if (alpha != 1 || (!transA && transB)) {
      // Into a zeroed temporary with α = 1 (one of the fast shapes when it applies), then C ← βC + α·tmp.
      double[] tmp = new double[m * n];
      gemm(transA, transB, m, n, k, 1.0, a, aOff, lda, b, bOff, ldb, 0.0, tmp, 0, n);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int o = cOff + i * ldc + j;
          c[o] = (beta == 0 ? 0 : beta * c[o]) + alpha * tmp[i * n + j];
        }
      }
      return;
    }
    scale(c, cOff, ldc, m, n, beta);
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double s = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        int o = cOff + i * ldc;
        for (int j = 0; j < n; j++) {
          c[o + j] = Math.fma(s, transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j], c[o + j]);
        }
      }
    }
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (transA && !transB && alpha == 1) {
      scale(c, cOff, ldc, m, n, beta);
      FloatKernels.accumulateOuterProducts(a, aOff, lda, m, b, bOff, ldb, n, k, c, cOff, ldc);
      return;
    }
    if (!transA && transB && alpha == 1 && beta == 0) {
      FloatKernels.multiplyByTranspose(a, aOff, lda, m, b, bOff, ldb, n, k, c, cOff, ldc);
      return;
    }
    if (alpha != 1 || (!transA && transB)) {
      float[] tmp = new float[m * n];
      gemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, tmp, 0, n);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int o = cOff + i * ldc + j;
          c[o] = (beta == 0 ? 0 : beta * c[o]) + alpha * tmp[i * n + j];
        }
      }
      return;
    }
    scale(c, cOff, ldc, m, n, beta);
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float s = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        int o = cOff + i * ldc;
        for (int j = 0; j < n; j++) {
          c[o + j] = Math.fma(s, transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j], c[o + j]);
        }
      }
    }
  }

  @Override
  public void syrkUpper(int n, int k, double alpha, double[] a, int aOff, int lda, double beta, double[] c, int cOff,
      int ldc) {
    if (alpha == 1) {
      scale(c, cOff, ldc, n, n, beta);
      Kernels.accumulateOuterProducts(a, aOff, lda, a, aOff, lda, n, k, c, cOff, ldc, 0, n, true);
      return;
    }
    gemm(true, false, n, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc);
  }

  private static void scale(double[] c, int cOff, int ldc, int m, int n, double beta) {
    if (beta == 1) {
      return;
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int o = cOff + i * ldc + j;
        c[o] = beta == 0 ? 0 : beta * c[o];
      }
    }
  }

  private static void scale(float[] c, int cOff, int ldc, int m, int n, float beta) {
    if (beta == 1) {
      return;
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int o = cOff + i * ldc + j;
        c[o] = beta == 0 ? 0 : beta * c[o];
      }
    }
  }
}
