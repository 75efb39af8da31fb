package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known answer: the method is equivariant under positive per-column scalings (x' = D x keeps the input
 * law symmetric and gives W' = W D⁻¹; y' = E y gives A' = E A). With standardization the network
 * recovered from rescaled samples, mapped back through D and E, is the unscaled one to rounding — for
 * scales anywhere in [1e-150, 1e150], where raw sums of squares overflow or underflow.
 */
class StandardizationTest {
  private static final int D = 10;
  private static final int L = 8;

  private static MomentRecoveryTest.Run planted() {
    return MomentRecoveryTest.planted("cube", 100_000, 0.05, 11);
  }

  /** (x, y) with column j of X times dx[j] and column a of Y times ey[a]. */
  private static Dataset rescaled(Dataset data, double[] dx, double[] ey) {
    double[] x = data.X().clone();
    double[] y = data.Y().clone();
    for (int r = 0; r < data.n(); r++) {
      for (int j = 0; j < D; j++) {
        x[r * D + j] *= dx[j];
      }
      for (int a = 0; a < L; a++) {
        y[r * L + a] *= ey[a];
      }
    }
    return new Dataset((int) data.n(), D, L, x, y);
  }

  /** The rescaled data's network in the original units: W D, E⁻¹ A, rows of W at unit norm. */
  private static TwoLayerNet undo(TwoLayerNet net, double[] dx, double[] ey) {
    double[] w = net.W();
    double[] a = net.A();
    for (int i = 0; i < net.k(); i++) {
      for (int j = 0; j < D; j++) {
        w[i * D + j] *= dx[j];
      }
      for (int o = 0; o < L; o++) {
        a[o * net.k() + i] /= ey[o];
      }
    }
    return TwoLayerNet.of(D, net.k(), L, w, a).withUnitRows();
  }

  private static double[] scales(UniformRandomProvider rng, int n, double lo, double hi) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.pow(10, lo + (hi - lo) * rng.nextDouble());
    }
    return s;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void anyPerColumnScalesGiveTheSameNetworkToRounding(long seed) {
    MomentRecoveryTest.Run run = planted();
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    double[] dx = scales(rng, D, -150, 150);
    double[] ey = scales(rng, L, -150, 150);
    TwoLayerNet plain = MomentRecovery.fit(run.data(), RecoveryOptions.defaults(5)).network();
    Recovery scaled = MomentRecovery.fit(rescaled(run.data(), dx, ey), RecoveryOptions.defaults(5));
    TwoLayerNet back = undo(scaled.network(), dx, ey);
    // The scaled samples equal the unscaled ones divided by their columns' largest magnitudes to one
    // rounding each (2^-53 relative), so the two recoveries differ by rounding amplified by the
    // method's conditioning: measured below 1e-14; 1e-9 leaves room and still fails on any real change
    // (the statistical error of these runs is ~1e-3).
    assertThat(Matrices.maxRelativeDifference(plain.W(), back.W())).isLessThan(1e-9);
    assertThat(Matrices.maxRelativeDifference(plain.A(), back.A())).isLessThan(1e-9);
    // Not vacuous: the network is right, and the scales were applied and reported.
    assertThat(RecoveryError.of(run.truth(), plain).wError()).isLessThan(0.05);
    assertThat(scaled.diagnostics().columnScales()).containsKeys("x", "y");
  }

  @Test
  void unitsThatDifferBy1e12AreOrdinaryDataNotASingularMoment() {
    MomentRecoveryTest.Run run = planted();
    double[] dx = new double[D];
    Arrays.fill(dx, 1);
    dx[0] = 1e6;
    dx[1] = 1e-6;
    double[] ey = new double[L];
    Arrays.fill(ey, 1);
    Dataset units = rescaled(run.data(), dx, ey);
    TwoLayerNet back = undo(MomentRecovery.fit(units, RecoveryOptions.defaults(5)).network(), dx, ey);
    assertThat(RecoveryError.of(run.truth(), back).wError()).isLessThan(0.05);
    // The raw path is what failed before: E[xxᵀ] with eigenvalues 1e12 and 1e-12 looks singular.
    assertThatThrownBy(() -> MomentRecovery.fit(units, RecoveryOptions.defaults(5).withStandardize(false)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void aColumnThatIsOneHugeValueIsRefusedNamingItsRowAndColumn() {
    Dataset data = planted().data();
    double[] x = data.X().clone();
    x[12_345 * D + 7] = 1e300;
    Dataset bad = new Dataset((int) data.n(), D, L, x, data.Y());
    assertThatThrownBy(() -> MomentRecovery.fit(bad, RecoveryOptions.defaults(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input column 7 is one value and noise: 1.0E300 at row 12345");
  }

  @Test
  void constantOutputsAreRefusedWithoutANaNInTheMessage() {
    Dataset data = planted().data();
    double[] y = new double[(int) data.n() * L];
    Arrays.fill(y, 1);
    Dataset flat = new Dataset((int) data.n(), D, L, data.X(), y);
    assertThatThrownBy(() -> MomentRecovery.fit(flat, RecoveryOptions.defaults(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the outputs do not vary")
        .hasMessageNotContaining("NaN");
  }

  @Test
  void rawSumsThatOverflowAreScaledInsteadWithStandardizationAndRefusedWithout() {
    MomentRecoveryTest.Run run = planted();
    double[] dx = new double[D];
    Arrays.fill(dx, 1e200); // squares 1e400: the raw pass 1 overflows
    double[] ey = new double[L];
    Arrays.fill(ey, 1);
    Dataset huge = rescaled(run.data(), dx, ey);
    TwoLayerNet back = undo(MomentRecovery.fit(huge, RecoveryOptions.defaults(5)).network(), dx, ey);
    TwoLayerNet plain = MomentRecovery.fit(run.data(), RecoveryOptions.defaults(5)).network();
    // Tolerance as in anyPerColumnScalesGiveTheSameNetworkToRounding.
    assertThat(Matrices.maxRelativeDifference(plain.W(), back.W())).isLessThan(1e-9);
    assertThatThrownBy(() -> MomentRecovery.fit(huge, RecoveryOptions.defaults(5).withStandardize(false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("squares overflow");
  }
}
