package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every form of pretraining (float64 task by task, float32 batched, data-parallel passes; practice and
 * theory mode) stops with a {@link DivergedException} naming the round and the step size to lower as soon
 * as its heads or its layer run away, instead of returning a layer of NaN; and the logistic head of
 * adaptation does the same when its features overflow.
 */
class PretrainingDivergenceTest {
  private static final DataParallelPretrainingTest.Planted DATA = DataParallelPretrainingTest.planted(10, 4, 200, 3);

  /** Small rounds: 4 tasks of 200 rows, m = 16, 64 samples per set. */
  private static PretrainingOptions options(double headRate, double representationRate) {
    return PretrainingOptions.defaults(16).withRounds(4).withSamples(64, 64).withThreads(2)
        .withRates(headRate, representationRate);
  }

  /** The three round loops on the same tasks. */
  private static List<Runnable> everyPath(PretrainingOptions o) {
    List<Runnable> paths = new ArrayList<>();
    for (PretrainingOptions.Precision p : PretrainingOptions.Precision.values()) {
      paths.add(() -> MultiTaskPretraining.fit(TaskSampler.finite(DATA.data()), o.withPrecision(p)));
    }
    paths.add(() -> DataParallelPretraining.fit(DATA.data(), o, Progress.NONE, (r, w) -> {}));
    return paths;
  }

  @Test
  void aRepresentationStepFarTooLargeIsNamedAtTheRoundItRanAway() {
    // lr_W = 1e300: the first W step carries W from size 1 to 1e298 in round 1 (past the watch's 1e100),
    // and round 2 overflows, in every loop.
    for (Runnable path : everyPath(options(1, 1e300))) {
      assertThatThrownBy(path::run).isInstanceOf(DivergedException.class)
          .hasMessageStartingWith("training diverged at round 2 (")
          .hasMessageMatching(".*, after (it|the first layer W) reached [0-9.]+e\\+29[0-9] at round 1\\); .*")
          .hasMessageEndingWith("lower --lr-w (now 1.00e+300)")
          .satisfies(e -> assertThat(((DivergedException) e).step()).isEqualTo(2));
    }
    // Theory mode: η_W = lr_W·m overflows to ∞ (m = 16), and λ = 1/η_W = 0 leaves W = ∞·0.
    for (Runnable path : everyPath(options(1, 1e308).inTheoryMode())) {
      assertThatThrownBy(path::run).isInstanceOf(DivergedException.class)
          .hasMessage("training diverged at round 1 (the first layer W is not a number); lower --lr-w (now 1.00e+308)");
    }
    // A huge but finite theory step is no divergence: its rows are normalized, as they always were.
    Representation theory = MultiTaskPretraining.fit(TaskSampler.finite(DATA.data()), options(1, 1e300).inTheoryMode());
    assertThat(DivergedException.finiteSum(theory.network().W())).isTrue();
  }

  @Test
  void aHeadStepFarTooLargeNamesTheHeadStepSize() {
    // η_h = 1e300 makes the heads of round 1 about 1e299 (float32: η_h itself rounds to ∞); the W they feed
    // overflows next, but must not take the blame.
    for (Runnable path : everyPath(options(1e300, 10))) {
      assertThatThrownBy(path::run).isInstanceOf(DivergedException.class)
          .hasMessageMatching("training diverged at round [12] \\(the heads (reach ∞|are not numbers).*")
          .hasMessageEndingWith("lower --lr-head (now 1.00e+300)");
    }
  }

  @Test
  void float32FeaturesThatOverflowBlameTheLayer() {
    // lr_W = 1e30: W grows past the float range (3.4e38) within a few rounds while staying far below the
    // watch in double; the features of its float copy overflow, so the head gradients fail first.
    PretrainingOptions o = options(1, 1e30).withRounds(20);
    assertThatThrownBy(() -> MultiTaskPretraining.fit(TaskSampler.finite(DATA.data()), o))
        .isInstanceOf(DivergedException.class).hasMessageContaining("(the head gradients are not numbers)")
        .hasMessageEndingWith("the features of W are too large: lower --lr-w (now 1.00e+30)");
  }

  @Test
  void ordinaryStepSizesPassTheWatch() {
    // The calibrated defaults on the same tasks: every loop finishes with a finite layer.
    for (PretrainingOptions.Precision p : PretrainingOptions.Precision.values()) {
      Representation rep = MultiTaskPretraining.fit(TaskSampler.finite(DATA.data()), options(1, 10).withPrecision(p));
      assertThat(DivergedException.finiteSum(rep.network().W())).isTrue();
    }
  }

  @Test
  void aLogisticHeadWhoseFeaturesOverflowIsDivergenceNotANaNHead() {
    // Features of 1e200: their squares (the Hessian) overflow, Newton's first step is NaN.
    int n = 40;
    int m = 3;
    double[] phi = new double[n * m];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2 == 0 ? 1 : -1;
      for (int j = 0; j < m; j++) {
        phi[i * m + j] = 1e200 * (1 + Math.cos(i + 3 * j)) * (j == 0 ? y[i] : 1);
      }
    }
    assertThatThrownBy(() -> LogisticRegression.fit(phi, y, n, m, 0.1)).isInstanceOf(DivergedException.class)
        .hasMessageStartingWith("training diverged at Newton step 1 (objective not a number, features up to ")
        .hasMessageContaining("give the inputs in the units the representation was pretrained on");
    // The same problem at ordinary sizes is solved (a finite head).
    for (int e = 0; e < phi.length; e++) {
      phi[e] *= 1e-200;
    }
    assertThat(DivergedException.finiteSum(LogisticRegression.fit(phi, y, n, m, 0.1))).isTrue();
  }

  @Test
  void theWatchSumsAndMeasuresWithoutMissingANaN() {
    assertThat(DivergedException.finiteSum(new double[] {1, 2, 3})).isTrue();
    assertThat(DivergedException.finiteSum(new double[] {1, Double.NaN, 3})).isFalse();
    double inf = Double.POSITIVE_INFINITY;
    assertThat(DivergedException.finiteSum(new double[] {inf, -inf})).isFalse();
    assertThat(DivergedException.maxAbs(new double[] {-7, 2})).isEqualTo(7);
    assertThat(DivergedException.maxAbs(new double[] {Double.NaN, 2})).isNaN();
    assertThat(DivergedException.maxAbs(new double[] {2, Double.NaN})).isNaN();
    assertThat(DivergedException.maxAbs(new float[][] {{1f, Float.NEGATIVE_INFINITY}})).isInfinite();
    assertThat(DivergedException.number(1000)).isEqualTo("1000");
    assertThat(DivergedException.number(1e300)).isEqualTo("1.00e+300");
    // Messages never show a computed NaN (only a value read from a file is shown as such).
    assertThat(DivergedException.number(Double.NaN)).isEqualTo("not a number");
    assertThat(DivergedException.number(Double.NEGATIVE_INFINITY)).isEqualTo("−∞");
  }
}
