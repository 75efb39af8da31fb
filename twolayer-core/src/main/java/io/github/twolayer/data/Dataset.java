package io.github.twolayer.data;

import io.github.twolayer.linalg.ColumnScales;
import io.github.twolayer.model.ColumnScaling;
import java.util.Arrays;

/**
 * n samples held in memory: X (n×d) and Y (n×l) as row-major {@code double[]}. Blocks are views, so
 * a pass over a dataset copies nothing.
 */
public final class Dataset implements RowSource {
  private final int n;
  private final int d;
  private final int l;
  private final double[] X;
  private final double[] Y;

  /** Wraps (does not copy) X (n×d) and Y (n×l), row-major. */
  public Dataset(int n, int d, int l, double[] X, double[] Y) {
    if (n <= 0) {
      throw new IllegalArgumentException("dataset has " + n + " rows: it needs at least one sample");
    }
    if (d <= 0 || l < 0) {
      throw new IllegalArgumentException("dataset shape d = " + d + ", l = " + l + " is invalid");
    }
    if (X.length != (long) n * d) {
      throw new IllegalArgumentException("X holds " + X.length + " numbers but n×d = " + (long) n * d);
    }
    if (Y.length != (long) n * l) {
      throw new IllegalArgumentException("Y holds " + Y.length + " numbers but n×l = " + (long) n * l);
    }
    this.n = n;
    this.d = d;
    this.l = l;
    this.X = X;
    this.Y = Y;
  }

  /** Number of samples, as an int. */
  public int size() {
    return n;
  }

  @Override
  public int d() {
    return d;
  }

  @Override
  public int l() {
    return l;
  }

  /** The inputs, row-major n×d (the backing array, not a copy). */
  public double[] X() {
    return X;
  }

  /** The outputs, row-major n×l (the backing array, not a copy). */
  public double[] Y() {
    return Y;
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public String description() {
    return "in-memory dataset (n = " + n + ", d = " + d + ", l = " + l + ")";
  }

  /** Blocks are views of the dataset's own arrays, never rewritten. */
  @Override
  public boolean blocksOutliveNextCall() {
    return true;
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) {
    for (int r = 0; r < n; r += maxRows) {
      int rows = Math.min(maxRows, n - r);
      consumer.accept(new RowBlock(r, rows, X, r * d, Y, r * l));
    }
  }

  /** Rows [from, to) as a new dataset. */
  public Dataset rows(int from, int to) {
    double[] x = Arrays.copyOfRange(X, from * d, to * d);
    double[] y = Arrays.copyOfRange(Y, from * l, to * l);
    return new Dataset(to - from, d, l, x, y);
  }

  /**
   * Scales that give every column root-mean-square 1 (what gradient descent's step sizes and
   * initializations are calibrated for), computed without overflow ({@link ColumnScales#rms(double[], int)}).
   * As with {@link ColumnScaling#of}, x and D x scale to the same numbers up to rounding.
   */
  public ColumnScaling rmsScaling() {
    return new ColumnScaling(rmsScales(X, d), rmsScales(Y, l));
  }

  /** Scales that give every column of an (n×cols, row-major) array of finite values root-mean-square 1. */
  public static double[] rmsScales(double[] rows, int cols) {
    Finite.require(rows, 0, rows.length / Math.max(1, cols), cols, 0, "X");
    return ColumnScales.reciprocals(ColumnScales.rms(rows, cols));
  }

  /** The dataset with its columns multiplied by the scales (a copy). */
  public Dataset scaled(ColumnScaling scaling) {
    double[] x = new double[X.length];
    double[] y = new double[Y.length];
    ColumnScales.scaleColumns(X, 0, n, scaling.sx(), x);
    ColumnScales.scaleColumns(Y, 0, n, scaling.sy(), y);
    return new Dataset(n, d, l, x, y);
  }

  /** Reads every block of a source into memory; the source must have fewer than 2³¹ numbers per array. */
  public static Dataset load(RowSource source) {
    long n = source.n();
    if (n * Math.max(source.d(), source.l()) > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(source.description() + " has " + n + " rows, too many to hold in "
          + "memory as one array; it can still be streamed (recover reads it in blocks)");
    }
    int d = source.d();
    int l = source.l();
    Heap.require(8L * n * (d + l), "holding the " + n + " samples of " + source.description() + " (d = " + d
        + ", l = " + l + ") in memory");
    double[] x = new double[(int) n * d];
    double[] y = new double[(int) n * l];
    source.scan(8192, b -> {
      Finite.require(b, d, l); // train, evaluate and the gradient-descent baseline check here
      System.arraycopy(b.x(), b.xOffset(), x, (int) b.firstRow() * d, b.rows() * d);
      System.arraycopy(b.y(), b.yOffset(), y, (int) b.firstRow() * l, b.rows() * l);
    });
    return new Dataset((int) n, d, l, x, y);
  }
}
