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
    Elementwise.scaledSumOfProducts(out, 0, 0.5, a, 1, b, 1, b, 2, a, 2, 2); // ½(1·4 + 5·2), ½(2·5 + 6·3)
    assertThat(out).containsExactly(7, 14, 20, 7);
    Elementwise.scaledProductMinusHalf(out, 2, 3, a, 2, a, 2, b, 2, b, 2, 2); // 3(2·2 − ½·5·5), 3(3·3 − ½·6·6)
    assertThat(out).containsExactly(7, 14, -25.5, -27);
    Elementwise.subtractFrom(a, 0, out, 0, 2); // 9 − 7, 1 − 14
    assertThat(out).containsExactly(2, -13, -25.5, -27);
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
  void reluZeroesNegativesAndMinusZeroInItsRangeOnly() {
    double[] a = {-1, -2, -0.0, 3, -4};
    Elementwise.relu(a, 1, 4);
    assertThat(a).containsExactly(-1, 0, 0, 3, -4);
    assertThat(Double.doubleToRawLongBits(a[2])).isZero(); // +0.0, not −0.0
  }
}
