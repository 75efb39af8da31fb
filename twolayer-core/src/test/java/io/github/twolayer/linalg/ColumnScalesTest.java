package io.github.twolayer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** The array-level column-scaling maths every scaling policy shares. */
class ColumnScalesTest {
  @Test
  void rootMeanSquareOfHugeAndTinyColumnsNeitherOverflowsNorUnderflows() {
    double[] x = {3e200, 3e-200, 4e200, 4e-200};
    double[] rms = ColumnScales.rms(x, 2);
    // sqrt((9 + 16) / 2) = sqrt(12.5), up to a few roundings of the divisions by the column's largest value.
    assertThat(rms[0]).isCloseTo(Math.sqrt(12.5) * 1e200, Percentage.withPercentage(1e-12));
    assertThat(rms[1]).isCloseTo(Math.sqrt(12.5) * 1e-200, Percentage.withPercentage(1e-12));
    assertThat(ColumnScales.rms(new double[] {0, 0}, 1)).containsExactly(0.0);
  }

  @Test
  void reciprocalsAreOneForAZeroColumnAndFiniteBelowTwoToTheMinus1024() {
    assertThat(ColumnScales.reciprocals(new double[] {0, 0.25, 1e-310}))
        .containsExactly(1, 4, Math.scalb(1.0, 1023));
  }

  @Test
  void powerOfTwoBelowIsExactForNormalAndSubnormalValues() {
    assertThat(ColumnScales.powerOfTwoBelow(3.0)).isEqualTo(2.0);
    assertThat(ColumnScales.powerOfTwoBelow(0.5)).isEqualTo(0.5);
    assertThat(ColumnScales.powerOfTwoBelow(3 * Double.MIN_VALUE)).isEqualTo(2 * Double.MIN_VALUE);
    assertThat(ColumnScales.powerOfTwoBelow(0)).isEqualTo(1.0);
  }

  @Test
  void rowsAndColumnsAreMultipliedByTheirScalesInACopy() {
    double[] m = {1, 2, 3, 4, 5, 6}; // 2×3
    assertThat(ColumnScales.scaledRows(m, 2, 3, new double[] {10, -1})).containsExactly(10, 20, 30, -4, -5, -6);
    assertThat(ColumnScales.scaledColumns(m, 2, 3, new double[] {1, 0, 2})).containsExactly(1, 0, 6, 4, 0, 12);
    double[] to = new double[4];
    ColumnScales.scaleColumns(m, 2, 2, new double[] {3, 0.5}, to); // rows 3 4 | 5 6, from offset 2
    assertThat(to).containsExactly(9, 2, 15, 3);
    assertThat(m).containsExactly(1, 2, 3, 4, 5, 6);
  }
}
