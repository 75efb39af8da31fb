package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import org.junit.jupiter.api.Test;

class FeaturesTest {
  private static final int D = 3;
  private static final int M = 4;
  private static final double[] W = {1, 0, 0, 0, -1, 0, 0.5, 0.5, 0, 0, 0, 2};
  private static final double[] C = {0, 0.25, -1, 0.5};
  private static final double[] X = {1, 2, -1, -3, 0.5, 4};

  /** relu(w_jᵀx + c_j)/√m written out for the two rows of X. */
  private static double[] byHand(double[] c) {
    double[] out = new double[2 * M];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < M; j++) {
        double p = c[j];
        for (int k = 0; k < D; k++) {
          p += W[j * D + k] * X[i * D + k];
        }
        out[i * M + j] = Math.max(p, 0) / Math.sqrt(M);
      }
    }
    return out;
  }

  @Test
  void aRepresentationsFeaturesAreTheReluOfItsPreActivationsOverRootM() {
    Representation rep = new Representation(new TwoLayerNet(D, M, 0, W, null, C), PretrainingOptions.defaults(M), 0,
        0, 0);
    // Sums of three exact binary fractions and a division by 2: exact, but leave rounding room.
    assertThat(rep.features(X, 2)).containsExactly(byHand(C), within(1e-15));
  }

  @Test
  void aLayerWithoutBiasesHasTheFeaturesOfZeroBiases() {
    double[] none = Features.of(new TwoLayerNet(D, M, 0, W, null, null), X, 2, Blas.Choice.AUTO.implementation());
    assertThat(none).containsExactly(Features.of(new TwoLayerNet(D, M, 0, W, null, new double[M]), X, 2, Blas.Choice.AUTO.implementation()));
    assertThat(none).containsExactly(byHand(new double[M]), within(1e-15));
  }

  @Test
  void aScoreIsTheHeadsProductWithTheFeaturesAndLeavesThePreActivationsWithTheirBiases() {
    double[] b = {1, -2, 3, 0.5};
    double[] pre = new double[2 * M];
    Blas.Choice.AUTO.implementation().multiplyByTranspose(X, 0, D, 2, W, M, D, pre, 0, M);
    double[] phi = byHand(C);
    for (int i = 0; i < 2; i++) {
      double expected = 0;
      for (int j = 0; j < M; j++) {
        expected += b[j] * phi[i * M + j];
      }
      assertThat(Features.score(pre, i * M, C, b, M, Features.scale(M))).isCloseTo(expected, within(1e-14));
    }
    assertThat(Math.max(pre[2], 0) * Features.scale(M)).isCloseTo(phi[2], within(1e-15));
  }
}
