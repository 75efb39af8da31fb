package io.github.twolayer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SubspaceMetricsTest {
  // M = span(e0, e1) in R^4.
  static final double[] M = {1, 0, 0, 1, 0, 0, 0, 0};

  @Test
  void rowsInsideTheSubspaceScoreZeroOutsideOne() {
    double[] inside = {1, 0, 0, 0, 0, 2, 0, 0, 1, 1, 0, 0};
    SubspaceMetrics in = SubspaceMetrics.of(inside, 3, 4, M, 2);
    assertThat(in.energyOut()).isCloseTo(0, within(1e-15));
    assertThat(in.subspaceDist()).isCloseTo(0, within(1e-7));
    double[] outside = {0, 0, 1, 0, 0, 0, 0, 3};
    assertThat(SubspaceMetrics.of(outside, 2, 4, M, 2).energyOut()).isCloseTo(1, within(1e-15));
  }

  @Test
  void aHandComputedCase() {
    // Rows (1, 0, 0, 0) and (0, cos θ, sin θ, 0): principal angles 0 and θ; W M = diag(1, cos θ).
    double theta = 0.3;
    double[] w = {1, 0, 0, 0, 0, Math.cos(theta), Math.sin(theta), 0};
    SubspaceMetrics s = SubspaceMetrics.of(w, 2, 4, M, 2);
    assertThat(s.principalAngles()[0]).isCloseTo(0, within(1e-7));
    assertThat(s.principalAngles()[1]).isCloseTo(theta, within(1e-12));
    assertThat(s.subspaceDist()).isCloseTo(Math.sin(theta), within(1e-12));
    assertThat(s.coverage()).isCloseTo(Math.cos(theta), within(1e-12));
    assertThat(s.energyOut()).isCloseTo(Math.sin(theta) * Math.sin(theta) / 2, within(1e-15));
  }

  @Test
  void collapsingOntoOneDirectionHasLowEnergyOutButNoCoverage() {
    // All rows along e0, plus a little e2: W's top-2 right singular subspace is span(e0, e2), at
    // 90° from e1, although almost all of W's energy is inside span(e0, e1).
    double[] w = {1, 0, 0, 0, 2, 0, 0, 0, -1, 0, 0.1, 0};
    SubspaceMetrics s = SubspaceMetrics.of(w, 3, 4, M, 2);
    assertThat(s.energyOut()).isCloseTo(0.01 / 6.01, within(1e-15));
    assertThat(s.coverage()).isCloseTo(0, within(1e-15));
    assertThat(s.subspaceDist()).isCloseTo(1, within(1e-12));
  }
}
