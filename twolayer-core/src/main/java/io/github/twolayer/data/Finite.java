package io.github.twolayer.data;

/**
 * The one input check every algorithm shares: no NaN or ±∞ among the samples, with a message that
 * names the array, the row and the column, whichever command or engine read them.
 */
public final class Finite {
  private Finite() {}

  /** Throws naming the first non-finite value of a block's X, then of its Y. */
  public static void require(RowBlock b, int d, int l) {
    require(b.x(), b.xOffset(), b.rows(), d, b.firstRow(), "X");
    require(b.y(), b.yOffset(), b.rows(), l, b.firstRow(), "Y");
  }

  /**
   * Throws naming the first non-finite value among {@code rows × cols} numbers stored row-major from
   * {@code off}, rows numbered from {@code firstRow}.
   */
  public static void require(double[] a, int off, int rows, int cols, long firstRow, String name) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double v = a[off + r * cols + c];
        if (!Double.isFinite(v)) {
          throw nonFinite(name, v, firstRow + r, c);
        }
      }
    }
  }

  /** The message for a NaN or ±∞ in {@code name} at (row, column). */
  public static IllegalArgumentException nonFinite(String name, double v, long row, int column) {
    return new IllegalArgumentException(name + " has a non-finite value (" + v + ") at row " + row + ", column "
        + column + " (both counted from 0); remove or repair that row");
  }
}
