package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Where each round's per-task samples S¹ (n₁) and S² (n₂) come from: fresh draws from a task family
 * (online) or subsets of a finite dataset. Draws for (round, task) use their own generator seeded by
 * (seed, round, task), so tasks can be processed in parallel and the result depends on the seed only.
 */
public interface TaskSampler {
  int d();

  int tasks();

  /** Fills S¹ into (x1, y1) and S² into (x2, y2); returns the number of rows of each, {n1', n2'}. */
  int[] draw(long seed, int round, int task, int n1, int n2, double[] x1, double[] y1, double[] x2, double[] y2);

  /**
   * {@link #draw} into float rows with a last coordinate 1 (stride d + 1), for the float32 rounds; false
   * when this sampler has no float path (the caller then draws in double and rounds). The samples are
   * those of {@link #draw}, rounded to float.
   */
  default boolean drawFloat(long seed, int round, int task, int n1, int n2, float[] x1, int x1Off, float[] y1,
      int y1Off, float[] x2, int x2Off, float[] y2, int y2Off) {
    return false;
  }

  /**
   * Samples of every task, n₁ and n₂ each, that the rounds never draw, for {@code --rounds auto}'s
   * held-out loss; null when this sampler has none to give (finite data must be split before
   * sampling: {@link HeldOut#split}).
   */
  default HeldOut heldOut(long seed, int n1, int n2) {
    return null;
  }

  /** The generator for one (round, task). */
  static UniformRandomProvider generator(long seed, int round, int task) {
    return Seeds.generator(Seeds.Stream.TASK_SAMPLES, seed, round, task);
  }

  /** Fresh samples every round from T tasks of a family (online mode). */
  static TaskSampler online(TaskFamily family, List<TaskFamily.Task> tasks) {
    List<TaskFamily.Task> copy = List.copyOf(tasks);
    return new TaskSampler() {
      @Override
      public int d() {
        return family.d();
      }

      @Override
      public int tasks() {
        return copy.size();
      }

      @Override
      public int[] draw(long seed, int round, int task, int n1, int n2, double[] x1, double[] y1, double[] x2,
          double[] y2) {
        UniformRandomProvider rng = generator(seed, round, task);
        family.sample(copy.get(task), rng, n1, x1, 0, y1, 0);
        family.sample(copy.get(task), rng, n2, x2, 0, y2, 0);
        return new int[] {n1, n2};
      }

      @Override
      public HeldOut heldOut(long seed, int n1, int n2) {
        return HeldOut.drawn(family, copy, n1, n2, seed);
      }

      @Override
      public boolean drawFloat(long seed, int round, int task, int n1, int n2, float[] x1, int x1Off, float[] y1,
          int y1Off, float[] x2, int x2Off, float[] y2, int y2Off) {
        UniformRandomProvider rng = generator(seed, round, task);
        int stride = family.d() + 1;
        return family.sampleFloat(copy.get(task), rng, n1, x1, x1Off, stride, y1, y1Off)
            && family.sampleFloat(copy.get(task), rng, n2, x2, x2Off, stride, y2, y2Off);
      }
    };
  }

  /** T tasks drawn from a family with a generator. */
  static List<TaskFamily.Task> drawTasks(TaskFamily family, int count, UniformRandomProvider rng) {
    if (count <= 0) {
      throw new IllegalArgumentException("--tasks = " + count + " must be positive");
    }
    List<TaskFamily.Task> tasks = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      tasks.add(family.drawTask(rng));
    }
    return tasks;
  }

  /**
   * Subsets of a finite dataset: each round, S¹ and S² are disjoint random subsets of the task's rows
   * when it has at least n₁ + n₂ of them; otherwise each is a random subset of min(n, rows) rows.
   */
  static TaskSampler finite(MultiTaskDataset data) {
    return finite(data, null);
  }

  /** {@link #finite(MultiTaskDataset)} with the rows held out of it ({@link HeldOut#split}), or null. */
  static TaskSampler finite(MultiTaskDataset data, HeldOut heldOut) {
    return new TaskSampler() {
      @Override
      public HeldOut heldOut(long seed, int n1, int n2) {
        return heldOut;
      }

      @Override
      public int d() {
        return data.d();
      }

      @Override
      public int tasks() {
        return data.tasks();
      }

      @Override
      public int[] draw(long seed, int round, int task, int n1, int n2, double[] x1, double[] y1, double[] x2,
          double[] y2) {
        UniformRandomProvider rng = generator(seed, round, task);
        int[] rows = data.rowsOf(task);
        int d = data.d();
        boolean disjoint = rows.length >= n1 + n2;
        int c1 = Math.min(n1, rows.length);
        Seeds.shufflePrefix(rows, disjoint ? n1 + n2 : c1, rng);
        copy(rows, 0, c1, x1, y1, d);
        int c2;
        if (disjoint) {
          c2 = n2;
          copy(rows, n1, n2, x2, y2, d);
        } else {
          c2 = Math.min(n2, rows.length);
          Seeds.shufflePrefix(rows, c2, rng);
          copy(rows, 0, c2, x2, y2, d);
        }
        return new int[] {c1, c2};
      }

      private void copy(int[] rows, int from, int count, double[] x, double[] y, int d) {
        for (int i = 0; i < count; i++) {
          int row = rows[from + i];
          System.arraycopy(data.x(), row * d, x, i * d, d);
          y[i] = data.y()[row];
        }
      }
    };
  }
}
