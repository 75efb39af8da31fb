package io.github.twolayer.linalg;

/**
 * The two loop nests of {@link Kernels} in float32, for the Java fallback of the float products
 * ({@link JavaBlas}). Same register blocking (four rows of C by four samples; four samples by four
 * outputs), so the same reasoning about speed and summation order applies; the JIT packs twice as many
 * lanes per vector in float.
 */
final class FloatKernels {
  private FloatKernels() {}

  /** {@code c[cOff + j*cStride + i] += Σ_r u[uOff + r*uStride + j] · v[vOff + r*vStride + i]}, j < uCols, i < vCols. */
  static void accumulateOuterProducts(float[] u, int uOff, int uStride, int uCols, float[] v, int vOff, int vStride,
      int vCols, int rows, float[] c, int cOff, int cStride) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int u0 = uOff + r * uStride;
      int u1 = u0 + uStride;
      int u2 = u1 + uStride;
      int u3 = u2 + uStride;
      int v0 = vOff + r * vStride;
      int v1 = v0 + vStride;
      int v2 = v1 + vStride;
      int v3 = v2 + vStride;
      for (int j = 0; j < uCols; j++) {
        float s0 = u[u0 + j], s1 = u[u1 + j], s2 = u[u2 + j], s3 = u[u3 + j];
        int c0 = cOff + j * cStride;
        for (int i = 0; i < vCols; i++) {
          c[c0 + i] = Math.fma(s3, v[v3 + i], Math.fma(s2, v[v2 + i],
              Math.fma(s1, v[v1 + i], Math.fma(s0, v[v0 + i], c[c0 + i]))));
        }
      }
    }
    for (; r < rows; r++) {
      int u0 = uOff + r * uStride;
      int v0 = vOff + r * vStride;
      for (int j = 0; j < uCols; j++) {
        float s0 = u[u0 + j];
        int c0 = cOff + j * cStride;
        for (int i = 0; i < vCols; i++) {
          c[c0 + i] = Math.fma(s0, v[v0 + i], c[c0 + i]);
        }
      }
    }
  }

  /** {@code out[outOff + r*outStride + j] = Σ_p x[xOff + r*xStride + p] · m[mOff + j*mStride + p]}: X Mᵀ. */
  static void multiplyByTranspose(float[] x, int xOff, int xStride, int rows, float[] m, int mOff, int mStride,
      int mRows, int mCols, float[] out, int outOff, int outStride) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int x0 = xOff + r * xStride;
      int x1 = x0 + xStride;
      int x2 = x1 + xStride;
      int x3 = x2 + xStride;
      int o0 = outOff + r * outStride;
      for (int j = 0; j < mRows; j++) {
        int mj = mOff + j * mStride;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int p = 0; p < mCols; p++) {
          float b = m[mj + p];
          s0 = Math.fma(x[x0 + p], b, s0);
          s1 = Math.fma(x[x1 + p], b, s1);
          s2 = Math.fma(x[x2 + p], b, s2);
          s3 = Math.fma(x[x3 + p], b, s3);
        }
        out[o0 + j] = s0;
        out[o0 + outStride + j] = s1;
        out[o0 + 2 * outStride + j] = s2;
        out[o0 + 3 * outStride + j] = s3;
      }
    }
    for (; r < rows; r++) {
      int xr = xOff + r * xStride;
      int or = outOff + r * outStride;
      for (int j = 0; j < mRows; j++) {
        int mj = mOff + j * mStride;
        float s = 0;
        for (int p = 0; p < mCols; p++) {
          s = Math.fma(x[xr + p], m[mj + p], s);
        }
        out[or + j] = s;
      }
    }
  }
}
