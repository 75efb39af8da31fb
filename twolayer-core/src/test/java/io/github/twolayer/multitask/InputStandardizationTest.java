package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.ColumnMoments;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import java.util.Random;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** Centering and scaling input columns, and the exact map of a layer back to raw units. */
class InputStandardizationTest {
  static final int D = 4;

  /** Columns of other offsets and units: 1000 + N(0, 1), 1e-3·N(0, 1), N(5, 4), 0.1 in every row. */
  static double[] columns(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n * D];
    for (int i = 0; i < n; i++) {
      x[i * D] = 1000 + r.nextGaussian();
      x[i * D + 1] = 1e-3 * r.nextGaussian();
      x[i * D + 2] = 5 + 2 * r.nextGaussian();
      x[i * D + 3] = 0.1;
    }
    return x;
  }

  @Test
  void standardizedColumnsHaveMeanZeroAndRootMeanSquareOne() {
    int n = 5000;
    double[] x = columns(n, 1);
    InputStandardization z = InputStandardization.of(x, D);
    double[] out = new double[x.length];
    for (int i = 0; i < n; i++) {
      z.standardize(x, i * D, out, i * D);
    }
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        sum += out[i * D + c];
        squares += out[i * D + c] * out[i * D + c];
      }
      // Exact moments of the same rows: only rounding is left (the offset 1000 costs 1e-13 relative).
      assertThat(Math.abs(sum / n)).as("column %d", c).isLessThan(1e-10);
      assertThat(Math.sqrt(squares / n)).as("column %d", c).isCloseTo(1, Offset.offset(1e-10));
    }
    // The constant column: its value as the mean (n copies of 0.1 do not add up to n·0.1), scale 0, x' = 0.
    assertThat(z.mean()[3]).isEqualTo(0.1);
    assertThat(z.scale()[3]).isZero();
    assertThat(z.constantColumns()).containsExactly(3);
    for (int i = 0; i < n; i++) {
      assertThat(out[i * D + 3]).isZero();
    }
  }

  @Test
  void aLayerOnStandardizedInputsMapsBackToTheSameUnitsOnRawInputs() {
    int n = 200;
    double[] x = columns(n, 2);
    InputStandardization z = InputStandardization.of(x, D);
    Random r = new Random(3);
    int m = 6;
    double[] w = new double[m * D];
    double[] c = new double[m];
    for (int e = 0; e < w.length; e++) {
      w[e] = r.nextGaussian();
    }
    for (int j = 0; j < m; j++) {
      c[j] = r.nextGaussian();
    }
    TwoLayerNet standardized = new TwoLayerNet(D, m, 0, w, null, c);
    TwoLayerNet raw = z.mapBack(standardized);
    double[] xs = new double[x.length];
    for (int i = 0; i < n; i++) {
      z.standardize(x, i * D, xs, i * D);
    }
    double[] expected = new double[n * m];
    double[] actual = new double[n * m];
    standardized.hidden(xs, 0, n, expected, Blas.Choice.AUTO.implementation());
    raw.hidden(x, 0, n, actual, Blas.Choice.AUTO.implementation());
    // W x + (c − W μ) against W'(x − μ)s + c: the offset 1000 is subtracted after the product instead of
    // before, which costs |w|·1000·2^-53 ≈ 1e-12 absolute on activations of order 1.
    for (int e = 0; e < actual.length; e++) {
      assertThat(actual[e]).isCloseTo(expected[e], Offset.offset(1e-9));
    }
    // The constant column is ignored: its column of W is 0 in raw units.
    for (int j = 0; j < m; j++) {
      assertThat(raw.W()[j * D + 3]).isZero();
    }
    // A layer without biases gains the bias −W μ: centering is part of the map.
    assertThat(z.mapBack(TwoLayerNet.of(D, m, 0, w, null)).bias()).isNotNull();
  }

  @Test
  void powerOfTwoUnitsGiveTheSameStandardizedRowsAndHashKeysBitForBit() {
    int n = 300;
    double[] x = columns(n, 4);
    double[] units = {0x1p-400, 0x1p300, 0x1p-3, 0x1p70};
    double[] y = x.clone();
    for (int i = 0; i < y.length; i++) {
      y[i] *= units[i % D];
    }
    InputStandardization a = InputStandardization.of(x, D);
    InputStandardization b = InputStandardization.of(y, D);
    double[] ra = new double[D];
    double[] rb = new double[D];
    double[] ka = new double[D];
    double[] kb = new double[D];
    for (int i = 0; i < n; i++) {
      a.standardize(x, i * D, ra, 0);
      b.standardize(y, i * D, rb, 0);
      assertThat(rb).containsExactly(ra);
      a.hashKey(x, i * D, ka);
      b.hashKey(y, i * D, kb);
      assertThat(kb).containsExactly(ka);
    }
  }

  @Test
  void columnsOfExtremeSizeHaveFiniteMoments() {
    // Squares of 1e200 overflow; dividing by powers of two first keeps every sum finite.
    double[] x = {1e200, -1e-200, 3e200, 1e-200, 2e200, 3e-200};
    ColumnMoments.Moments m = ColumnMoments.of(x, 2);
    assertThat(m.mean()[0]).isCloseTo(2e200, Percentage.withPercentage(1e-12));
    assertThat(m.rms()[0]).isCloseTo(Math.sqrt(2.0 / 3) * 1e200, Percentage.withPercentage(1e-12));
    assertThat(m.mean()[1]).isCloseTo(1e-200, Percentage.withPercentage(1e-12));
    assertThat(m.rms()[1]).isCloseTo(Math.sqrt(8.0 / 3) * 1e-200, Percentage.withPercentage(1e-12));
  }

  @Test
  void passesOfAnEngineGiveTheMomentsOfTheArrayForAnyThreadCount() {
    int n = 20_000;
    double[] x = columns(n, 5);
    Dataset data = new Dataset(n, D, 1, x, new double[n]);
    ColumnMoments.Moments inMemory = ColumnMoments.of(x, D);
    ColumnMoments.Moments one;
    ColumnMoments.Moments three;
    try (LocalEngine e1 = new LocalEngine(data, 1, 512, Progress.NONE);
        LocalEngine e3 = new LocalEngine(data, 3, 512, Progress.NONE)) {
      one = ColumnMoments.of(e1);
      three = ColumnMoments.of(e3);
    }
    // The engine's slots fix the order of its sums: the same bits for any number of threads.
    assertThat(three.mean()).containsExactly(one.mean());
    assertThat(three.rms()).containsExactly(one.rms());
    // Another order than the array's single sum: equal up to rounding (2e4 terms: ~1e-12 relative).
    for (int c = 0; c < D; c++) {
      assertThat(one.mean()[c]).isCloseTo(inMemory.mean()[c], Offset.offset(
          1e-12 * Math.abs(inMemory.mean()[c]) + 1e-300));
      assertThat(one.rms()[c]).isCloseTo(inMemory.rms()[c], Offset.offset(
          1e-12 * inMemory.rms()[c] + 1e-300));
    }
    assertThat(one.min()).containsExactly(inMemory.min());
    assertThat(one.max()).containsExactly(inMemory.max());
  }

  @Test
  void unitRowsKeepTheFunctionOfALayerWithBiases() {
    Random r = new Random(6);
    int m = 5;
    double[] w = new double[m * D];
    double[] a = new double[2 * m];
    double[] c = new double[m];
    for (int e = 0; e < w.length; e++) {
      w[e] = 10 * r.nextGaussian();
    }
    for (int e = 0; e < a.length; e++) {
      a[e] = r.nextGaussian();
    }
    for (int j = 0; j < m; j++) {
      c[j] = 5 * r.nextGaussian();
    }
    TwoLayerNet net = new TwoLayerNet(D, m, 2, w, a, c);
    TwoLayerNet unit = net.withUnitRows();
    double[] x = new double[50 * D];
    for (int e = 0; e < x.length; e++) {
      x[e] = r.nextGaussian();
    }
    double[] before = net.predict(x, 0, 50);
    double[] after = unit.predict(x, 0, 50);
    for (int e = 0; e < before.length; e++) {
      // Rescaling is exact up to a few roundings per unit of outputs of order 10.
      assertThat(after[e]).isCloseTo(before[e], Offset.offset(1e-12));
    }
    assertThat(Math.sqrt(IntStream.range(0, D).mapToDouble(p -> unit.w(0, p) * unit.w(0, p)).sum()))
        .isCloseTo(1, Offset.offset(1e-15));
  }
}
