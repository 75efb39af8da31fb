package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Known answers for --k auto: planted networks with a known number of hidden units (a small grid of the
 * table in docs/recover.md), and outputs with no network in them at all.
 */
class KSelectionTest {
  private static Dataset planted(String dist, int k, int n, double noise, long seed, TwoLayerNet[] truth) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    truth[0] = PlantedNetworks.draw(PlantedNetworks.Shape.of(20, k, 12), rng);
    return PlantedNetworks.sample(truth[0], Distributions.byName(dist, 20, Distributions.Parameters.defaults(), rng),
        n, noise, rng);
  }

  @ParameterizedTest
  @CsvSource({"gaussian,1,0", "cube,3,0.1", "student-t,6,0.3", "mixture,10,0.1"})
  void theTrueNumberOfHiddenUnitsIsChosen(String dist, int k, double noise) {
    TwoLayerNet[] truth = new TwoLayerNet[1];
    Dataset data = planted(dist, k, 300_000, noise, 7 + k, truth);
    Recovery r = MomentRecovery.fit(data, RecoveryOptions.defaults(RecoveryOptions.AUTO_K));
    assertThat(r.network().k()).isEqualTo(k);
    assertThat(r.diagnostics().asMap()).containsEntry("k_selected", k).containsKey("k_evidence");
    // The chosen k is then recovered as a given one would be (this grid's errors are below 0.05).
    assertThat(RecoveryError.of(truth[0], r.network()).wError()).isLessThan(0.1);
  }

  @Test
  void aGivenKCarriesTheSameEvidenceWithoutAChoice() {
    TwoLayerNet[] truth = new TwoLayerNet[1];
    Dataset data = planted("gaussian", 4, 100_000, 0.1, 5, truth);
    Recovery given = MomentRecovery.fit(data, RecoveryOptions.defaults(4));
    Recovery auto = MomentRecovery.fit(data, RecoveryOptions.defaults(RecoveryOptions.AUTO_K));
    // One pass-1 spectrum either way (the demo's scree plot reads it for a given k too).
    assertThat(given.diagnostics().rankSnrs()).hasSize(12).isEqualTo(auto.diagnostics().rankSnrs());
    assertThat(given.diagnostics().kSelected()).isNull();
    assertThat(given.diagnostics().asMap()).doesNotContainKey("k_selected").containsKey("k_evidence");
    assertThat(given.diagnostics().rankSnr()).isEqualTo(given.diagnostics().rankSnrs().get(3));
  }

  @Test
  void outputsWithoutANetworkAreRefusedNotGivenAK() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(3);
    double[] x = Distributions.gaussian(20).sample(rng, 100_000);
    double[] y = Distributions.gaussian(12).sample(rng, 100_000); // independent of x
    Dataset noise = new Dataset(100_000, 20, 12, x, y);
    assertThatThrownBy(() -> MomentRecovery.fit(noise, RecoveryOptions.defaults(RecoveryOptions.AUTO_K)))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("no k is clearly supported");
  }

  @Test
  void linearOutputsAreRefusedForAGivenKAndForKAuto() {
    // Y = B x + noise: a full-rank linear map shows all min(d, l) = 8 singular values, so --k auto chose 8,
    // where the detector's null-space test passes noise. E[y] = 0 is what tells linear outputs from ReLU ones.
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(12);
    int n = 50_000;
    double[] x = Distributions.byName("cube", 10, Distributions.Parameters.defaults(), rng).sample(rng, n);
    double[] b = Distributions.gaussian(10).sample(rng, 8);
    double[] noise = Distributions.gaussian(8).sample(rng, n);
    double[] y = new double[n * 8];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < 8; o++) {
        double s = 0.1 * noise[i * 8 + o];
        for (int p = 0; p < 10; p++) {
          s += b[o * 10 + p] * x[i * 10 + p];
        }
        y[i * 8 + o] = s;
      }
    }
    Dataset linear = new Dataset(n, 10, 8, x, y);
    assertThatThrownBy(() -> MomentRecovery.fit(linear, RecoveryOptions.defaults(RecoveryOptions.AUTO_K)))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("Y looks linear in x")
        .satisfies(e -> assertThat(((RecoveryException) e).diagnostic()).isEqualTo("mean_snr"));
    // A given k: refused as well, by the detector of step 6 where its test holds, else by the mean.
    for (int k : new int[] {1, 3, 8}) {
      assertThatThrownBy(() -> MomentRecovery.fit(linear, RecoveryOptions.defaults(k)))
          .as("k = %d", k).isInstanceOf(RecoveryException.class);
    }
    assertThatThrownBy(() -> MomentRecovery.fit(linear, RecoveryOptions.defaults(1)))
        .hasMessageContaining("Y looks linear in x"); // k = 1: no detector test at all
  }

  @Test
  void aCountAtItsCeilingIsRefusedNotTakenForK() {
    // Three units, one output: the one candidate stands out, and a network of one unit would look the same.
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(13);
    TwoLayerNet wide = PlantedNetworks.draw(PlantedNetworks.Shape.of(10, 3, 1), rng);
    Dataset data = PlantedNetworks.sample(wide, Distributions.gaussian(10), 50_000, 0, rng);
    assertThatThrownBy(() -> MomentRecovery.fit(data, RecoveryOptions.defaults(RecoveryOptions.AUTO_K)))
        .isInstanceOf(RecoveryException.class)
        .hasMessageContaining("data with l = 1 output can show at most k = 1");
    assertThatThrownBy(() -> MomentRecovery.chooseK(data, RecoveryOptions.defaults(1)))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("pass --k");
    // A given k above l is the same limit of the data (exit 3, not a typo in --k).
    assertThatThrownBy(() -> MomentRecovery.fit(data, RecoveryOptions.defaults(3)))
        .isInstanceOf(RecoveryException.class).hasMessageContaining("can show at most k = 1");
  }
}
