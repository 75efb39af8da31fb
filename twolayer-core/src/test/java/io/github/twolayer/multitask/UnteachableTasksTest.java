package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.progress.Progress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Multi-task data that cannot teach a shared layer are refused on every path (tasks in memory, Bernoulli
 * passes), and n₁, n₂ larger than every task are a warning with the sizes the rounds used.
 */
class UnteachableTasksTest {
  private static final MultiTaskDataset DATA = DataParallelPretrainingTest.planted(8, 6, 100, 7).data();
  private static final PretrainingOptions OPTIONS = PretrainingOptions.defaults(8).withRounds(2).withSamples(40, 40)
      .withThreads(2);

  private static MultiTaskDataset withLabels(double[] y) {
    return new MultiTaskDataset(DATA.n(), DATA.d(), DATA.x(), y, DATA.task());
  }

  private static Representation pretrain(MultiTaskDataset data, PretrainingOptions options) {
    return MultiTaskPretraining.fit(new PretrainingSource.Tasks(data, null), options, Progress.NONE);
  }

  @Test
  void labelsOfOneClassAreRefusedOnEveryPath() {
    double[] minus = new double[DATA.n()];
    Arrays.fill(minus, -1);
    double[] byTask = new double[DATA.n()];
    for (int i = 0; i < DATA.n(); i++) {
      byTask[i] = DATA.task()[i] < 2 ? 1 : -1;
    }
    for (PretrainingOptions.Sampling sampling : PretrainingOptions.Sampling.values()) {
      PretrainingOptions o = OPTIONS.withSampling(sampling);
      assertThatThrownBy(() -> pretrain(withLabels(minus), o)).as("%s", sampling)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("every label is −1 (600 rows, 6 tasks)");
      assertThatThrownBy(() -> pretrain(withLabels(byTask), o)).as("%s", sampling)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("every task has labels of one class only (task 0 all +1, task 1 all +1, task 2 all "
              + "−1, …)");
    }
    // The engine's own counting pass (files, Spark) refuses them too.
    assertThatThrownBy(() -> DataParallelPretraining.fit(withLabels(byTask), OPTIONS, Progress.NONE, (r, w) -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every task has labels of one class only");
    // One task of two classes is enough, and layers that ignore the labels do not look at them.
    byTask[0] = -byTask[0];
    assertThat(pretrain(withLabels(byTask), OPTIONS).network().W()).isNotEmpty();
    assertThat(pretrain(withLabels(minus), OPTIONS.withBaseline(Baselines.Kind.RANDOM_FEATURES)).tasks()).isZero();
  }

  @Test
  void setsLargerThanEveryTaskAreAWarningWithTheSizesUsed() {
    // Tasks of 100 rows: n₁ = 150 takes all of them for S¹ (and S² its 40 from the same rows).
    for (PretrainingOptions.Sampling sampling : PretrainingOptions.Sampling.values()) {
      Representation rep = pretrain(DATA, OPTIONS.withSamples(150, 40).withSampling(sampling));
      assertThat(rep.warnings()).as("%s", sampling).containsExactly("--n1 150 exceeds every task's rows (the largest "
          + "task has 100): each round uses S¹ of 100 and S² of 40 rows per task, all of a task's rows for S¹; pass "
          + "--n1 and --n2 of at most 100, or give the tasks more rows");
      assertThat(rep.diagnostics()).containsEntry("warnings", rep.warnings());
      assertThat(pretrain(DATA, OPTIONS.withSampling(sampling)).warnings()).isEmpty();
    }
  }
}
