package io.github.twolayer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatricesTest {
  @Test
  void foldColumnMaxAbsKeepsTheLargestMagnitudeOfEachColumnFromTheOffset() {
    // 3 rows × 2 columns after a 1-value offset; the value before the offset must not count.
    double[] a = {99, 1, -2, -3, 0.5, -0.0, 4};
    double[] max = {0.25, 5};
    Matrices.foldColumnMaxAbs(a, 1, 3, 2, max);
    // Column 0: |1|, |−3|, |−0| → 3; column 1 keeps its folded-in 5 over |−2|, |0.5|, |4|.
    assertThat(max).containsExactly(3, 5);
    double[] zero = {0};
    Matrices.foldColumnMaxAbs(new double[] {-0.0}, 0, 1, 1, zero);
    assertThat(Double.doubleToRawLongBits(zero[0])).as("−0 folds in as +0").isZero();
  }
}
