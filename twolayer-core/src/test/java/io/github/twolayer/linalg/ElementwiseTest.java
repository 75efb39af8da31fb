package io.github.twolayer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
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
    // 3(2·2 − ½·5·5), 3(3·3 − ½·6·6)
    Elementwise.scaledProductMinusHalf(out, 2, 3, a, 2, a, 2, b, 2, b, 2, 2);
    assertThat(out).containsExactly(7, 14, -25.5, -27);
    Elementwise.subtractFrom(a, 0, out, 0, 2); // 9 − 7, 1 − 14
    assertThat(out).containsExactly(2, -13, -25.5, -27);
  }

  /** The four-rows-at-a-time forms give the bits of one row at a time, for every count of rows and remainder. */
  @Test
  void multiRowFormsMatchTheRowByRowBitForBit() {
    Random r = new Random(5);
    int n = 37;
    int s = 41; // rows 41 apart: 4 spare entries between them, which must stay untouched
    double[] a = r.doubles(3 + n).toArray();
    double[] e = r.doubles(2 + n).toArray();
    double[] b = r.doubles(9 * s + 5).toArray();
    double[] c = r.doubles(9 * s + 7).toArray();
    for (int rows = 0; rows <= 9; rows++) {
      double[] many = new double[1 + 9 * s];
      double[] one = new double[1 + 9 * s];
      Arrays.fill(many, -1);
      Arrays.fill(one, -1);
      Elementwise.scaledProducts(many, 1, s, rows, 1.5, a, 3, b, 5, n);
      for (int j = 0; j < rows; j++) {
        Elementwise.scaledProduct(one, 1 + j * s, 1.5, a, 3, b, 5 + j * s, n);
      }
      assertThat(many).as("products, %d rows", rows).isEqualTo(one);
      Elementwise.scaledSumsOfProducts(many, 1, s, rows, 0.7, a, 3, b, 5, c, 7, e, 2, n);
      for (int j = 0; j < rows; j++) {
        Elementwise.scaledSumOfProducts(one, 1 + j * s, 0.7, a, 3, b, 5 + j * s, c, 7 + j * s, e, 2, n);
      }
      assertThat(many).as("sums of products, %d rows", rows).isEqualTo(one);
      assertThat(many[0]).isEqualTo(-1);
      if (rows > 0) {
        assertThat(many[1 + n]).isEqualTo(-1); // the gap after the first row
      }
    }
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
  void reluZeroesNegativesAndMinusZeroInItsRangeOnly() {
    double[] a = {-1, -2, -0.0, 3, -4, Double.NaN, -Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE};
    double[] expected = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      expected[i] = Math.max(a[i], 0.0);
    }
    Elementwise.relu(a, 1, a.length);
    assertThat(a[0]).isEqualTo(-1); // outside the range
    for (int i = 1; i < a.length; i++) { // bit for bit Math.max(v, 0.0), NaN, ±0 and the extremes included
      assertThat(Double.doubleToLongBits(a[i])).as("entry %d", i).isEqualTo(Double.doubleToLongBits(expected[i]));
    }
    assertThat(Double.doubleToRawLongBits(a[2])).isZero(); // +0.0, not −0.0
  }
}
