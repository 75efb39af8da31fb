package io.github.twolayer.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.multitask.DataParallelPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineFactory;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.TaskFamily;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Data-parallel multi-task pretraining on Spark equals the same algorithm on this machine's cores. */
class SparkPretrainingTest {
  @Tag("acceptance")
  @Test
  void sparkRoundsGiveTheLocalRepresentation() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(12);
    int d = 15;
    int tasks = 10;
    int perTask = 800;
    TaskFamily family = TaskFamily.draw(d, 3, TaskFamily.Kind.HALFSPACE, 0, rng);
    List<TaskFamily.Task> drawn = TaskSampler.drawTasks(family, tasks, rng);
    double[] x = new double[tasks * perTask * d];
    double[] y = new double[tasks * perTask];
    int[] task = new int[tasks * perTask];
    for (int t = 0; t < tasks; t++) {
      family.sample(drawn.get(t), rng, perTask, x, t * perTask * d, y, t * perTask);
      Arrays.fill(task, t * perTask, (t + 1) * perTask, t);
    }
    MultiTaskDataset data = new MultiTaskDataset(tasks * perTask, d, x, y, task);
    PretrainingOptions options = PretrainingOptions.defaults(32).withRounds(6).withSamples(200, 300);
    double[] local = DataParallelPretraining.fit(data, options, Progress.NONE, (r, w) -> {}).network().W();
    try (Engine spark = EngineFactory.named("spark").distribute("local[2]", DataParallelPretraining.rows(data), 4)) {
      double[] distributed = DataParallelPretraining.fit(spark, options, Progress.NONE, (r, w) -> {}).network().W();
      // Same rows in S¹ and S² (a hash of each row), sums added in another order: ~1e-15 relative.
      assertThat(Matrices.maxRelativeDifference(local, distributed)).isLessThan(1e-10);
    }
  }
}
