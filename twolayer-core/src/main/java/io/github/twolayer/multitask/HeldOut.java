package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Samples of every task that pretraining never trains on, for a measure of the representation that
 * needs no truth: the held-out loss. For each task, a head is fitted as a round fits it (reset, then the
 * head steps on the task's held-out S¹), and the logistic loss of that head is averaged over the task's
 * held-out S²; the measure is the mean over tasks. It asks of the current W exactly what a new task asks
 * of it — can a head fitted on a few samples classify fresh ones? — so it falls while W moves into the
 * tasks' subspace and settles when W stops improving.
 *
 * @param x1 per task, the rows (n₁ × d, row-major) a head is fitted on
 * @param y1 per task, their labels ±1
 * @param x2 per task, the rows the head is scored on
 * @param y2 per task, their labels ±1
 */
public record HeldOut(int d, List<double[]> x1, List<double[]> y1, List<double[]> x2, List<double[]> y2) {

  /**
   * The share of each task's rows held out of finite data under {@code --rounds auto}: a fifth leaves
   * four fifths to train on and, for tasks of a few hundred rows (the UCI digits' pairs: ~360), still
   * scores each task on dozens of rows.
   */
  public static final double SHARE = 0.2;

  public HeldOut {
    x1 = List.copyOf(x1);
    y1 = List.copyOf(y1);
    x2 = List.copyOf(x2);
    y2 = List.copyOf(y2);
  }

  public int tasks() {
    return y1.size();
  }

  /** Fresh samples of the tasks of a family, n₁ and n₂ per task, from their own stream of {@code seed}. */
  static HeldOut drawn(TaskFamily family, List<TaskFamily.Task> tasks, int n1, int n2, long seed) {
    int d = family.d();
    List<double[]> x1 = new ArrayList<>();
    List<double[]> y1 = new ArrayList<>();
    List<double[]> x2 = new ArrayList<>();
    List<double[]> y2 = new ArrayList<>();
    for (int t = 0; t < tasks.size(); t++) {
      UniformRandomProvider rng = Seeds.generator(Seeds.Stream.HELD_OUT, seed, t);
      double[] xa = new double[n1 * d];
      double[] ya = new double[n1];
      double[] xb = new double[n2 * d];
      double[] yb = new double[n2];
      family.sample(tasks.get(t), rng, n1, xa, 0, ya, 0);
      family.sample(tasks.get(t), rng, n2, xb, 0, yb, 0);
      x1.add(xa);
      y1.add(ya);
      x2.add(xb);
      y2.add(yb);
    }
    return new HeldOut(d, x1, y1, x2, y2);
  }

  /** Finite data split into the rows pretraining trains on and those it holds out. */
  public record Split(MultiTaskDataset training, HeldOut heldOut) {}

  /**
   * Holds out {@link #SHARE} of each task's rows (a seeded choice; at least one row for each half of the
   * held-out part, and at least one row left to train on), halved into S¹ and S².
   */
  public static Split split(MultiTaskDataset data, long seed) {
    int d = data.d();
    int tasks = data.tasks();
    List<double[]> x1 = new ArrayList<>();
    List<double[]> y1 = new ArrayList<>();
    List<double[]> x2 = new ArrayList<>();
    List<double[]> y2 = new ArrayList<>();
    boolean[] held = new boolean[data.n()];
    for (int t = 0; t < tasks; t++) {
      int[] rows = data.rowsOf(t).clone();
      if (rows.length < 3) {
        throw new IllegalArgumentException("task " + t + " has " + rows.length + " rows: --rounds auto holds a "
            + "fifth of each task's rows out to decide when to stop, which needs at least 3; give the tasks more "
            + "rows, or a number of rounds (--rounds K)");
      }
      int h = Math.max(2, Math.min(rows.length - 1, (int) Math.round(SHARE * rows.length)));
      Seeds.shufflePrefix(rows, h, Seeds.generator(Seeds.Stream.HELD_OUT, seed, t));
      int h1 = h / 2;
      double[][] part1 = gather(data, rows, 0, h1);
      double[][] part2 = gather(data, rows, h1, h - h1);
      x1.add(part1[0]);
      y1.add(part1[1]);
      x2.add(part2[0]);
      y2.add(part2[1]);
      for (int i = 0; i < h; i++) {
        held[rows[i]] = true;
      }
    }
    int kept = 0;
    for (boolean b : held) {
      kept += b ? 0 : 1;
    }
    double[] x = new double[kept * d];
    double[] y = new double[kept];
    int[] task = new int[kept];
    for (int i = 0, j = 0; i < data.n(); i++) {
      if (!held[i]) {
        System.arraycopy(data.x(), i * d, x, j * d, d);
        y[j] = data.y()[i];
        task[j] = data.task()[i];
        j++;
      }
    }
    return new Split(new MultiTaskDataset(kept, d, x, y, task), new HeldOut(d, x1, y1, x2, y2));
  }

  private static double[][] gather(MultiTaskDataset data, int[] rows, int from, int count) {
    int d = data.d();
    double[] x = new double[count * d];
    double[] y = new double[count];
    for (int i = 0; i < count; i++) {
      System.arraycopy(data.x(), rows[from + i] * d, x, i * d, d);
      y[i] = data.y()[rows[from + i]];
    }
    return new double[][] {x, y};
  }

  /**
   * The held-out loss of the layer (W m×d, biases c): per task, a head reset and stepped as the options
   * say on S¹ (the same head step as a round's), then the mean logistic loss log(1 + e^(−y bᵀφ_W(x)))
   * over S²; the mean over tasks. Logistic whatever the training loss: a linear loss has no floor, and
   * the measure must settle when W does.
   */
  double loss(double[] w, double[] c, int m, PretrainingOptions options) {
    Blas blas = options.blas().implementation();
    double total = 0;
    for (int t = 0; t < tasks(); t++) {
      int n1 = y1.get(t).length;
      int n2 = y2.get(t).length;
      double[] phi1 = new double[n1 * m];
      double[] phi2 = new double[n2 * m];
      Features.of(w, c, m, d, x1.get(t), n1, phi1, blas);
      Features.of(w, c, m, d, x2.get(t), n2, phi2, blas);
      double[] head = new double[m];
      for (int k = 0; k < options.headSteps(); k++) {
        TaskByTask.headStep(head, phi1, y1.get(t), n1, m, options.loss(), options.headRate());
      }
      double sum = 0;
      for (int i = 0; i < n2; i++) {
        double f = 0;
        for (int j = 0; j < m; j++) {
          f += head[j] * phi2[i * m + j];
        }
        sum += Loss.LOGISTIC.value(y2.get(t)[i] * f);
      }
      total += sum / n2;
    }
    return total / tasks();
  }
}
