package io.github.twolayer.multitask;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import java.util.Arrays;

/**
 * Multi-task pretraining (docs/collins-method.md, the algorithm of {@link MultiTaskPretraining}) with every
 * sum over samples run as a pass of an {@link Engine}: on this machine's cores over a file of any size,
 * or data-parallel on Spark. Rows are (x; y, task): the engine's outputs are the label ±1 and the task
 * id (or the label alone: one task). Each round's S¹ and S² are chosen row by row ({@link RoundSampling}),
 * so a round costs one pass per head step plus one for the gradient of W, and nothing but W and the heads
 * travels to the workers.
 *
 * <p>It differs from {@link MultiTaskPretraining} over a finite dataset only in how S¹ and S² are drawn
 * (Bernoulli with the same expected sizes instead of fixed-size subsets); the same seed gives the same
 * sets on every engine, so engines agree up to the order of additions.
 */
public final class DataParallelPretraining {
  private DataParallelPretraining() {}

  /** Pretrains on a dataset in memory, on this machine's cores ({@code options.threads()}). */
  public static Representation fit(MultiTaskDataset data, PretrainingOptions options, Progress progress,
      MultiTaskPretraining.RoundListener listener) {
    return fit(rows(data), options, progress, listener);
  }

  /**
   * Pretrains on rows (x; y, task) from memory or streamed from a file of any size
   * ({@link io.github.twolayer.data.MultiTaskFiles#rows}), on this machine's cores.
   */
  public static Representation fit(RowSource rows, PretrainingOptions options, Progress progress,
      MultiTaskPretraining.RoundListener listener) {
    try (LocalEngine engine = new LocalEngine(rows, options.threads(), LocalEngine.blockRowsFor(rows.d(), rows.l()),
        progress)) {
      return fit(engine, options, progress, listener);
    }
  }

  /** The rows (x; y, task) of a multi-task dataset as samples with two outputs. */
  public static Dataset rows(MultiTaskDataset data) {
    double[] labels = new double[2 * data.n()];
    for (int i = 0; i < data.n(); i++) {
      labels[2 * i] = data.y()[i];
      labels[2 * i + 1] = data.task()[i];
    }
    return new Dataset(data.n(), data.d(), 2, data.x(), labels);
  }

  /** Pretrains on {@code data} (l = 2: label, task id), its rows as they are. */
  public static Representation fit(Engine data, PretrainingOptions options, Progress progress,
      MultiTaskPretraining.RoundListener listener) {
    long[] sizes = taskSizes(data);
    options = options.resolvedFor(data.d(), Arrays.stream(sizes).max().orElse(1));
    return rounds(data, null, sizes, options, progress, listener)
        .withWarnings(MultiTaskPretraining.sampleSizeWarnings(sizes, options.n1(), options.n2()));
  }

  /**
   * The rounds on {@code data}, whose tasks have {@code sizes} rows ({@link #taskSizes}), on the rows
   * standardized by {@code z} (null: as they are); the layer is in the standardized units.
   */
  static Representation rounds(Engine data, InputStandardization z, long[] sizes, PretrainingOptions options,
      Progress progress, MultiTaskPretraining.RoundListener listener) {
    long start = System.nanoTime();
    // The data-parallel form sums in double: its partial sums are merged across slots and machines, and
    // its per-row work is bounded by reading the rows, not by the products. The result says so.
    options = options.withPrecision(PretrainingOptions.Precision.FLOAT64);
    int d = data.d();
    int l = data.l();
    int m = options.width();
    int taskCount = sizes.length;
    TwoLayerNet init = MultiTaskPretraining.initialLayer(d, options);
    double[] w = init.W();
    double[] c = init.bias() == null ? new double[m] : init.bias();
    double[][] heads = MultiTaskPretraining.initialHeads(taskCount, m, options);
    boolean simultaneous = options.heads().simultaneous;
    DivergenceWatch watch = new DivergenceWatch(options);
    // --rounds auto: a share of every task's rows, chosen by their hash, is held out of the rounds; the
    // schedule's held-out loss is measured on them with the diagnostics' passes.
    boolean auto = options.rounds() == PretrainingOptions.AUTO_ROUNDS;
    double share = auto ? HeldOut.SHARE : 0;
    PretrainingOptions measured = options;
    RoundSchedule schedule = !auto ? RoundSchedule.of(options, null, listener)
        : RoundSchedule.measured(options, (wNow, cNow) -> PretrainingDiagnostics.evaluate(data, z, sizes,
            new TwoLayerNet(d, m, 0, wNow, null, cNow), measured, false,
            RoundSampling.heldOutSets(measured.seed(), taskCount, share)).loss(), listener);
    for (int round = 0; schedule.running(round); round++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancelledException();
      }
      RoundSampling sampling = RoundSampling.of(options.seed(), round, sizes, options.n1(), options.n2(), share);
      if (options.heads().resetEachRound) {
        for (double[] head : heads) {
          Arrays.fill(head, 0);
        }
      }
      // Simultaneous steps take W's gradient at the heads before their step; head-first, after.
      double[][] gradientHeads = simultaneous ? copy(heads) : heads;
      long[] s2 = null;
      double headGradients = 0;
      for (int step = 0; step < options.headSteps(); step++) {
        HeadSums h = data.aggregate(new HeadSums(d, l, m, w, c, copy(heads), sampling, options.loss(), z, 0),
            "pretraining round " + (round + 1) + ": heads");
        s2 = h.sizes2();
        for (int t = 0; t < taskCount; t++) {
          long s1 = h.sizes()[t];
          for (int j = 0; j < m && s1 > 0; j++) {
            heads[t][j] -= options.headRate() * h.sums()[t * m + j] / s1;
            headGradients = Math.max(headGradients, Math.abs(h.sums()[t * m + j] / s1)); // NaN stays NaN
          }
        }
      }
      double[] weights = new double[taskCount];
      for (int t = 0; t < taskCount; t++) {
        weights[t] = s2[t] > 0 ? 1.0 / ((double) taskCount * s2[t]) : 0;
      }
      RepresentationSums g = data.aggregate(new RepresentationSums(d, l, m, w, c, copy(gradientHeads), weights,
          sampling, options.loss(), z), "pretraining round " + (round + 1) + ": representation");
      w = schedule.step(w, g.sums(), 1, round);
      watch.afterRound(round, headGradients, DivergedException.maxAbs(heads), w);
      schedule.afterRound(round, w, c);
      progress.update("pretraining rounds", round + 1, schedule.expected());
    }
    return MultiTaskPretraining.finish(w, c, d, taskCount, options, schedule, start);
  }

  /**
   * N_t, rows per task, from one pass that also checks labels and task ids, and that the tasks have both
   * labels ({@link MultiTaskPretraining#requireBothLabels}).
   */
  static long[] taskSizes(Engine data) {
    if (data.l() != 1 && data.l() != 2) {
      throw new IllegalArgumentException(data.description() + " has " + data.l() + " output columns; multi-task "
          + "rows need the label y (±1) and the task id (or the label alone: one task)");
    }
    TaskCounts counted = data.aggregate(new TaskCounts(data.d(), data.l()), "counting tasks");
    long[] grown = counted.sizes();
    int tasks = grown.length;
    while (tasks > 0 && grown[tasks - 1] == 0) {
      tasks--;
    }
    long[] sizes = Arrays.copyOf(grown, tasks);
    for (int t = 0; t < tasks; t++) {
      if (sizes[t] == 0) {
        throw new IllegalArgumentException("task " + t + " has no rows, but ids must run 0..T−1 without gaps "
            + "(T = " + tasks + "); renumber the tasks");
      }
    }
    if (tasks == 0) {
      throw new IllegalArgumentException(data.description() + " holds no rows");
    }
    MultiTaskPretraining.requireBothLabels(sizes, Arrays.copyOf(counted.positives(), tasks));
    return sizes;
  }

  private static double[][] copy(double[][] a) {
    double[][] b = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i].clone();
    }
    return b;
  }
}
