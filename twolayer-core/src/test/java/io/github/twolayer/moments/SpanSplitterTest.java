package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.linalg.Matrices;
import java.util.Random;
import org.apache.commons.rng.simple.RandomSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SpanSplitterTest {

  /** An exact span {B D Bᵀ : D diagonal} (B = A'⁻ᵀ), given by an orthonormal basis mixing the k generators. */
  static double[][] exactSpan(double[] b, int k, Random r) {
    double[][] generators = new double[k][];
    for (int i = 0; i < k; i++) {
      double[] g = new double[k * k];
      for (int p = 0; p < k; p++) {
        for (int q = 0; q < k; q++) {
          g[p * k + q] = b[p * k + i] * b[q * k + i];
        }
      }
      generators[i] = g;
    }
    double[] mix = Matrices.randomOrthogonal(RandomSource.XO_RO_SHI_RO_128_PP.create(r.nextLong()), k, k);
    double[][] spans = new double[k][];
    for (int j = 0; j < k; j++) {
      double[] s = new double[k * k];
      for (int i = 0; i < k; i++) {
        for (int e = 0; e < k * k; e++) {
          s[e] += mix[i * k + j] * generators[i][e];
        }
      }
      spans[j] = s;
    }
    return spans;
  }

  static double[] gaussianMatrix(Random r, int k) {
    double[] b = new double[k * k];
    for (int e = 0; e < b.length; e++) {
      b[e] = r.nextGaussian();
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(SpanSplitter.Method.class)
  void splitsAnExactSpanIntoItsGeneratingDirections(SpanSplitter.Method method) {
    Random r = new Random(11);
    int k = 6;
    double[] b = gaussianMatrix(r, k);
    SpanSplitter.Split split = SpanSplitter.split(exactSpan(b, k, r), k, method,
        RandomSource.XO_RO_SHI_RO_128_PP.create(1));
    assertThat(split.method()).isEqualTo(method);
    // An exact span: every centering of the barrier reaches its tolerance (random pairs do not run it).
    assertThat(split.barrierExit()).isEqualTo(method == SpanSplitter.Method.JOINT_DIAGONALIZATION
        ? SpanSplitter.BarrierExit.CONVERGED : SpanSplitter.BarrierExit.NOT_RUN);
    // Each detector must be parallel to one column of B: |cos| = 1 up to the rounding of k×k
    // eigen/Jacobi computations on matrices of condition ~1e2 (1e-8 leaves a wide margin).
    double[] u = split.detectors();
    boolean[] used = new boolean[k];
    for (int i = 0; i < k; i++) {
      int best = -1;
      double bestCos = 0;
      for (int j = 0; j < k; j++) {
        double dot = 0, nb = 0;
        for (int p = 0; p < k; p++) {
          dot += u[p * k + i] * b[p * k + j];
          nb += b[p * k + j] * b[p * k + j];
        }
        double cos = Math.abs(dot) / Math.sqrt(nb);
        if (cos > bestCos) {
          bestCos = cos;
          best = j;
        }
      }
      assertThat(bestCos).isGreaterThan(1 - 1e-8);
      assertThat(used[best]).isFalse();
      used[best] = true;
    }
    if (method == SpanSplitter.Method.JOINT_DIAGONALIZATION) {
      assertThat(split.minEigenvalue()).isPositive();
      assertThat(split.offDiagonalResidual()).isLessThan(1e-8);
    }
  }

  @ParameterizedTest
  @EnumSource(value = SpanSplitter.Method.class, names = "JOINT_DIAGONALIZATION")
  void theBestElementIsPositiveDefiniteAndDoesNotDependOnTheBasis(SpanSplitter.Method unused) {
    int k = 4;
    double[] b = gaussianMatrix(new Random(4), k);
    // Two different orthonormal bases of the same span must give the same maximizing element
    // (the optimum of a strictly concave problem is unique); the barrier stops within ~1e-8 of it.
    double[][] s1 = exactSpan(b, k, new Random(1));
    double[][] s2 = exactSpan(b, k, new Random(2));
    double[] m1 = SpanSplitter.combine(s1, SpanSplitter.maxMinEigenvalueCombination(s1, k).c(), k);
    double[] m2 = SpanSplitter.combine(s2, SpanSplitter.maxMinEigenvalueCombination(s2, k).c(), k);
    assertThat(Matrices.symmetricEigen(m1, k).values()[0]).isPositive();
    for (int e = 0; e < k * k; e++) {
      assertThat(m1[e]).isCloseTo(m2[e], Assertions.within(1e-5));
    }
  }
}
