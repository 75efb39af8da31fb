package io.github.twolayer.multitask;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.pass.Accumulator;
import java.util.Arrays;

/**
 * One pass over rows (x; y, task) (or (x; y): one task) that counts each task's rows N_t and those
 * labelled +1, checking on the way that labels are ±1, task ids integers and inputs finite.
 */
final class TaskCounts implements Accumulator<TaskCounts> {
  private static final long serialVersionUID = 1L;

  private final int d;
  private final int l;
  private long[] sizes = new long[0];
  private long[] positives = new long[0];
  private long n;

  TaskCounts(int d, int l) {
    this.d = d;
    this.l = l;
  }

  @Override
  public TaskCounts empty() {
    return new TaskCounts(d, l);
  }

  @Override
  public long count() {
    return n;
  }

  /** N_t per task id seen (ids without rows count 0). */
  long[] sizes() {
    return sizes;
  }

  /** The rows of each task labelled +1 (the rest are −1). */
  long[] positives() {
    return positives;
  }

  @Override
  public void combine(TaskCounts o) {
    grow(o.sizes.length);
    for (int t = 0; t < o.sizes.length; t++) {
      sizes[t] += o.sizes[t];
      positives[t] += o.positives[t];
    }
    n += o.n;
  }

  private void grow(int tasks) {
    if (tasks > sizes.length) {
      sizes = Arrays.copyOf(sizes, tasks);
      positives = Arrays.copyOf(positives, tasks);
    }
  }

  @Override
  public void accept(RowBlock b) {
    for (int r = 0; r < b.rows(); r++) {
      double y = b.y()[b.yOffset() + l * r];
      double task = l == 2 ? b.y()[b.yOffset() + 2 * r + 1] : 0;
      long row = b.firstRow() + r;
      if (y != 1 && y != -1) {
        throw new IllegalArgumentException("label y = " + y + " in row " + row + " is not −1 or +1; binary tasks "
            + "need labels ±1 (map 0/1 labels with 2y − 1)");
      }
      if (!(task >= 0) || task != Math.rint(task) || task > Integer.MAX_VALUE - 1) {
        throw new IllegalArgumentException("task id " + task + " in row " + row + " is not an integer in 0..T−1");
      }
      int t = (int) task;
      if (t >= sizes.length) {
        grow(Math.max(t + 1, 2 * sizes.length));
      }
      sizes[t]++;
      if (y > 0) {
        positives[t]++;
      }
      Finite.require(b.x(), b.xOffset() + r * d, 1, d, row, "X");
    }
    n += b.rows();
  }
}
