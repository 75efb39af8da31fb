package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Samples of T binary tasks of a family, drawn in memory from one seed in the order {@code generate multitask}
 * draws them (the family, then the tasks, then each task's rows in turn), so that a library caller (the
 * Python package) gets the same numbers as the command's files.
 */
public final class MultiTaskSamples {
  private MultiTaskSamples() {}

  /** The truth (subspace and tasks) and the samples, {@code perTask} rows of each task in task order. */
  public record Drawn(SubspaceTruth truth, MultiTaskDataset data) {}

  /** A fresh subspace M (d×r) of the given kind and T new tasks on it, all from {@code seed}. */
  public static Drawn draw(int d, int r, int tasks, int perTask, TaskFamily.Kind kind, double labelNoise, long seed) {
    requirePositive(tasks, perTask);
    UniformRandomProvider rng = Seeds.root(seed);
    return sample(TaskFamily.draw(d, r, kind, labelNoise, rng), tasks, perTask, rng, seed);
  }

  /**
   * T new tasks on the subspace of {@code family} (e.g. downstream tasks of a pretrained family), drawn
   * from {@code seed}, as {@code generate multitask --subspace} draws them.
   */
  public static Drawn drawOn(TaskFamily family, int tasks, int perTask, long seed) {
    requirePositive(tasks, perTask);
    return sample(family, tasks, perTask, Seeds.root(seed), seed);
  }

  private static void requirePositive(int tasks, int perTask) {
    if (tasks <= 0 || perTask <= 0) {
      throw new IllegalArgumentException("tasks = " + tasks + " and samples per task = " + perTask
          + " must be positive");
    }
  }

  private static Drawn sample(TaskFamily family, int tasks, int perTask, UniformRandomProvider rng, long seed) {
    List<TaskFamily.Task> drawn = TaskSampler.drawTasks(family, tasks, rng);
    long total = (long) tasks * perTask;
    int d = family.d();
    if (total * d > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(total + " samples of dimension " + d + " are too many to hold in one "
          + "array; use fewer tasks or samples per task");
    }
    int n = (int) total;
    double[] x = new double[n * d];
    double[] y = new double[n];
    int[] ids = new int[n];
    for (int t = 0; t < tasks; t++) {
      family.sample(drawn.get(t), rng, perTask, x, t * perTask * d, y, t * perTask);
      Arrays.fill(ids, t * perTask, (t + 1) * perTask, t);
    }
    return new Drawn(new SubspaceTruth(family, drawn, seed), new MultiTaskDataset(n, d, x, y, ids));
  }
}
