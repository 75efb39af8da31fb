package io.github.twolayer.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.linalg.Matrices;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistributionsTest {
  static final int D = 4;
  static final int N = 40_000;

  static SymmetricDistribution law(String name, UniformRandomProvider rng) {
    if (name.equals("symmetrized")) {
      // An asymmetric dataset (all coordinates positive) becomes symmetric once each row is also negated.
      double[] rows = new double[200 * D];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = 1 + rng.nextDouble() * (i % D + 1);
      }
      return Distributions.symmetrized(rows, D);
    }
    return Distributions.byName(name, D, Distributions.Parameters.defaults(), rng);
  }

  /**
   * x and −x have the same law: along fixed directions g, a two-sample Kolmogorov–Smirnov test between
   * gᵀx and −gᵀx′ (independent samples) must not reject at level 1e-6 (critical value
   * sqrt(−ln(1e-6/2)/2 · 2/N) ≈ 0.0262 for N = 40,000 per sample), so a correct law fails with
   * probability ~1e-6 per direction, while a law with mean shift 0.1σ (KS distance ≈ 0.04) fails.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gaussian", "gaussian-cov", "cube", "rademacher", "mixture", "student-t", "symmetrized"})
  void xAndMinusXHaveTheSameLaw(String name) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(42);
    SymmetricDistribution law = law(name, rng);
    double[] a = law.sample(rng, N);
    double[] b = law.sample(rng, N);
    double[][] directions = {{1, 0, 0, 0}, {0.5, -0.5, 0.5, 0.5}, {0.9, 0.3, -0.2, 0.1}};
    double critical = Math.sqrt(-Math.log(1e-6 / 2) / 2 * 2.0 / N);
    for (double[] g : directions) {
      assertThat(ks(project(a, g, 1), project(b, g, -1))).as(name + " along " + Arrays.toString(g))
          .isLessThan(critical);
    }
  }

  @Test
  void theKolmogorovSmirnovCheckRejectsAShiftedLaw() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(42);
    SymmetricDistribution law = Distributions.gaussian(D);
    double[] a = law.sample(rng, N);
    double[] b = law.sample(rng, N);
    for (int i = 0; i < a.length; i += D) {
      a[i] += 0.1;
    }
    double critical = Math.sqrt(-Math.log(1e-6 / 2) / 2 * 2.0 / N);
    assertThat(ks(project(a, new double[] {1, 0, 0, 0}, 1), project(b, new double[] {1, 0, 0, 0}, -1)))
        .isGreaterThan(critical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gaussian", "gaussian-cov", "cube", "rademacher", "mixture", "student-t"})
  void theSameSeedGivesTheSameBits(String name) {
    UniformRandomProvider r1 = RandomSource.XO_RO_SHI_RO_128_PP.create(9);
    UniformRandomProvider r2 = RandomSource.XO_RO_SHI_RO_128_PP.create(9);
    assertThat(law(name, r1).sample(r1, 100)).containsExactly(law(name, r2).sample(r2, 100));
  }

  @Test
  void gaussianWithCovarianceHasTheRequestedConditionNumber() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(1);
    SymmetricDistribution law = Distributions.gaussianWithCovariance(3, 10, rng);
    int n = 400_000;
    double[] x = law.sample(rng, n);
    double[] cov = new double[9];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          cov[i * 3 + j] += x[r * 3 + i] * x[r * 3 + j] / n;
        }
      }
    }
    double[] eig = Matrices.symmetricEigen(cov, 3).values();
    // Eigenvalues 1, 1/√10, 1/10 estimated from 4e5 samples: relative error ~ sqrt(2/n) ≈ 0.2%.
    assertThat(eig[2] / eig[0]).isBetween(9.5, 10.5);
  }

  @Test
  void unknownNamesAndInvalidParametersAreRejectedWithTheFix() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(1);
    assertThatThrownBy(() -> Distributions.byName("laplace", 3, Distributions.Parameters.defaults(), rng))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use one of gaussian");
    assertThatThrownBy(() -> Distributions.Parameters.defaults().withDegreesOfFreedom(3))
        .hasMessageContaining("finite 4th moment");
  }

  static double[] project(double[] x, double[] g, double sign) {
    double[] out = new double[x.length / D];
    for (int r = 0; r < out.length; r++) {
      double s = 0;
      for (int i = 0; i < D; i++) {
        s += g[i] * x[r * D + i];
      }
      out[r] = sign * s;
    }
    return out;
  }

  /** Two-sample KS statistic sup |F_a − F_b| (ties handled by advancing both samples). */
  static double ks(double[] a, double[] b) {
    a = a.clone();
    b = b.clone();
    Arrays.sort(a);
    Arrays.sort(b);
    int i = 0;
    int j = 0;
    double worst = 0;
    while (i < a.length && j < b.length) {
      double v = Math.min(a[i], b[j]);
      while (i < a.length && a[i] == v) {
        i++;
      }
      while (j < b.length && b[j] == v) {
        j++;
      }
      worst = Math.max(worst, Math.abs((double) i / a.length - (double) j / b.length));
    }
    return worst;
  }
}
