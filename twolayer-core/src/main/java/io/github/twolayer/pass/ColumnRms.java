package io.github.twolayer.pass;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.ColumnScales;
import io.github.twolayer.linalg.Elementwise;

/**
 * The root-mean-square of every input and output column over an engine's samples, without overflow
 * for any finite values: one pass for each column's largest magnitude, one for the mean square of the
 * values divided by it. {@link ColumnScales#rms(double[], int)} runs the same two passes on an array in memory
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
    return new double[][] {
        ColumnScales.rms(max.x, squares.x, squares.n), ColumnScales.rms(max.y, squares.y, squares.n)};
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
    if (max == null) {
      Elementwise.foldColumnMaxAbs(a, off, rows, into.length, into);
    } else {
      ColumnScales.foldScaledSquares(a, off, rows, into.length, max, into);
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
