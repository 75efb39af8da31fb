package io.github.twolayer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ElementwiseTest {
  // Small integers and halves: every product and sum below is exact in binary, so equality is the test.

  @Test
  void productsWriteOnlyTheirRangeWithTheirWeights() {
    double[] a = {9, 1, 2, 3};
    double[] b = {9, 4, 5, 6};
    double[] out = {7, 7, 7, 7};
    Elementwise.scaledProduct(out, 1, 2, a, 1, b, 1, 2);
    assertThat(out).containsExactly(7, 8, 20, 7);
    // rows 1 and 2 of y rᵀ + r yᵀ with y = a, r = b: ½(1·5 + 2·4), ½(2·6 + 3·5)
    Elementwise.scaledSymmetricProduct(out, 0, 0.5, a, b, 1, 2, 2);
    assertThat(out).containsExactly(6.5, 13.5, 20, 7);
    // row 2 with itself of y yᵀ − ½ p pᵀ with y = a, p = b: 3(2·2 − ½·5·5), 3(3·3 − ½·6·6)
    Elementwise.scaledProductMinusHalf(out, 2, 3, a, b, 2, 2, 2);
    assertThat(out).containsExactly(6.5, 13.5, -25.5, -27);
    Elementwise.subtractFrom(a, 0, out, 0, 2); // 9 − 6.5, 1 − 13.5
    assertThat(out).containsExactly(2.5, -12.5, -25.5, -27);
  }

  @Test
  void foldColumnMaxAbsKeepsTheLargestMagnitudeOfEachColumnFromTheOffset() {
    // 3 rows × 2 columns after a 1-value offset; the value before the offset must not count.
    double[] a = {99, 1, -2, -3, 0.5, -0.0, 4};
    double[] max = {0.25, 5};
    Elementwise.foldColumnMaxAbs(a, 1, 3, 2, max);
    // Column 0: |1|, |−3|, |−0| → 3; column 1 keeps its folded-in 5 over |−2|, |0.5|, |4|.
    assertThat(max).containsExactly(3, 5);
    double[] zero = {0};
    Elementwise.foldColumnMaxAbs(new double[] {-0.0}, 0, 1, 1, zero);
    assertThat(Double.doubleToRawLongBits(zero[0])).as("−0 folds in as +0").isZero();
  }

  @Test
  void columnSumsAndOddMomentsFoldIntoTheirAccumulators() {
    double[] block = {0, 0, 1, -2, 3, 4}; // from offset 2: rows (1, −2) and (3, 4)
    double[] sum = {10, 0};
    double[] sumSq = new double[2];
    Elementwise.foldColumnSums(block, 2, 2, 2, sum, sumSq);
    assertThat(sum).containsExactly(14, 2);
    assertThat(sumSq).containsExactly(10, 20);
    double[] s1 = new double[2];
    double[] s3 = new double[2];
    double[] s6 = new double[2];
    Elementwise.foldOddMoments(block, 2, 2, 2, s1, s3, s6);
    assertThat(s1).containsExactly(4, 2);
    assertThat(s3).containsExactly(28, 56);
    assertThat(s6).containsExactly(730, 4160);
  }

  @Test
  void reluZeroesNegativesAndMinusZeroInItsRangeOnlyAsMathMaxDoes() {
    double[] in = {-1, -2, -0.0, 3, Double.NaN, -Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        -Double.MIN_VALUE, Double.MIN_VALUE, Double.MAX_VALUE};
    double[] a = in.clone();
    Elementwise.relu(a, 1, a.length);
    assertThat(a).containsExactly(-1, 0, 0, 3, Double.NaN, Double.NaN, 0, Double.POSITIVE_INFINITY, 0,
        Double.MIN_VALUE, Double.MAX_VALUE); // entry 0 is outside the range
    assertThat(Double.doubleToRawLongBits(a[2])).as("−0.0 becomes +0.0").isZero();
    assertThat(Double.doubleToRawLongBits(a[8])).as("a negative subnormal becomes +0.0").isZero();
    for (int i = 1; i < a.length; i++) { // bit for bit what Math.max(v, 0.0) gives
      assertThat(Double.doubleToLongBits(a[i])).as("entry %d", i).isEqualTo(Double.doubleToLongBits(Math.max(in[i], 0.0)));
    }
  }
}
