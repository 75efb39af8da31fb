package io.github.twolayer.linalg;

/**
 * The element-by-element loops of the moment passes (the products that form the features q and z of
 * pass 2, the column sums and maxima of pass 1) and of the hidden layer, each its own small method: the
 * JIT compiles a short loop as soon as it is hot, where the same loop inside a long method waits for
 * that method's on-stack replacement, so a freshly started command runs compiled code sooner.
 */
public final class Elementwise {
  private Elementwise() {}

  /** {@code out[o+i] = w·a[ia+i]·b[ib+i]} for i &lt; n (the product (w·a)·b, in that order). */
  public static void scaledProduct(double[] out, int o, double w, double[] a, int ia, double[] b, int ib, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = w * a[ia + i] * b[ib + i];
    }
  }

  /**
   * {@code out[o+i] = w·(y[ia+i]·r[ic+i] + y[ic+i]·r[ia+i])} for i &lt; n: rows a and c of the
   * symmetrized product y rᵀ + r yᵀ, for features held as rows (ia and ic the rows' offsets).
   */
  public static void scaledSymmetricProduct(double[] out, int o, double w, double[] y, double[] r, int ia, int ic,
      int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = w * (y[ia + i] * r[ic + i] + y[ic + i] * r[ia + i]);
    }
  }

  /**
   * {@code out[o+i] = w·(y[ia+i]·y[ic+i] − ½·p[ia+i]·p[ic+i])} for i &lt; n: rows a and c of
   * y yᵀ − ½ p pᵀ, for features held as rows.
   */
  public static void scaledProductMinusHalf(double[] out, int o, double w, double[] y, double[] p, int ia, int ic,
      int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = w * (y[ia + i] * y[ic + i] - 0.5 * p[ia + i] * p[ic + i]);
    }
  }

  /** {@code out[o+i] = a[ia+i] − out[o+i]} for i &lt; n. */
  public static void subtractFrom(double[] a, int ia, double[] out, int o, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = a[ia + i] - out[o + i];
    }
  }

  /**
   * Folds the largest magnitude of each column of a row-major block into {@code max}: a compare and a
   * store only when larger, which once the maxima have settled is almost never taken (faster than
   * {@code Math.max} here; docs/performance.md). A NaN is never larger, so it is not folded in; the
   * callers check finiteness themselves.
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
   * {@code Math.max(v, 0.0)}, by the sign bit (a value whose sign bit is set keeps no bits). Under the
   * client compiler that the launcher uses for recover, {@code Math.max} is a call per value (4× slower
   * here; 3–4% of a whole recover command); under C2 this form costs about 0.5 ns a value more
   * (docs/performance.md, "Element-wise loops").
   */
  public static void relu(double[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      double v = a[i];
      long bits = Double.doubleToRawLongBits(v);
      a[i] = v != v ? v : Double.longBitsToDouble(bits & ~(bits >> 63));
    }
  }
}
