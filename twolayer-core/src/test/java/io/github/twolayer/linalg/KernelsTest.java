package io.github.twolayer.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelsTest {

  @ParameterizedTest(name = "rows={0} u={1} v={2}")
  @CsvSource({"1,1,1", "3,5,7", "4,4,4", "17,9,13", "1000,55,200"})
  void outerProductSumsMatchTheNaiveTripleLoop(int rows, int uCols, int vCols) {
    Random r = new Random(rows * 31L + uCols);
    double[] u = gaussian(r, rows * uCols);
    double[] v = gaussian(r, rows * vCols);
    double[] c = gaussian(r, uCols * vCols);
    double[] expected = c.clone();
    for (int j = 0; j < uCols; j++) {
      for (int i = 0; i < vCols; i++) {
        for (int s = 0; s < rows; s++) {
          expected[j * vCols + i] += u[s * uCols + j] * v[s * vCols + i];
        }
      }
    }
    try (Parallel p = new Parallel(2)) {
      new TiledProducts(p).accumulateOuterProducts(u, 0, uCols, uCols, v, 0, vCols, vCols, rows, c, vCols);
    }
    // Sums of `rows` products of unit Gaussians in another order: rounding differs by ~rows·1e-16·|terms|.
    for (int e = 0; e < c.length; e++) {
      assertThat(c[e]).isCloseTo(expected[e], within(1e-12 * (rows + 1) * 10));
    }
  }

  @ParameterizedTest(name = "threads={0}")
  @CsvSource({"1", "2", "3", "7"})
  void resultsAreTheSameBitsForAnyThreadCount(int threads) {
    Random r = new Random(5);
    int rows = 513;
    int uCols = 57;
    int vCols = 300;
    double[] u = gaussian(r, rows * uCols);
    double[] v = gaussian(r, rows * vCols);
    double[] single = new double[uCols * vCols];
    double[] multi = new double[uCols * vCols];
    try (Parallel one = new Parallel(1); Parallel many = new Parallel(threads)) {
      new TiledProducts(one).accumulateOuterProducts(u, 0, uCols, uCols, v, 0, vCols, vCols, rows, single, vCols);
      new TiledProducts(many).accumulateOuterProducts(u, 0, uCols, uCols, v, 0, vCols, vCols, rows, multi, vCols);
    }
    assertThat(multi).containsExactly(single);
  }

  @ParameterizedTest(name = "offsets {0},{1}")
  @CsvSource({"0,0", "6,10"})
  void multiplyByTransposeMapsEachRow(int xOff, int outOff) {
    Random r = new Random(2);
    int rows = 5;
    int cols = 3;
    int mRows = 4;
    double[] x = gaussian(r, xOff + rows * cols);
    double[] m = gaussian(r, mRows * cols);
    double[] out = new double[outOff + rows * mRows];
    Kernels.multiplyByTranspose(x, xOff, cols, rows, m, mRows, cols, out, outOff, mRows);
    for (int s = 0; s < rows; s++) {
      for (int j = 0; j < mRows; j++) {
        double e = 0;
        for (int p = 0; p < cols; p++) {
          e += x[xOff + s * cols + p] * m[j * cols + p];
        }
        assertThat(out[outOff + s * mRows + j]).isCloseTo(e, within(1e-14));
      }
    }
  }

  static double[] gaussian(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }
}
