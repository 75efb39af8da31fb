package io.github.twolayer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * Known answer: gradient descent on standardized columns is independent of the columns' units. Data
 * with columns multiplied by scales anywhere in [1e-150, 1e150] train to the same network (mapped
 * back) as the unscaled data, where raw training would overflow its loss.
 */
class StandardizedTrainingTest {
  @Test
  void anyColumnUnitsTrainTheSameNetwork() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(9);
    TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(5, 3, 4), rng);
    Dataset data = PlantedNetworks.sample(truth, Distributions.gaussian(5), 4000, 0.05, rng);
    double[] dx = new double[5];
    double[] ey = new double[4];
    for (int j = 0; j < 5; j++) {
      dx[j] = Math.pow(10, -150 + 300 * rng.nextDouble());
    }
    for (int a = 0; a < 4; a++) {
      ey[a] = Math.pow(10, -150 + 300 * rng.nextDouble());
    }
    double[] x = data.X().clone();
    double[] y = data.Y().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= dx[i % 5];
    }
    for (int i = 0; i < y.length; i++) {
      y[i] *= ey[i % 4];
    }
    Dataset scaled = new Dataset(data.size(), 5, 4, x, y);
    GradientDescent.TrainingOptions o = GradientDescent.TrainingOptions.defaults(3).withMaxIterations(40);
    TwoLayerNet plain = GradientDescent.fitStandardized(data, null, o, Progress.NONE).network();
    TwoLayerNet other = GradientDescent.fitStandardized(scaled, null, o, Progress.NONE).network();
    // Back to the original units: W D, E⁻¹ A (exactly the inverse of the data's rescaling).
    TwoLayerNet back = new ColumnScaling(invert(dx), invert(ey)).toScaled(other).withUnitRows();
    // The standardized samples agree to one rounding each (2^-53 relative); 40 L-BFGS iterations carry
    // that through a well-conditioned loss: measured ~1e-13. 1e-7 leaves room and still fails on any
    // unit dependence (training from the raw columns does not even produce a finite loss here).
    assertThat(Matrices.maxRelativeDifference(plain.W(), back.W())).isLessThan(1e-7);
    assertThat(Matrices.maxRelativeDifference(plain.A(), back.A())).isLessThan(1e-7);
  }

  private static double[] invert(double[] s) {
    double[] r = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      r[i] = 1 / s[i];
    }
    return r;
  }
}
