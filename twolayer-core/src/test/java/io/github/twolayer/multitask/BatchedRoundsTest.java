package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.progress.Progress;
import org.junit.jupiter.api.Test;

/** The float32 rounds hold one bounded batch of tasks at a time, with the bits of a round that holds them all. */
class BatchedRoundsTest {
  /** Bytes of one batch's stacked samples, features and pre-activations (what BatchedRounds allocates). */
  private static long batchBytes(int batch, int n1, int n2, int d, int m) {
    return 4L * batch * ((long) n1 + n2) * (d + 2 + m);
  }

  @Test
  void aRoundsBuffersAreBoundedWhateverTheNumberOfTasks() {
    // A reported file: 10 000 small tasks, padded to n₁ = n₂ = 256 rows, d = 20, m = 32 held 1.2 GB at once.
    for (int tasks : new int[] {10_000, 1_000_000}) {
      int batch = BatchedRounds.tasksPerBatch(tasks, 256, 256, 20, 32);
      assertThat(batch).isBetween(1, tasks - 1);
      assertThat(batchBytes(batch, 256, 256, 20, 32)).isLessThanOrEqualTo(BatchedRounds.BATCH_BYTES);
      // Whole tiles of 4 tasks (1024 rows of S¹ and of S²): the unbatched round's products and sums.
      assertThat(batch % 4).isZero();
    }
    // Few tasks: one batch, the round as it always was.
    assertThat(BatchedRounds.tasksPerBatch(16, 256, 256, 20, 32)).isEqualTo(16);
    // One task larger than the budget still runs, alone.
    assertThat(BatchedRounds.tasksPerBatch(3, 1 << 20, 1 << 20, 20, 32)).isEqualTo(1);
  }

  private static double[] rounds(DataParallelPretrainingTest.Planted p, PretrainingOptions options, int batch) {
    TaskSampler sampler = TaskSampler.finite(p.data());
    return Rounds.run((c, heads) -> new BatchedRounds(sampler, options, c, heads, batch), p.data().d(),
        p.data().tasks(), options, RoundSchedule.of(options, null, (r, w) -> {}), Progress.NONE).network().W();
  }

  @Test
  void batchesThatStartOnTilesGiveTheBitsOfOneBatch() {
    // n₁ = 100 (feature tiles of 11 tasks), n₂ = 128 (8 tasks; 8 tasks fill whole gradient tiles): batches
    // of 88 tasks start on every kind of tile; 200 tasks make three batches, the last one short.
    DataParallelPretrainingTest.Planted p = DataParallelPretrainingTest.planted(10, 200, 150, 4);
    PretrainingOptions options = PretrainingOptions.defaults(16).withRounds(3).withSamples(100, 128).withThreads(2);
    double[] whole = rounds(p, options, 200);
    assertThat(rounds(p, options, 88)).containsExactly(whole);
    assertThat(rounds(p, options.withThreads(1), 176)).containsExactly(whole);
    // And what the library picks for these shapes (all 200 tasks: they fit the budget) is that run.
    assertThat(MultiTaskPretraining.fit(TaskSampler.finite(p.data()), options).network().W()).containsExactly(whole);
  }

  @Test
  void batchesOffTheTilesMoveTheLayerByFloatRoundingOnly() {
    // Batches of 7 tasks with n₂ = 50: gradient tiles restart at each batch, so W's float32 partial sums
    // are grouped otherwise. Measured 1.8e-7 after three rounds; the bound is float32's 1e-6.
    DataParallelPretrainingTest.Planted p = DataParallelPretrainingTest.planted(10, 60, 120, 5);
    PretrainingOptions options = PretrainingOptions.defaults(16).withRounds(3).withSamples(40, 50).withThreads(2);
    double[] whole = rounds(p, options, 60);
    double[] batched = rounds(p, options, 7);
    assertThat(batched).isNotEqualTo(whole);
    assertThat(Matrices.maxRelativeDifference(whole, batched)).isLessThan(1e-6);
  }
}
