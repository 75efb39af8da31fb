package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
  private static final DataParallelPretrainingTest.Planted P = DataParallelPretrainingTest.planted(8, 9, 60, 11);

  private static double[] float64(PretrainingOptions options, int batch) {
    TaskSampler sampler = TaskSampler.finite(P.data());
    return Rounds.run((c, heads) -> new TaskByTask(sampler, options, c, heads, batch), P.data().d(),
        P.data().tasks(), options, RoundSchedule.of(options, null, (r, w) -> {}), Progress.NONE).network().W();
  }

  @Test
  void float64RoundsGiveTheSameBitsForAnyBatchingOfTheTasks() {
    PretrainingOptions options = PretrainingOptions.defaults(6).withRounds(3).withSamples(20, 25)
        .withPrecision(PretrainingOptions.Precision.FLOAT64).withThreads(2);
    double[] whole = float64(options, 9);
    // Each task's gradient is its own, and the tasks' gradients are added in task order batch after batch.
    assertThat(float64(options, 1)).containsExactly(whole);
    assertThat(float64(options, 4)).containsExactly(whole);
    assertThat(float64(options.withThreads(1), 2)).containsExactly(whole);
    // What the library picks for these shapes (one batch) is that run.
    assertThat(MultiTaskPretraining.fit(TaskSampler.finite(P.data()), options).network().W()).containsExactly(whole);
  }

  @Test
  void simultaneousDescentFromZeroHeadsLeavesWUnchangedAtItsFirstRoundOnEveryBackend() {
    // The loop takes W's gradient before the head steps: at b = 0 every term of it is exactly 0.
    PretrainingOptions options = PretrainingOptions.defaults(6).withRounds(1).withSamples(20, 25)
        .withHeads(PretrainingOptions.Heads.SIMULTANEOUS_ZERO).withThreads(2);
    double[] w0 = MultiTaskPretraining.initialLayer(P.data().d(), options).W();
    List<double[]> layers = new ArrayList<>();
    for (PretrainingOptions.Precision p : PretrainingOptions.Precision.values()) {
      layers.add(MultiTaskPretraining.fit(TaskSampler.finite(P.data()), options.withPrecision(p)).network().W());
    }
    layers.add(DataParallelPretraining.fit(P.data(), options, Progress.NONE, (r, w) -> {}).network().W());
    for (double[] w : layers) {
      assertThat(w).containsExactly(w0);
    }
    // Head-first from the same zero heads moves W on every backend.
    PretrainingOptions reset = options.withHeads(PretrainingOptions.Heads.RESET);
    assertThat(MultiTaskPretraining.fit(TaskSampler.finite(P.data()), reset).network().W()).isNotEqualTo(w0);
    assertThat(DataParallelPretraining.fit(P.data(), reset, Progress.NONE, (r, w) -> {}).network().W())
        .isNotEqualTo(w0);
  }

  @Test
  void theEnginesHeadStepsAreTheLoopsOnEveryRowWhenTheSetsCoverTheTasks() {
    // n₁, n₂ above every task's size: the Bernoulli sets are all of each task's rows, as the subsets then
    // are, so the float64 in-memory rounds and the engine's compute the same sums (in other orders: the
    // engine adds per row and divides once, the in-memory rounds divide each term). 1e-9 relative over
    // three rounds of η_W = 60 leaves room for those rounding differences, not for a different step.
    PretrainingOptions options = PretrainingOptions.defaults(6).withRounds(3).withSamples(1000, 1000)
        .withPrecision(PretrainingOptions.Precision.FLOAT64).withThreads(2);
    double[] inMemory = MultiTaskPretraining.fit(TaskSampler.finite(P.data()), options).network().W();
    double[] passes;
    try (LocalEngine engine = new LocalEngine(DataParallelPretraining.rows(P.data()), 2, 64, Progress.NONE)) {
      passes = DataParallelPretraining.fit(engine, options, Progress.NONE, (r, w) -> {}).network().W();
    }
    double scale = 0;
    double worst = 0;
    for (int e = 0; e < inMemory.length; e++) {
      scale = Math.max(scale, Math.abs(inMemory[e]));
      worst = Math.max(worst, Math.abs(inMemory[e] - passes[e]));
    }
    assertThat(worst / scale).isLessThan(1e-9);
  }
}
