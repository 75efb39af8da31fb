package io.github.twolayer.linalg;

/**
 * The array-level maths of per-column scaling, in one place for every scaling policy (the moments' largest
 * magnitudes, gradient descent's root-mean-square, pretraining's centered spread): a column's size measured
 * without overflow, the multiplier 1/size, powers of two that divide exactly, and the loops that multiply
 * columns. The engines' passes ({@code pass.ColumnRms}, {@code pass.ColumnMoments}, {@code
 * pass.ScaledEngine}) and the in-memory paths call the same loops, so both give the same bits.
 */
public final class ColumnScales {
  private ColumnScales() {}

  /**
   * 1/size per column: 1 for a column of zeros, and the largest finite power of two when 1/size would
   * overflow (size below 2^−1024).
   */
  public static double[] reciprocals(double[] size) {
    double[] s = new double[size.length];
    for (int c = 0; c < size.length; c++) {
      if (size[c] == 0) {
        s[c] = 1;
      } else {
        double r = 1 / size[c];
        s[c] = r < Double.POSITIVE_INFINITY ? r : Math.scalb(1.0, 1023);
      }
    }
    return s;
  }

  /**
   * The root-mean-square of each column of an n×cols row-major array, without overflow for finite values:
   * the column's largest magnitude first, then the mean square of the values divided by it (the two passes
   * an engine makes, on one block holding every row).
   */
  public static double[] rms(double[] rows, int cols) {
    int n = rows.length / Math.max(1, cols);
    double[] max = new double[cols];
    Elementwise.foldColumnMaxAbs(rows, 0, n, cols, max);
    double[] sums = new double[cols];
    foldScaledSquares(rows, 0, n, cols, max, sums);
    return rms(max, sums, n);
  }

  /**
   * Adds (v / max[c])² of every value v of column c of a row-major rows×cols block at {@code off} to {@code
   * into[c]} (columns whose max is 0 add nothing): the second pass of {@link #rms(double[], int)}.
   */
  public static void foldScaledSquares(double[] a, int off, int rows, int cols, double[] max, double[] into) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double v = a[off + r * cols + c];
        if (max[c] > 0) {
          double s = v / max[c];
          into[c] += s * s;
        }
      }
    }
  }

  /** max·√(sums/n) per column, from the two passes' results (0 for a column of zeros or no rows). */
  public static double[] rms(double[] max, double[] sums, long n) {
    double[] out = new double[max.length];
    for (int c = 0; c < max.length; c++) {
      out[c] = max[c] == 0 || n == 0 ? 0 : max[c] * Math.sqrt(sums[c] / n);
    }
    return out;
  }

  /** 2^⌊log₂ v⌋ for v &gt; 0 (exact for subnormals too), 1 for v = 0: a divisor that rounds nothing. */
  public static double powerOfTwoBelow(double v) {
    if (!(v > 0)) {
      return 1;
    }
    return v < Double.MIN_NORMAL ? Double.MIN_VALUE * Math.scalb(1.0, 63 - Long.numberOfLeadingZeros(
        Double.doubleToRawLongBits(v))) : Math.scalb(1.0, Math.getExponent(v));
  }

  /**
   * {@code to[r·cols + c] = from[off + r·cols + c]·s[c]} for a row-major rows×cols block, cols =
   * s.length: the block with its columns multiplied by the scales.
   */
  public static void scaleColumns(double[] from, int off, int rows, double[] s, double[] to) {
    int cols = s.length;
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      int f = off + o;
      for (int c = 0; c < cols; c++) {
        to[o + c] = from[f + c] * s[c];
      }
    }
  }

  /** diag(s)·m for m rows×cols, row-major (a new array). */
  public static double[] scaledRows(double[] m, int rows, int cols, double[] s) {
    double[] out = m.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] *= s[i];
      }
    }
    return out;
  }

  /** m·diag(s) for m rows×cols, row-major (a new array). */
  public static double[] scaledColumns(double[] m, int rows, int cols, double[] s) {
    double[] out = m.clone();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] *= s[j];
      }
    }
    return out;
  }
}
