package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.TaskFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-task pretraining with every sum a pass of an engine (the form that runs on Spark). */
class DataParallelPretrainingTest {
  record Planted(TaskFamily family, MultiTaskDataset data) {}

  static Planted planted(int d, int tasks, int perTask, long seed) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    TaskFamily family = TaskFamily.draw(d, 3, TaskFamily.Kind.HALFSPACE, 0, rng);
    List<TaskFamily.Task> drawn = TaskSampler.drawTasks(family, tasks, rng);
    int n = tasks * perTask;
    double[] x = new double[n * d];
    double[] y = new double[n];
    int[] task = new int[n];
    for (int t = 0; t < tasks; t++) {
      family.sample(drawn.get(t), rng, perTask, x, t * perTask * d, y, t * perTask);
      Arrays.fill(task, t * perTask, (t + 1) * perTask, t);
    }
    return new Planted(family, new MultiTaskDataset(n, d, x, y, task));
  }

  @Test
  void whenEveryRowIsSampledItIsTheSubsetAlgorithm() {
    // n₁, n₂ above every task's size: both samplers take all of a task's rows for S¹ and for S², so the
    // two algorithms compute the same sums in different orders, for every loss and head schedule.
    Planted p = planted(10, 4, 300, 5);
    for (PretrainingOptions.Heads heads : PretrainingOptions.Heads.values()) {
      PretrainingOptions options = PretrainingOptions.defaults(32).withRounds(4).withSamples(1000, 1000).withHeads(heads).withThreads(2)
          .withPrecision(PretrainingOptions.Precision.FLOAT64);
      Representation subsets = MultiTaskPretraining.fit(TaskSampler.finite(p.data()), options);
      Representation passes = DataParallelPretraining.fit(p.data(), options, Progress.NONE, (r, w) -> {});
      assertThat(passes.tasks()).isEqualTo(4);
      // Four rounds of sums of 300 terms each, reassociated: ~1e-15 relative; 1e-10 is the acceptance bound.
      assertThat(Matrices.maxRelativeDifference(subsets.network().W(), passes.network().W())).as("%s", heads).isLessThan(1e-10);
    }
  }

  @Tag("acceptance")
  @Test
  void subsampledRoundsLearnThePlantedSubspace() {
    Planted p = planted(20, 32, 2000, 8);
    PretrainingOptions options = PretrainingOptions.defaults(128).withRounds(40);
    Representation rep = DataParallelPretraining.fit(p.data(), options, Progress.NONE, (r, w) -> {});
    SubspaceMetrics m = SubspaceMetrics.of(rep.network().W(), 128, 20, p.family().basis(), 3);
    SubspaceMetrics init = SubspaceMetrics.of(MultiTaskPretraining.initialLayer(20, options).W(), 128, 20,
        p.family().basis(), 3);
    Representation subsets = MultiTaskPretraining.fit(TaskSampler.finite(p.data()), options);
    SubspaceMetrics reference = SubspaceMetrics.of(subsets.network().W(), 128, 20, p.family().basis(), 3);
    // Measured (seed 8): init 0.999; after 40 rounds Bernoulli sets 0.033, fixed-size subsets 0.039.
    // Bernoulli sets of the same expected size must do as well, within sampling noise.
    assertThat(init.subspaceDist()).isGreaterThan(0.9);
    assertThat(m.subspaceDist()).isLessThan(0.1).isLessThan(2 * reference.subspaceDist());
  }

  @Test
  void theResultIsTheSameBitsForAnyThreadCount() {
    Planted p = planted(12, 6, 700, 2);
    PretrainingOptions options = PretrainingOptions.defaults(48).withRounds(3).withSamples(100, 120);
    double[] one = DataParallelPretraining.fit(p.data(), options.withThreads(1), Progress.NONE, (r, w) -> {})
        .network().W();
    double[] three = DataParallelPretraining.fit(p.data(), options.withThreads(3), Progress.NONE, (r, w) -> {})
        .network().W();
    assertThat(three).containsExactly(one);
  }

  @Test
  void roundSetsHaveTheRequestedSizesOnAverageAndAreDisjointWhenTheTaskIsLarge() {
    Planted p = planted(5, 2, 10_000, 3);
    long[] sizes = {10_000, 10_000};
    int[] both = new int[4];
    double[] x = p.data().x();
    for (int round = 0; round < 20; round++) {
      RoundSampling s = RoundSampling.of(7, round, sizes, 256, 512);
      for (int i = 0; i < 10_000; i++) {
        both[s.membership(x, i * 5, 5, p.data().y()[i], 0)]++;
      }
    }
    // 20 rounds: |S¹| averages 256 (sd of the mean 16/√20 ≈ 3.5), |S²| 512 (≈ 5): 5 sd bounds.
    assertThat(both[RoundSampling.S1] / 20.0).isBetween(256 - 18.0, 256 + 18.0);
    assertThat(both[RoundSampling.S2] / 20.0).isBetween(512 - 25.0, 512 + 25.0);
    assertThat(both[RoundSampling.S1 | RoundSampling.S2]).isZero();
    // Rounds draw anew: round 0 and round 1 share few S¹ rows (expected 256 × 0.0256 ≈ 6.6).
    RoundSampling r0 = RoundSampling.of(7, 0, sizes, 256, 512);
    RoundSampling r1 = RoundSampling.of(7, 1, sizes, 256, 512);
    int shared = 0;
    for (int i = 0; i < 10_000; i++) {
      if ((r0.membership(x, i * 5, 5, 1, 0) & r1.membership(x, i * 5, 5, 1, 0) & RoundSampling.S1) != 0) {
        shared++;
      }
    }
    assertThat(shared).isLessThan(25);
  }

  @Test
  void filesStreamTheSameRowsAsTheDatasetInMemory(@TempDir Path tmp)
      throws IOException {
    Planted p = planted(9, 5, 400, 4);
    PretrainingOptions options = PretrainingOptions.defaults(16).withRounds(3).withSamples(60, 80);
    double[] inMemory = DataParallelPretraining.fit(p.data(), options, Progress.NONE, (r, w) -> {}).network().W();
    for (String name : new String[] {"tasks.npz", "tasks.csv"}) {
      Path file = tmp.resolve(name);
      MultiTaskFiles.write(file, p.data());
      RowSource rows = MultiTaskFiles.rows(file);
      assertThat(rows.l()).isEqualTo(2);
      // Same rows in the same order and blocks: the same bits, streamed or not.
      assertThat(DataParallelPretraining.fit(rows, options, Progress.NONE, (r, w) -> {}).network().W())
          .as(name).containsExactly(inMemory);
    }
    // Without task ids a file is one task: the label is the only output.
    Path single = tmp.resolve("one.csv");
    StringBuilder csv = new StringBuilder("x0,x1,x2,x3,y\n");
    MultiTaskDataset one = planted(4, 1, 300, 6).data();
    for (int i = 0; i < one.n(); i++) {
      for (int c = 0; c < 4; c++) {
        csv.append(one.x()[4 * i + c]).append(',');
      }
      csv.append((int) one.y()[i]).append('\n');
    }
    Files.writeString(single, csv);
    RowSource rows = MultiTaskFiles.rows(single);
    assertThat(rows.l()).isEqualTo(1);
    Representation streamed = DataParallelPretraining.fit(rows, options, Progress.NONE, (r, w) -> {});
    assertThat(streamed.tasks()).isEqualTo(1);
    assertThat(streamed.network().W()).containsExactly(
        DataParallelPretraining.fit(one, options, Progress.NONE, (r, w) -> {}).network().W());
  }

  @Test
  void badRowsAreRefusedWithTheirRowNumber() {
    double[] x = new double[3 * 2];
    Dataset labels = new Dataset(3, 2, 2, x, new double[] {1, 0, -1, 0, 0.5, 1});
    try (LocalEngine engine = new LocalEngine(labels, 1, 64, Progress.NONE)) {
      assertThatThrownBy(() -> DataParallelPretraining.fit(engine, PretrainingOptions.defaults(4), Progress.NONE, (r, w) -> {}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 2").hasMessageContaining("±1");
    }
    Dataset gap = new Dataset(3, 2, 2, x, new double[] {1, 0, -1, 2, 1, 2});
    try (LocalEngine engine = new LocalEngine(gap, 1, 64, Progress.NONE)) {
      assertThatThrownBy(() -> DataParallelPretraining.fit(engine, PretrainingOptions.defaults(4), Progress.NONE, (r, w) -> {}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task 1 has no rows");
    }
  }
}
