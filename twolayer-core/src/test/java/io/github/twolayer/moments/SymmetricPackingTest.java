package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricPackingTest {

  static double[] randomSymmetric(Random r, int n) {
    double[] m = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        m[i * n + j] = m[j * n + i] = r.nextGaussian();
      }
    }
    return m;
  }

  @Test
  void packedInnerProductIsTheFrobeniusInnerProduct() {
    Random r = new Random(1);
    int n = 6;
    double[] a = randomSymmetric(r, n);
    double[] b = randomSymmetric(r, n);
    double frobenius = 0;
    for (int e = 0; e < n * n; e++) {
      frobenius += a[e] * b[e];
    }
    double packed = 0;
    double[] pa = SymmetricPacking.pack(a, n);
    double[] pb = SymmetricPacking.pack(b, n);
    for (int e = 0; e < pa.length; e++) {
      packed += pa[e] * pb[e];
    }
    assertThat(pa).hasSize(21);
    // Both sums hold the same 36 products up to the √2·√2 = 2 rounding: agreement to ~1e-14.
    assertThat(packed).isCloseTo(frobenius, within(1e-13));
  }

  @Test
  void unpackInvertsPack() {
    Random r = new Random(2);
    int n = 5;
    double[] m = randomSymmetric(r, n);
    double[] back = SymmetricPacking.unpack(SymmetricPacking.pack(m, n), n);
    for (int e = 0; e < n * n; e++) {
      assertThat(back[e]).isCloseTo(m[e], within(1e-15));
    }
  }
}
