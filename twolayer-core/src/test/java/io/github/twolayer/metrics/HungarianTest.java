package io.github.twolayer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HungarianTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7})
  void findsTheMinimumOfAllPermutations(int k) {
    Random r = new Random(k);
    for (int trial = 0; trial < 20; trial++) {
      double[][] cost = new double[k][k];
      for (double[] row : cost) {
        for (int j = 0; j < k; j++) {
          row[j] = r.nextDouble();
        }
      }
      int[] a = Hungarian.solve(cost);
      assertThat(a).containsExactlyInAnyOrder(IntStream.range(0, k).toArray());
      // Exhaustive search over k! permutations is the known answer.
      assertThat(total(cost, a)).isCloseTo(bruteForce(cost, new int[k], new boolean[k], 0), within(1e-12));
    }
  }

  static double total(double[][] c, int[] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += c[i][a[i]];
    }
    return s;
  }

  static double bruteForce(double[][] c, int[] perm, boolean[] used, int i) {
    if (i == perm.length) {
      return total(c, perm);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < perm.length; j++) {
      if (!used[j]) {
        used[j] = true;
        perm[i] = j;
        best = Math.min(best, bruteForce(c, perm, used, i + 1));
        used[j] = false;
      }
    }
    return best;
  }
}
