package io.github.twolayer.multitask;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import java.util.Arrays;

/**
 * Multi-task pretraining (docs/collins-method.md): the round loop of every backend ({@link Rounds}) with every
 * sum over samples run as a pass of an {@link Engine} (its backend, {@link Passes}): on this machine's cores over a file of any size,
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
    // The data-parallel form sums in double: its partial sums are merged across slots and machines, and
    // its per-row work is bounded by reading the rows, not by the products. The result says so.
    PretrainingOptions float64 = options.withPrecision(PretrainingOptions.Precision.FLOAT64);
    int d = data.d();
    int m = float64.width();
    int taskCount = sizes.length;
    // --rounds auto: a share of every task's rows, chosen by their hash, is held out of the rounds; the
    // schedule's held-out loss is measured on them with the diagnostics' passes.
    boolean auto = float64.rounds() == PretrainingOptions.AUTO_ROUNDS;
    double share = auto ? HeldOut.SHARE : 0;
    RoundSchedule schedule = !auto ? RoundSchedule.of(float64, null, listener)
        : RoundSchedule.measured(float64, (wNow, cNow) -> PretrainingDiagnostics.evaluate(data, z, sizes,
            new TwoLayerNet(d, m, 0, wNow, null, cNow), float64, false,
            RoundSampling.heldOutSets(float64.seed(), taskCount, share)).loss(), listener);
    return Rounds.run((c, heads) -> new Passes(data, z, sizes, float64, share, c, heads), d, taskCount, float64,
        schedule, progress);
  }

  /**
   * The backend of the round loop ({@link Rounds}) whose products are passes of an engine: each round's S¹
   * and S² are Bernoulli sets ({@link RoundSampling}); a head step is one pass of {@link HeadSums} (which
   * also counts |S¹_t| and |S²_t|), the W-gradient one pass of {@link RepresentationSums}, weighted by
   * 1/(T·|S²_t|). Those weights need |S²_t|, which the heads' pass counts: the gradient is recorded at the
   * heads {@link #addGradient} sees and its pass runs when the loop asks for it ({@link #gradient}), after
   * the head steps. One batch: all tasks are in every pass.
   */
  private static final class Passes implements RoundProducts {
    private final Engine data;
    private final InputStandardization z;
    private final long[] sizes;
    private final PretrainingOptions options;
    private final double share;
    private final double[] c;
    private final double[][] heads;
    private final int d;
    private final int m;
    private int round;
    private double[] w;
    private RoundSampling sampling;
    private long[] s2;
    private double[][] gradientHeads;

    Passes(Engine data, InputStandardization z, long[] sizes, PretrainingOptions options, double share, double[] c,
        double[][] heads) {
      this.data = data;
      this.z = z;
      this.sizes = sizes;
      this.options = options;
      this.share = share;
      this.c = c;
      this.heads = copy(heads);
      this.d = data.d();
      this.m = options.width();
    }

    @Override
    public int batch() {
      return sizes.length;
    }

    @Override
    public void startRound(int round, double[] w) {
      this.round = round;
      this.w = w;
      this.sampling = RoundSampling.of(options.seed(), round, sizes, options.n1(), options.n2(), share);
      this.s2 = null;
      this.gradientHeads = null;
    }

    @Override
    public void sample(int from, int count) {} // each pass picks its rows by their hash

    @Override
    public void resetHeads(int from, int count) {
      for (int t = from; t < from + count; t++) {
        Arrays.fill(heads[t], 0);
      }
    }

    @Override
    public double headStep(int from, int count) {
      HeadSums h = data.aggregate(new HeadSums(d, data.l(), m, w, c, copy(heads), sampling, options.loss(), z, 0,
          options.blas()),
          "pretraining round " + (round + 1) + ": heads");
      s2 = h.sizes2();
      return h.step(heads, options.headRate());
    }

    @Override
    public void addGradient(int from, int count) {
      gradientHeads = copy(heads);
    }

    @Override
    public double[] gradient() {
      RepresentationSums g = data.aggregate(new RepresentationSums(d, data.l(), m, w, c, gradientHeads,
          RepresentationSums.weights(s2), sampling, options.loss(), z, options.blas()),
          "pretraining round " + (round + 1) + ": representation");
      return g.sums();
    }

    @Override
    public int gradientCount() {
      return 1; // the weights 1/(T·|S²_t|) are in the sum
    }

    @Override
    public double largestHead() {
      return DivergedException.maxAbs(heads);
    }

    @Override
    public void close() {}
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
