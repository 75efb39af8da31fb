package io.github.twolayer.data;

import java.util.Arrays;

/**
 * Samples of T binary tasks (docs/cli.md, "Data files"): X (n×d, row-major), labels y ∈ {−1, +1} and task ids in
 * 0..T−1, one per row. Rows of a task need not be contiguous; {@link #rowsOf} lists them.
 */
public final class MultiTaskDataset {
  private final int n;
  private final int d;
  private final int tasks;
  private final double[] x;
  private final double[] y;
  private final int[] task;
  private final int[][] rowsByTask;

  public MultiTaskDataset(int n, int d, double[] x, double[] y, int[] task) {
    if (n <= 0 || d <= 0) {
      throw new IllegalArgumentException("multi-task data need n > 0 rows and d > 0 inputs, got n = " + n + ", d = " + d);
    }
    if (x.length != (long) n * d || y.length != n || task.length != n) {
      throw new IllegalArgumentException("X, y and task must have n = " + n + " rows (X " + x.length / Math.max(1, d)
          + ", y " + y.length + ", task " + task.length + ")");
    }
    int max = -1;
    for (int i = 0; i < n; i++) {
      if (y[i] != 1 && y[i] != -1) {
        throw new IllegalArgumentException("label y = " + y[i] + " in row " + i + " is not −1 or +1; binary tasks "
            + "need labels ±1 (map 0/1 labels with 2y − 1)");
      }
      if (task[i] < 0) {
        throw new IllegalArgumentException("task id " + task[i] + " in row " + i + " is negative; ids run 0..T−1");
      }
      max = Math.max(max, task[i]);
    }
    Finite.require(x, 0, x.length / d, d, 0, "X");
    int[] counts = new int[max + 1];
    for (int t : task) {
      counts[t]++;
    }
    for (int t = 0; t <= max; t++) {
      if (counts[t] == 0) {
        throw new IllegalArgumentException("task " + t + " has no rows, but ids must run 0..T−1 without gaps "
            + "(T = " + (max + 1) + "); renumber the tasks");
      }
    }
    int[][] rows = new int[max + 1][];
    int[] fill = new int[max + 1];
    for (int t = 0; t <= max; t++) {
      rows[t] = new int[counts[t]];
    }
    for (int i = 0; i < n; i++) {
      rows[task[i]][fill[task[i]]++] = i;
    }
    this.n = n;
    this.d = d;
    this.tasks = max + 1;
    this.x = x;
    this.y = y;
    this.task = task;
    this.rowsByTask = rows;
  }

  public int n() {
    return n;
  }

  public int d() {
    return d;
  }

  /** Number of tasks T. */
  public int tasks() {
    return tasks;
  }

  /** The inputs (backing array). */
  public double[] x() {
    return x;
  }

  /** The labels ±1 (backing array). */
  public double[] y() {
    return y;
  }

  /** The task ids (backing array). */
  public int[] task() {
    return task;
  }

  /** The rows of task t, in file order. */
  public int[] rowsOf(int t) {
    return rowsByTask[t].clone();
  }

  /** Number of rows of task t. */
  public int size(int t) {
    return rowsByTask[t].length;
  }

  /** A single-task dataset (all task ids 0) from X and labels. */
  public static MultiTaskDataset singleTask(int n, int d, double[] x, double[] y) {
    return new MultiTaskDataset(n, d, x, y, new int[n]);
  }

  @Override
  public String toString() {
    return "MultiTaskDataset[n=" + n + ", d=" + d + ", T=" + tasks + ", sizes=" + Arrays.toString(
        Arrays.stream(rowsByTask).mapToInt(a -> a.length).limit(8).toArray()) + (tasks > 8 ? "…" : "") + "]";
  }
}
