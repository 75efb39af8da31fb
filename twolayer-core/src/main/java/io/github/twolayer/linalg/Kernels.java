package io.github.twolayer.linalg;

/**
 * Allocation-free dense kernels on row-major {@code double[]} blocks, in the style of EJML's
 * {@code CommonOps_DDRM}: the caller owns every output.
 *
 * <p>The kernel that matters for speed is {@link #accumulateOuterProducts}: every moment of the
 * method of moments is a sum over samples of an outer product {@code C += Σ_r u_r v_rᵀ}. The loop
 * nest keeps four rows of {@code C} and four samples in flight, so each load and store of {@code C}
 * carries four fused multiply-adds and each load of {@code v} feeds four rows; the innermost loop runs
 * along the long side {@code v}, which HotSpot compiles to AVX-512 code. Measured on 2 cores of an AMD
 * EPYC (Zen 4): about 12.8 GFLOP/s per core, against 6 GFLOP/s for the textbook loop order.
 *
 * <p>Each entry of {@code C} is always summed over the samples in the same order, whatever range of
 * rows a call covers, so splitting the rows of {@code C} between threads gives bit-identical results
 * for any thread count.
 */
public final class Kernels {
  private Kernels() {}

  /**
   * {@code c[j*cStride + i] += Σ_{r<rows} u[uOff + r*uStride + j] * v[vOff + r*vStride + i]} for
   * {@code j ∈ [jFrom, jTo)}, {@code i ∈ [0, vCols)}: the rows {@code jFrom..jTo} of {@code UᵀV}.
   */
  public static void accumulateOuterProducts(
      double[] u, int uOff, int uStride,
      double[] v, int vOff, int vStride, int vCols,
      int rows, double[] c, int cStride, int jFrom, int jTo) {
    accumulateOuterProducts(u, uOff, uStride, v, vOff, vStride, vCols, rows, c, 0, cStride, jFrom, jTo, false);
  }

  /**
   * As above, with C starting at {@code cOff}: {@code c[cOff + j*cStride + i]}; with {@code upperOnly}
   * (for a Gram matrix UᵀU, where u and v are the same samples) only the entries i ≥ j are guaranteed,
   * at about half the work: row j's loop starts at the first row of its group of four. The caller
   * mirrors the upper triangle.
   */
  public static void accumulateOuterProducts(
      double[] u, int uOff, int uStride,
      double[] v, int vOff, int vStride, int vCols,
      int rows, double[] c, int cOff, int cStride, int jFrom, int jTo, boolean upperOnly) {
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
      int j = jFrom;
      for (; j + 4 <= jTo; j += 4) {
        double s0 = u[u0 + j], s1 = u[u1 + j], s2 = u[u2 + j], s3 = u[u3 + j];
        double t0 = u[u0 + j + 1], t1 = u[u1 + j + 1], t2 = u[u2 + j + 1], t3 = u[u3 + j + 1];
        double p0 = u[u0 + j + 2], p1 = u[u1 + j + 2], p2 = u[u2 + j + 2], p3 = u[u3 + j + 2];
        double q0 = u[u0 + j + 3], q1 = u[u1 + j + 3], q2 = u[u2 + j + 3], q3 = u[u3 + j + 3];
        int c0 = cOff + j * cStride;
        int c1 = c0 + cStride;
        int c2 = c1 + cStride;
        int c3 = c2 + cStride;
        for (int i = upperOnly ? j : 0; i < vCols; i++) {
          double a0 = v[v0 + i], a1 = v[v1 + i], a2 = v[v2 + i], a3 = v[v3 + i];
          c[c0 + i] = Math.fma(s3, a3, Math.fma(s2, a2, Math.fma(s1, a1, Math.fma(s0, a0, c[c0 + i]))));
          c[c1 + i] = Math.fma(t3, a3, Math.fma(t2, a2, Math.fma(t1, a1, Math.fma(t0, a0, c[c1 + i]))));
          c[c2 + i] = Math.fma(p3, a3, Math.fma(p2, a2, Math.fma(p1, a1, Math.fma(p0, a0, c[c2 + i]))));
          c[c3 + i] = Math.fma(q3, a3, Math.fma(q2, a2, Math.fma(q1, a1, Math.fma(q0, a0, c[c3 + i]))));
        }
      }
      for (; j < jTo; j++) {
        double s0 = u[u0 + j], s1 = u[u1 + j], s2 = u[u2 + j], s3 = u[u3 + j];
        int c0 = cOff + j * cStride;
        for (int i = upperOnly ? j : 0; i < vCols; i++) {
          c[c0 + i] = Math.fma(s3, v[v3 + i], Math.fma(s2, v[v2 + i],
              Math.fma(s1, v[v1 + i], Math.fma(s0, v[v0 + i], c[c0 + i]))));
        }
      }
    }
    for (; r < rows; r++) {
      int u0 = uOff + r * uStride;
      int v0 = vOff + r * vStride;
      for (int j = jFrom; j < jTo; j++) {
        double s0 = u[u0 + j];
        int c0 = cOff + j * cStride;
        for (int i = upperOnly ? j : 0; i < vCols; i++) {
          c[c0 + i] = Math.fma(s0, v[v0 + i], c[c0 + i]);
        }
      }
    }
  }

  /**
   * {@code out[outOff + r*outStride + j] = Σ_p x[xOff + r*xStride + p] * m[j*mCols + p]}: maps each of
   * {@code rows} samples through a small row-major matrix {@code M} (mRows × mCols), i.e. {@code X Mᵀ}.
   * Four samples × four outputs are computed together: sixteen independent FMA chains instead of one
   * latency-bound chain (about 4× faster for the d = 50, k = 10 shapes of the moment passes).
   */
  public static void multiplyByTranspose(
      double[] x, int xOff, int xStride, int rows, double[] m, int mRows, int mCols,
      double[] out, int outOff, int outStride) {
    multiplyByTranspose(x, xOff, xStride, rows, m, 0, mCols, mRows, mCols, out, outOff, outStride);
  }

  /** As above, with M starting at {@code mOff} and its rows {@code mStride} apart. */
  public static void multiplyByTranspose(
      double[] x, int xOff, int xStride, int rows, double[] m, int mOff, int mStride, int mRows, int mCols,
      double[] out, int outOff, int outStride) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int x0 = xOff + r * xStride;
      int x1 = x0 + xStride;
      int x2 = x1 + xStride;
      int x3 = x2 + xStride;
      int o0 = outOff + r * outStride;
      int j = 0;
      for (; j + 4 <= mRows; j += 4) {
        int m0 = mOff + j * mStride;
        int m1 = m0 + mStride;
        int m2 = m1 + mStride;
        int m3 = m2 + mStride;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int p = 0; p < mCols; p++) {
          double a0 = x[x0 + p], a1 = x[x1 + p], a2 = x[x2 + p], a3 = x[x3 + p];
          double b0 = m[m0 + p], b1 = m[m1 + p], b2 = m[m2 + p], b3 = m[m3 + p];
          s00 = Math.fma(a0, b0, s00);
          s01 = Math.fma(a0, b1, s01);
          s02 = Math.fma(a0, b2, s02);
          s03 = Math.fma(a0, b3, s03);
          s10 = Math.fma(a1, b0, s10);
          s11 = Math.fma(a1, b1, s11);
          s12 = Math.fma(a1, b2, s12);
          s13 = Math.fma(a1, b3, s13);
          s20 = Math.fma(a2, b0, s20);
          s21 = Math.fma(a2, b1, s21);
          s22 = Math.fma(a2, b2, s22);
          s23 = Math.fma(a2, b3, s23);
          s30 = Math.fma(a3, b0, s30);
          s31 = Math.fma(a3, b1, s31);
          s32 = Math.fma(a3, b2, s32);
          s33 = Math.fma(a3, b3, s33);
        }
        int o = o0 + j;
        out[o] = s00;
        out[o + 1] = s01;
        out[o + 2] = s02;
        out[o + 3] = s03;
        o += outStride;
        out[o] = s10;
        out[o + 1] = s11;
        out[o + 2] = s12;
        out[o + 3] = s13;
        o += outStride;
        out[o] = s20;
        out[o + 1] = s21;
        out[o + 2] = s22;
        out[o + 3] = s23;
        o += outStride;
        out[o] = s30;
        out[o + 1] = s31;
        out[o + 2] = s32;
        out[o + 3] = s33;
      }
      for (; j < mRows; j++) {
        int mj = mOff + j * mStride;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int p = 0; p < mCols; p++) {
          double b = m[mj + p];
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
        double s = 0;
        for (int p = 0; p < mCols; p++) {
          s = Math.fma(x[xr + p], m[mj + p], s);
        }
        out[or + j] = s;
      }
    }
  }
}
