package io.github.twolayer.moments;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Accumulator;
import io.github.twolayer.pass.ScaledEngine;
import java.util.Map;

/**
 * Exact per-column rescaling (ours; the method itself is silent on units). The method is equivariant under
 * positive diagonal scalings of the inputs and outputs: with x' = S x and y' = T y (symmetry is kept),
 * the network recovered from (x', y') is W' = W S⁻¹, A' = T A. So twolayer recovers in the scaled
 * coordinates and maps back, and the result does not depend on the columns' units — while in raw
 * units, columns of 1e200 overflow their squares, columns of 1e-160 underflow them, and columns whose
 * scales differ by 1e12 make E[xxᵀ] look singular.
 *
 * <p>The scales bring each column's largest magnitude to 1: nothing can overflow in the sums of
 * squares and fourth powers that follow, and the scaled samples do not depend on the units at all.
 */
final class Standardization {
  /**
   * A column whose largest square holds more than this share of its sum of squares is one value and
   * noise: a corrupted or mis-scaled entry (one 1e300 among values near 1), not data the moments can
   * use. Checked from {@value #MIN_ROWS} rows on; for Gaussian data at n = 10⁴ the share is about 1e-3,
   * for Student-t (df 5) at n = 10⁶ about 1e-4.
   */
  static final double OUTLIER_SHARE = 0.9;

  static final int MIN_ROWS = 100;

  final double[] sx; // multipliers: x' = sx ⊙ x (the arrays of columns)
  final double[] sy; // y' = sy ⊙ y

  private final double[] maxX;
  private final double[] maxY;

  private final ColumnScaling columns;

  private Standardization(ColumnScaling columns, double[] maxX, double[] maxY) {
    this.columns = columns;
    this.sx = columns.sx();
    this.sy = columns.sy();
    this.maxX = maxX;
    this.maxY = maxY;
  }

  /** The scales for columns whose largest magnitudes are {@code maxX}, {@code maxY}. */
  static Standardization of(double[] maxX, double[] maxY) {
    return new Standardization(ColumnScaling.of(maxX, maxY), maxX.clone(), maxY.clone());
  }

  /** The accumulator {@code zero} fed with scaled samples. */
  <A extends Accumulator<A>> ScaledEngine.Scaled<A> wrap(A zero) {
    return new ScaledEngine.Scaled<>(zero, sx, sy);
  }

  /**
   * Largest magnitudes within [1e-75, 1e75] (or zero) in every column: the raw samples' squares, their
   * sums over 2⁶³ rows and the passes' fourth-order products stay far from overflow and underflow, so
   * the passes may read raw samples with the scales folded into their sums and maps.
   */
  boolean foldable() {
    return ordinary(maxX) && ordinary(maxY);
  }

  private static boolean ordinary(double[] max) {
    for (double m : max) {
      if (m != 0 && (m < 1e-75 || m > 1e75)) {
        return false;
      }
    }
    return true;
  }

  /** The raw-units network of one recovered in scaled units: W = W' S, A = T⁻¹ A'. */
  TwoLayerNet mapBack(TwoLayerNet scaled) {
    return columns.mapBack(scaled);
  }

  /**
   * The first column that is one value and noise ({@link #OUTLIER_SHARE}), or −1. {@code sumSq} holds
   * each column's scaled sum of squares.
   */
  static int outlierColumn(double[] max, double[] s, double[] sumSq, long n) {
    if (n < MIN_ROWS) {
      return -1;
    }
    for (int c = 0; c < max.length; c++) {
      double top = max[c] * s[c];
      if (max[c] > 0 && top * top > OUTLIER_SHARE * sumSq[c]) {
        return c;
      }
    }
    return -1;
  }

  /** The refusal of an outlier column, naming the column, the value and its row. */
  static IllegalArgumentException outlier(String name, int column, double value, long row, double share, long n) {
    return new IllegalArgumentException(String.format("%s column %d is one value and noise: %s at row %d holds "
        + "%.0f%% of the column's sum of squares over %d rows, so the moments would see that row only; it is a "
        + "corrupted or mis-scaled entry: repair or remove that row", name, column, value, row, 100 * share, n));
  }

  /** The multipliers applied (1/largest magnitude per column), for the diagnostics. */
  Map<String, Object> report() {
    return columns.report();
  }

  /**
   * The first row whose value in one column has a given magnitude (a second pass, run only to name
   * the row of an outlier in an error message).
   */
  static final class Locate implements Accumulator<Locate> {
    private static final long serialVersionUID = 1L;
    private final boolean output;
    private final int column;
    private final int cols;
    private final double magnitude;
    private long n;
    long row = Long.MAX_VALUE;

    Locate(boolean output, int column, int cols, double magnitude) {
      this.output = output;
      this.column = column;
      this.cols = cols;
      this.magnitude = magnitude;
    }

    @Override
    public void accept(RowBlock b) {
      double[] a = output ? b.y() : b.x();
      int off = output ? b.yOffset() : b.xOffset();
      for (int r = 0; r < b.rows() && row == Long.MAX_VALUE; r++) {
        if (Math.abs(a[off + r * cols + column]) == magnitude) {
          row = b.firstRow() + r;
        }
      }
      n += b.rows();
    }

    @Override
    public void combine(Locate o) {
      row = Math.min(row, o.row);
      n += o.n;
    }

    @Override
    public Locate empty() {
      return new Locate(output, column, cols, magnitude);
    }

    @Override
    public long count() {
      return n;
    }
  }
}
