package io.github.twolayer.pass;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowBlock;

/**
 * The root-mean-square of every input and output column over an engine's samples, without overflow
 * for any finite values: one pass for each column's largest magnitude, one for the mean square of the
 * values divided by it. {@link #of(double[], int)} runs the same two passes on an array in memory
 * (ColumnScaling's root-mean-square scales).
 */
public final class ColumnRms implements Accumulator<ColumnRms> {
  private static final long serialVersionUID = 1L;
  private final double[] maxX; // null in the first pass
  private final double[] maxY;
  private final double[] x; // largest magnitudes (first pass) or sums of squares over them (second)
  private final double[] y;
  private long n;

  private ColumnRms(int d, int l, double[] maxX, double[] maxY) {
    this.maxX = maxX;
    this.maxY = maxY;
    this.x = new double[d];
    this.y = new double[l];
  }

  /** {rms of X's columns, rms of Y's columns}. */
  public static double[][] of(Engine data) {
    int d = data.d();
    int l = data.l();
    ColumnRms max = data.aggregate(new ColumnRms(d, l, null, null), "column scales");
    ColumnRms squares = data.aggregate(new ColumnRms(d, l, max.x, max.y), "column scales");
    return new double[][] {rms(max.x, squares.x, squares.n), rms(max.y, squares.y, squares.n)};
  }

  /** The root-mean-square of each column of an n×cols row-major array: the same two passes, in memory. */
  public static double[] of(double[] rows, int cols) {
    RowBlock all = new RowBlock(0, rows.length / Math.max(1, cols), rows, 0, new double[0], 0);
    ColumnRms max = new ColumnRms(cols, 0, null, null);
    max.accept(all);
    ColumnRms squares = new ColumnRms(cols, 0, max.x, max.y);
    squares.accept(all);
    return rms(max.x, squares.x, squares.n);
  }

  private static double[] rms(double[] max, double[] sums, long n) {
    double[] out = new double[max.length];
    for (int c = 0; c < max.length; c++) {
      out[c] = max[c] == 0 || n == 0 ? 0 : max[c] * Math.sqrt(sums[c] / n);
    }
    return out;
  }

  @Override
  public void accept(RowBlock b) {
    if (maxX == null) { // the first pass; the second sees the same values
      Finite.require(b, x.length, y.length);
    }
    add(b.x(), b.xOffset(), b.rows(), x, maxX);
    add(b.y(), b.yOffset(), b.rows(), y, maxY);
    n += b.rows();
  }

  private static void add(double[] a, int off, int rows, double[] into, double[] max) {
    int cols = into.length;
    if (max == null) {
      io.github.twolayer.linalg.Elementwise.foldColumnMaxAbs(a, off, rows, cols, into);
      return;
    }
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

  @Override
  public void combine(ColumnRms o) {
    for (int c = 0; c < x.length; c++) {
      x[c] = maxX == null ? Math.max(x[c], o.x[c]) : x[c] + o.x[c];
    }
    for (int c = 0; c < y.length; c++) {
      y[c] = maxY == null ? Math.max(y[c], o.y[c]) : y[c] + o.y[c];
    }
    n += o.n;
  }

  @Override
  public ColumnRms empty() {
    return new ColumnRms(x.length, y.length, maxX, maxY);
  }

  @Override
  public long count() {
    return n;
  }
}
