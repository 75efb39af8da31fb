package io.github.twolayer.linalg;

/**
 * The element-by-element loops of the moment passes (the products that form the features q and z of
 * pass 2, the column sums and maxima of pass 1), each its own small method. Small on purpose: the JIT compiles a
 * short loop as soon as it is hot, where the same loop inlined in a long method waits for that method's
 * on-stack replacement, so a pass of a freshly started command runs compiled code sooner. Each writes
 * exactly the arithmetic its callers wrote inline before (same operations in the same order, so the
 * same bits).
 */
public final class Elementwise {
  private Elementwise() {}

  /** {@code out[o+i] = w·a[ia+i]·b[ib+i]} for i &lt; n (the product (w·a)·b, in that order). */
  public static void scaledProduct(double[] out, int o, double w, double[] a, int ia, double[] b, int ib, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = w * a[ia + i] * b[ib + i];
    }
  }

  /** {@code out[o+i] = w·(a[ia+i]·b[ib+i] + c[ic+i]·e[ie+i])} for i &lt; n. */
  public static void scaledSumOfProducts(double[] out, int o, double w, double[] a, int ia, double[] b, int ib,
      double[] c, int ic, double[] e, int ie, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = w * (a[ia + i] * b[ib + i] + c[ic + i] * e[ie + i]);
    }
  }

  /**
   * {@link #scaledProduct} for {@code rows} rows j of b and out, {@code s} apart, against one row of a:
   * {@code out[o+j·s+i] = (w·a[ia+i])·b[ib+j·s+i]}. Four rows per sweep over i, so a's value is loaded
   * and weighted once for four products (under the client compiler 35% faster than a row at a time).
   */
  public static void scaledProducts(double[] out, int o, int s, int rows, double w, double[] a, int ia, double[] b,
      int ib, int n) {
    int j = 0;
    for (; j + 4 <= rows; j += 4) {
      int o0 = o + j * s;
      int o1 = o0 + s;
      int o2 = o1 + s;
      int o3 = o2 + s;
      int b0 = ib + j * s;
      int b1 = b0 + s;
      int b2 = b1 + s;
      int b3 = b2 + s;
      for (int i = 0; i < n; i++) {
        double v = w * a[ia + i];
        out[o0 + i] = v * b[b0 + i];
        out[o1 + i] = v * b[b1 + i];
        out[o2 + i] = v * b[b2 + i];
        out[o3 + i] = v * b[b3 + i];
      }
    }
    for (; j < rows; j++) {
      scaledProduct(out, o + j * s, w, a, ia, b, ib + j * s, n);
    }
  }

  /**
   * {@link #scaledSumOfProducts} for {@code rows} rows j of b, c and out, {@code s} apart, against one
   * row each of a and e: {@code out[o+j·s+i] = w·(a[ia+i]·b[ib+j·s+i] + c[ic+j·s+i]·e[ie+i])}, four rows
   * per sweep over i (a's and e's values loaded once for four rows: 28% faster under the client compiler).
   */
  public static void scaledSumsOfProducts(double[] out, int o, int s, int rows, double w, double[] a, int ia,
      double[] b, int ib, double[] c, int ic, double[] e, int ie, int n) {
    int j = 0;
    for (; j + 4 <= rows; j += 4) {
      int o0 = o + j * s;
      int o1 = o0 + s;
      int o2 = o1 + s;
      int o3 = o2 + s;
      int b0 = ib + j * s;
      int b1 = b0 + s;
      int b2 = b1 + s;
      int b3 = b2 + s;
      int c0 = ic + j * s;
      int c1 = c0 + s;
      int c2 = c1 + s;
      int c3 = c2 + s;
      for (int i = 0; i < n; i++) {
        double u = a[ia + i];
        double v = e[ie + i];
        out[o0 + i] = w * (u * b[b0 + i] + c[c0 + i] * v);
        out[o1 + i] = w * (u * b[b1 + i] + c[c1 + i] * v);
        out[o2 + i] = w * (u * b[b2 + i] + c[c2 + i] * v);
        out[o3 + i] = w * (u * b[b3 + i] + c[c3 + i] * v);
      }
    }
    for (; j < rows; j++) {
      scaledSumOfProducts(out, o + j * s, w, a, ia, b, ib + j * s, c, ic + j * s, e, ie, n);
    }
  }

  /** {@code out[o+i] = w·(a[ia+i]·b[ib+i] − ½·c[ic+i]·e[ie+i])} for i &lt; n. */
  public static void scaledProductMinusHalf(double[] out, int o, double w, double[] a, int ia, double[] b, int ib,
      double[] c, int ic, double[] e, int ie, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = w * (a[ia + i] * b[ib + i] - 0.5 * c[ic + i] * e[ie + i]);
    }
  }

  /** {@code out[o+i] = a[ia+i] − out[o+i]} for i &lt; n. */
  public static void subtractFrom(double[] a, int ia, double[] out, int o, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = a[ia + i] - out[o + i];
    }
  }

  /**
   * Folds the largest magnitude of each column of a row-major block into {@code max}. A compare and a
   * store only when larger, not {@code Math.max}: C2 on JDK 17 compiles the latter's NaN and −0 rules
   * into branches (measured 3–4× slower on a 4096×50 block, a tenth of pass 1), and once the maxima have
   * settled the store is almost never taken (20% faster than a compare and select, under either
   * compiler). The callers check finiteness elsewhere, so a NaN is never folded in unnoticed.
   */
  public static void foldColumnMaxAbs(double[] a, int off, int rows, int cols, double[] max) {
    for (int r = 0; r < rows; r++) {
      int o = off + r * cols;
      for (int c = 0; c < cols; c++) {
        double v = Math.abs(a[o + c]);
        if (v > max[c]) {
          max[c] = v;
        }
      }
    }
  }

  /** Adds each column's sum and sum of squares of a row-major rows×cols block at {@code off}. */
  public static void foldColumnSums(double[] a, int off, int rows, int cols, double[] sum, double[] sumSq) {
    for (int r = 0; r < rows; r++) {
      int o = off + r * cols;
      for (int c = 0; c < cols; c++) {
        double v = a[o + c];
        sum[c] += v;
        sumSq[c] += v * v;
      }
    }
  }

  /** Adds each column's Σv, Σv³ and Σv⁶ (v³·v³) of a row-major rows×cols block at {@code off}. */
  public static void foldOddMoments(double[] a, int off, int rows, int cols, double[] sum, double[] sumCubes,
      double[] sumSixth) {
    for (int r = 0; r < rows; r++) {
      int o = off + r * cols;
      for (int c = 0; c < cols; c++) {
        double v = a[o + c];
        double v3 = v * v * v;
        sum[c] += v;
        sumCubes[c] += v3;
        sumSixth[c] += v3 * v3;
      }
    }
  }

  /**
   * {@code a[i] = max(a[i], +0)} for i in [from, to): negatives and −0.0 become +0.0, NaN stays NaN, as
   * {@code Math.max(v, 0.0)}. By the sign bit (a value whose sign bit is set keeps no bits), with no
   * data-dependent branch: under the launcher's client compiler {@code Math.max} is a call per value
   * and a compare mispredicts on half of random signs (measured 14 and 7 ns a value, against 4.7 here;
   * under C2 this is 2.2 ns against a vectorized 0.8, a few milliseconds on any call made).
   */
  public static void relu(double[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = a[i];
      long bits = Double.doubleToRawLongBits(v);
      a[i] = v != v ? v : Double.longBitsToDouble(bits & ~(bits >> 63));
    }
  }
}
