package io.github.twolayer.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.twolayer.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskFamilyTest {

  @ParameterizedTest
  @EnumSource(TaskFamily.Kind.class)
  void labelsDependOnlyOnTheProjectionOntoTheSubspace(TaskFamily.Kind kind) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(1);
    int d = 12;
    int r = 3;
    TaskFamily family = TaskFamily.draw(d, r, kind, 0, rng);
    double[] m = family.basis();
    int n = 2000;
    double[] x = new double[n * d];
    double[] y = new double[n];
    TaskFamily.Task task = family.drawTask(rng);
    family.sample(task, rng, n, x, 0, y, 0);
    int positive = 0;
    for (int i = 0; i < n; i++) {
      // Move x by a random vector orthogonal to span(M): the label must not change.
      double[] v = new double[d];
      for (int p = 0; p < d; p++) {
        v[p] = 3 * (rng.nextDouble() - 0.5);
      }
      for (int a = 0; a < r; a++) {
        double dot = 0;
        for (int p = 0; p < d; p++) {
          dot += v[p] * m[p * r + a];
        }
        for (int p = 0; p < d; p++) {
          v[p] -= dot * m[p * r + a];
        }
      }
      double[] moved = new double[d];
      for (int p = 0; p < d; p++) {
        moved[p] = x[i * d + p] + v[p];
      }
      assertThat(family.label(task, moved, 0)).isEqualTo(y[i]);
      positive += y[i] > 0 ? 1 : 0;
    }
    assertThat(positive).isBetween(1, n - 1); // both labels occur
  }

  @ParameterizedTest
  @EnumSource(value = TaskFamily.Kind.class, names = "HALFSPACE")
  void labelNoiseFlipsTheRequestedShare(TaskFamily.Kind kind) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(2);
    TaskFamily noisy = TaskFamily.draw(5, 2, kind, 0.2, rng);
    TaskFamily.Task task = noisy.drawTask(rng);
    int n = 50_000;
    double[] x = new double[n * 5];
    double[] y = new double[n];
    noisy.sample(task, rng, n, x, 0, y, 0);
    int flipped = 0;
    for (int i = 0; i < n; i++) {
      flipped += noisy.label(task, x, i * 5) != y[i] ? 1 : 0;
    }
    // Binomial(50,000, 0.2): standard deviation 0.0018 of the share.
    assertThat(flipped / (double) n).isCloseTo(0.2, within(0.01));
  }

  @ParameterizedTest
  @EnumSource(TaskFamily.Kind.class)
  void floatSamplesAreTheDoubleSamplesRoundedWithTheSameLabels(TaskFamily.Kind kind) {
    // The float32 rounds must see the float64 rounds' samples: same stream, same labels (label noise on,
    // so the flips must line up too), rows of stride d + 1 ending in a 1.
    UniformRandomProvider setup = Seeds.root(51);
    int d = 13;
    TaskFamily family = TaskFamily.draw(d, 3, kind, 0.1, setup);
    TaskFamily.Task task = family.drawTask(setup);
    int rows = 257;
    double[] x = new double[rows * d];
    double[] y = new double[rows];
    family.sample(task, Seeds.root(92), rows, x, 0, y, 0);
    float[] xf = new float[3 + rows * (d + 1)];
    float[] yf = new float[2 + rows];
    boolean drawn = family.sampleFloat(task, Seeds.root(92), rows, xf, 3, d + 1, yf, 2);
    if (kind == TaskFamily.Kind.RELU_TEACHER) {
      Assertions.assertThat(drawn).isFalse();
      return;
    }
    Assertions.assertThat(drawn).isTrue();
    for (int i = 0; i < rows; i++) {
      for (int p = 0; p < d; p++) {
        Assertions.assertThat(xf[3 + i * (d + 1) + p]).isEqualTo((float) x[i * d + p]);
      }
      Assertions.assertThat(xf[3 + i * (d + 1) + d]).isEqualTo(1f);
      Assertions.assertThat(yf[2 + i]).isEqualTo((float) y[i]);
    }
  }
}
