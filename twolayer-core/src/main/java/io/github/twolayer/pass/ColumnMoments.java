package io.github.twolayer.pass;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.ColumnScales;
import java.util.Arrays;

/**
 * The range, mean and root-mean-square about the mean of every input column over an engine's samples:
 * three passes, so that no sum can overflow for finite values and the mean is never subtracted from a
 * sum of squares (the two-pass form, stable for columns whose mean is far larger than their spread).
 * <ol>
 *   <li>each column's least and largest value (exact, in any order of the rows), with the values checked
 *       to be finite;</li>
 *   <li>the sum of x/u, u the power of two at or below the column's largest magnitude (exact division,
 *       each term below 2 in magnitude), so the mean is u·(sum/n);</li>
 *   <li>the sum of ((x − μ)/v)², v the power of two at or below the column's largest distance from μ.</li>
 * </ol>
 * Dividing by powers of two keeps the result exactly proportional to the data: a column multiplied by
 * 2^k has its mean and spread multiplied by 2^k, bit for bit. {@link #of(double[], int)} runs the same
 * passes on an array in memory.
 */
public final class ColumnMoments implements Accumulator<ColumnMoments> {
  private static final long serialVersionUID = 1L;

  private enum Phase {
    RANGE, MEAN, SPREAD
  }

  /**
   * Per column: the least and largest value, the mean and the root-mean-square of x − mean (0 for a
   * column with one value, and every column of no rows).
   */
  public record Moments(double[] min, double[] max, double[] mean, double[] rms) {
    /** True when every row holds the same value in column c. */
    public boolean constant(int c) {
      return !(min[c] < max[c]);
    }

    /** The power of two at or below the column's largest magnitude (1 for a column of zeros). */
    public double unit(int c) {
      return ColumnScales.powerOfTwoBelow(Math.max(Math.abs(min[c]), Math.abs(max[c])));
    }
  }

  private final Phase phase;
  private final int l;
  private final double[] unit;  // MEAN, SPREAD: the divisor of each column's terms
  private final double[] mean;  // SPREAD: the columns' means
  private final double[] a;     // RANGE: least values; MEAN: sums of x/u; SPREAD: sums of squares
  private final double[] b;     // RANGE: largest values
  private long n;

  private ColumnMoments(Phase phase, int d, int l, double[] unit, double[] mean) {
    this.phase = phase;
    this.l = l;
    this.unit = unit;
    this.mean = mean;
    this.a = new double[d];
    this.b = phase == Phase.RANGE ? new double[d] : null;
    if (phase == Phase.RANGE) {
      Arrays.fill(a, Double.POSITIVE_INFINITY);
      Arrays.fill(b, Double.NEGATIVE_INFINITY);
    }
  }

  /** The moments of the input columns of {@code data}: three passes. */
  public static Moments of(Engine data) {
    int d = data.d();
    ColumnMoments range = data.aggregate(new ColumnMoments(Phase.RANGE, d, data.l(), null, null), "column means");
    double[] units = units(range);
    ColumnMoments sums = data.aggregate(new ColumnMoments(Phase.MEAN, d, data.l(), units, null), "column means");
    double[] mean = means(range, sums, units);
    double[] spreadUnits = spreadUnits(range, mean);
    ColumnMoments squares = data.aggregate(new ColumnMoments(Phase.SPREAD, d, data.l(), spreadUnits, mean),
        "column scales");
    return moments(range, mean, spreadUnits, squares);
  }

  /** The moments of the columns of an n×cols row-major array: the same three passes, in memory. */
  public static Moments of(double[] rows, int cols) {
    RowBlock all = new RowBlock(0, rows.length / Math.max(1, cols), rows, 0, new double[0], 0);
    ColumnMoments range = new ColumnMoments(Phase.RANGE, cols, 0, null, null);
    range.accept(all);
    double[] units = units(range);
    ColumnMoments sums = new ColumnMoments(Phase.MEAN, cols, 0, units, null);
    sums.accept(all);
    double[] mean = means(range, sums, units);
    double[] spreadUnits = spreadUnits(range, mean);
    ColumnMoments squares = new ColumnMoments(Phase.SPREAD, cols, 0, spreadUnits, mean);
    squares.accept(all);
    return moments(range, mean, spreadUnits, squares);
  }

  private static double[] units(ColumnMoments range) {
    double[] u = new double[range.a.length];
    for (int c = 0; c < u.length; c++) {
      u[c] = range.n == 0 ? 1 : ColumnScales.powerOfTwoBelow(Math.max(Math.abs(range.a[c]), Math.abs(range.b[c])));
    }
    return u;
  }

  private static double[] means(ColumnMoments range, ColumnMoments sums, double[] units) {
    double[] mean = new double[units.length];
    for (int c = 0; c < mean.length; c++) {
      // A constant column's mean is its value, exactly (n copies of 0.1 do not add up to n·0.1).
      mean[c] = range.n == 0 ? 0 : range.a[c] == range.b[c] ? range.a[c] : sums.a[c] / range.n * units[c];
    }
    return mean;
  }

  private static double[] spreadUnits(ColumnMoments range, double[] mean) {
    double[] v = new double[mean.length];
    for (int c = 0; c < v.length; c++) {
      v[c] = range.n == 0 ? 1 : ColumnScales.powerOfTwoBelow(Math.max(range.b[c] - mean[c], mean[c] - range.a[c]));
    }
    return v;
  }

  private static Moments moments(ColumnMoments range, double[] mean, double[] spreadUnits, ColumnMoments squares) {
    int d = mean.length;
    double[] min = new double[d];
    double[] max = new double[d];
    double[] rms = new double[d];
    for (int c = 0; c < d; c++) {
      boolean none = range.n == 0;
      min[c] = none ? 0 : range.a[c];
      max[c] = none ? 0 : range.b[c];
      rms[c] = none || min[c] == max[c] ? 0 : spreadUnits[c] * Math.sqrt(squares.a[c] / squares.n);
    }
    return new Moments(min, max, mean, rms);
  }

  @Override
  public void accept(RowBlock block) {
    int d = a.length;
    int rows = block.rows();
    double[] x = block.x();
    int off = block.xOffset();
    if (phase == Phase.RANGE) {
      Finite.require(block, d, l);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < d; c++) {
          double v = x[off + r * d + c];
          a[c] = Math.min(a[c], v);
          b[c] = Math.max(b[c], v);
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < d; c++) {
          double v = x[off + r * d + c];
          if (phase == Phase.MEAN) {
            a[c] += v / unit[c];
          } else {
            double s = (v - mean[c]) / unit[c];
            a[c] += s * s;
          }
        }
      }
    }
    n += rows;
  }

  @Override
  public void combine(ColumnMoments o) {
    for (int c = 0; c < a.length; c++) {
      if (phase == Phase.RANGE) {
        a[c] = Math.min(a[c], o.a[c]);
        b[c] = Math.max(b[c], o.b[c]);
      } else {
        a[c] += o.a[c];
      }
    }
    n += o.n;
  }

  @Override
  public ColumnMoments empty() {
    return new ColumnMoments(phase, a.length, l, unit, mean);
  }

  @Override
  public long count() {
    return n;
  }
}
