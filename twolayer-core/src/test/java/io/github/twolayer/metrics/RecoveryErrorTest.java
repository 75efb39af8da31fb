package io.github.twolayer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.sampling.PlantedNetworks;
import java.util.Arrays;
import org.apache.commons.rng.simple.RandomSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RecoveryErrorTest {
  private final TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(6, 4, 5),
      RandomSource.XO_RO_SHI_RO_128_PP.create(3));

  /** Permutes hidden units by perm and scales unit i by scale[i] (> 0 keeps the function). */
  static TwoLayerNet permuteAndScale(TwoLayerNet net, int[] perm, double[] scale) {
    int d = net.d();
    int k = net.k();
    int l = net.l();
    double[] w = new double[k * d];
    double[] a = new double[l * k];
    for (int i = 0; i < k; i++) {
      int src = perm[i];
      for (int p = 0; p < d; p++) {
        w[i * d + p] = scale[i] * net.w(src, p);
      }
      for (int o = 0; o < l; o++) {
        a[o * k + i] = net.a(o, src) / Math.abs(scale[i]);
      }
    }
    return TwoLayerNet.of(d, k, l, w, a);
  }

  @Test
  void aPermutedPositivelyRescaledCopyHasZeroError() {
    TwoLayerNet copy = permuteAndScale(truth, new int[] {2, 0, 3, 1}, new double[] {0.5, 3, 1, 7});
    RecoveryError e = RecoveryError.of(truth, copy);
    // Normalization and matching are exact up to rounding of a few operations per entry.
    assertThat(e.wError()).isLessThan(1e-14);
    assertThat(e.aError()).isLessThan(1e-14);
    assertThat(e.permutation()).containsExactly(1, 3, 0, 2);
  }

  @Test
  void aUnitWithTheWrongSignCountsAsAnError() {
    TwoLayerNet flipped = permuteAndScale(truth, new int[] {0, 1, 2, 3}, new double[] {1, 1, -1, 1});
    RecoveryError e = RecoveryError.of(truth, flipped);
    // One of four unit rows is negated: ‖W − Ŵ‖²/‖W‖² = 4/4 → error 1 exactly.
    assertThat(e.wError()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void errorsMatchAHandComputedCase() {
    TwoLayerNet a = TwoLayerNet.of(2, 1, 1, new double[] {1, 0}, new double[] {2});
    TwoLayerNet b = TwoLayerNet.of(2, 1, 1, new double[] {3, 4}, new double[] {1});
    RecoveryError e = RecoveryError.of(a, b);
    // unit rows (1,0) vs (0.6,0.8): distance sqrt(0.16+0.64); A: 2 vs 1·5 = 5 → |2−5|/2
    assertThat(e.wError()).isCloseTo(Math.sqrt(0.8), within(1e-15));
    assertThat(e.aError()).isCloseTo(1.5, within(1e-15));
  }

  @Test
  void networksThatCannotBeComparedSayWhyNotOnlyThatTheDataDiffer() {
    // A truth with more units than outputs (k = 3, l = 1): the method of moments shows at most one unit of
    // its data, so a model of them has k = 1; it is the truth of that model's data.
    TwoLayerNet wide = PlantedNetworks.draw(PlantedNetworks.Shape.of(6, 3, 1), RandomSource.XO_RO_SHI_RO_128_PP.create(4));
    TwoLayerNet oneUnit = TwoLayerNet.of(6, 1, 1, Arrays.copyOf(wide.W(), 6), new double[] {1});
    Assertions.assertThatThrownBy(() -> RecoveryError.of(wide, oneUnit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the truth has k = 3 hidden units but the model has 1: the matched errors pair the "
            + "units one to one")
        .hasMessageContaining("which the method of moments cannot recover").hasMessageContaining("train --k 3")
        .hasMessageNotContaining("use the truth of this model's data");
    // Another k with enough outputs: recover with the truth's k.
    TwoLayerNet three = TwoLayerNet.of(6, 3, 5, Arrays.copyOf(truth.W(), 18),
        Arrays.copyOf(truth.A(), 15));
    Assertions.assertThatThrownBy(() -> RecoveryError.of(truth, three))
        .hasMessageEndingWith("recover or train with --k 4");
    // Other inputs or outputs: other data.
    Assertions.assertThatThrownBy(() -> RecoveryError.of(truth, wide))
        .hasMessageContaining("use the truth of this model's data");
  }
}
