package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Units nearly parallel on the inputs: measured in whitened coordinates (the inputs' covariance, not the
 * raw coordinates of W), and warned about when a recovery ends with two of them.
 */
class ParallelUnitsTest {
  static final double[] IDENTITY_2 = {1, 0, 0, 1};

  @Test
  void theMostParallelPairIsFoundWithItsAngle() {
    // Rows e1, e2 and e1 + 0.1 e2: rows 0 and 2 are atan(0.1) = 5.71° apart.
    double[] w = {1, 0, 0, 1, 1, 0.1};
    Diagnostics.ParallelUnits p = Diagnostics.mostParallelUnits(w, 3, 2, IDENTITY_2);
    assertThat(p.first()).isZero();
    assertThat(p.second()).isEqualTo(2);
    assertThat(p.angleDegrees()).isCloseTo(Math.toDegrees(Math.atan(0.1)), within(1e-9));
  }

  @Test
  void unitsOrthogonalInRawCoordinatesAreNearlyParallelOnCorrelatedInputs() {
    // corr(x1, x2) = 0.99: the pre-activations x1 and x2 of rows e1 and e2 have correlation 0.99.
    double[] sigma = {1, 0.99, 0.99, 1};
    Diagnostics.ParallelUnits p = Diagnostics.mostParallelUnits(new double[] {1, 0, 0, 1}, 2, 2, sigma);
    assertThat(p.correlation()).isCloseTo(0.99, within(1e-12));
    assertThat(p.angleDegrees()).isCloseTo(Math.toDegrees(Math.acos(0.99)), within(1e-9));
  }

  @Test
  void antiparallelUnitsCountAsParallel() {
    double[] w = {1, 0.2, -1, -0.1};
    assertThat(Diagnostics.mostParallelUnits(w, 2, 2, IDENTITY_2).angleDegrees()).isLessThan(6);
  }

  @Test
  void theAngleDoesNotChangeWhenTheInputColumnsAreRescaled() {
    double[] w = {1, 2, 0.5, -1};
    double[] sigma = {2, 0.3, 0.3, 1};
    double[] s = {1000, 0.01}; // x' = S x: W' = W S⁻¹, Σ' = S Σ S
    double[] w2 = {w[0] / s[0], w[1] / s[1], w[2] / s[0], w[3] / s[1]};
    double[] sigma2 = {sigma[0] * s[0] * s[0], sigma[1] * s[0] * s[1], sigma[2] * s[1] * s[0], sigma[3] * s[1] * s[1]};
    assertThat(Diagnostics.mostParallelUnits(w2, 2, 2, sigma2).correlation())
        .isCloseTo(Diagnostics.mostParallelUnits(w, 2, 2, sigma).correlation(), within(1e-12));
  }

  @Test
  void aSingleUnitHasNoPairAndNoWarning() {
    assertThat(Diagnostics.mostParallelUnits(new double[] {1, 0}, 1, 2, IDENTITY_2)).isNull();
    assertThat(Diagnostics.parallelUnitsWarning(null)).isNull();
  }

  @Test
  void theWarningNamesTheUnitsAndTheirAngleBelowTheThresholdOnly() {
    String w = Diagnostics.parallelUnitsWarning(new Diagnostics.ParallelUnits(1, 3, Math.cos(Math.toRadians(4))));
    assertThat(w).startsWith("hidden units 1 and 3 (rows of W, from 0) are nearly parallel on these inputs: 4.0° apart")
        .contains("correlation 0.998");
    double apart = Math.cos(Math.toRadians(Diagnostics.WARNED_UNIT_ANGLE_DEGREES + 0.5));
    assertThat(Diagnostics.parallelUnitsWarning(new Diagnostics.ParallelUnits(0, 1, apart))).isNull();
  }

  /** A planted network (d = 10, k = 5, l = 8, Gaussian inputs) with row 1 turned to {@code degrees} from row 0. */
  static Recovery recoverWithRowsApart(double degrees, boolean turn) {
    UniformRandomProvider rng = Seeds.root(5);
    TwoLayerNet t = PlantedNetworks.draw(PlantedNetworks.Shape.of(10, 5, 8), rng);
    double[] w = t.W();
    if (turn) {
      double[] u = unit(w, 0);
      double dot = 0;
      for (int p = 0; p < 10; p++) {
        dot += w[10 + p] * u[p];
      }
      double[] v = new double[10];
      for (int p = 0; p < 10; p++) {
        v[p] = w[10 + p] - dot * u[p];
      }
      v = unit(v, 0);
      double r = Math.toRadians(degrees);
      for (int p = 0; p < 10; p++) {
        w[10 + p] = Math.cos(r) * u[p] + Math.sin(r) * v[p];
      }
    }
    TwoLayerNet truth = TwoLayerNet.of(10, 5, 8, w, t.A());
    Dataset data = PlantedNetworks.sample(truth, Distributions.byName("gaussian", 10,
        Distributions.Parameters.defaults(), rng), 200_000, 0, rng);
    return MomentRecovery.fit(data, RecoveryOptions.defaults(5).withThreads(1));
  }

  static double[] unit(double[] a, int row) {
    double norm = 0;
    for (int p = 0; p < 10; p++) {
      norm += a[row * 10 + p] * a[row * 10 + p];
    }
    double[] u = new double[10];
    for (int p = 0; p < 10; p++) {
      u[p] = a[row * 10 + p] / Math.sqrt(norm);
    }
    return u;
  }

  @Test
  void aRecoveryWhoseUnitsComeOutNearlyParallelWarnsAndTheSameNetworkWithUnitsApartDoesNot() {
    // This seed's planted network recovers without any warning; with two of its rows turned 6° apart
    // the recovered units 3 and 4 come out 3.4° apart (n = 2·10⁵).
    assertThat(recoverWithRowsApart(0, false).diagnostics().warnings()).isEmpty();
    assertThat(recoverWithRowsApart(6, true).diagnostics().warnings())
        .anyMatch(w -> w.startsWith("hidden units 3 and 4 (rows of W, from 0) are nearly parallel"));
  }
}
