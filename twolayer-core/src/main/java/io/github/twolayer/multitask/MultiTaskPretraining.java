package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.ColumnMoments;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Collins, Hassani, Soltanolkotabi, Mokhtari, Shakkottai (ICML 2024): multi-task pretraining of a shared
 * first layer, docs/collins-method.md. Network φ_W(x) = relu(W x + c)/√m, f_t(x) = b_tᵀ φ_W(x). Each round:
 * <ol>
 *   <li>per task t, draw S¹ (n₁) and S² (n₂);</li>
 *   <li><b>head step</b> ({@link #headStep}): b_t ← 0, then η_h-gradient steps on the loss over S¹ — one
 *       step gives b_t = −η_h ℓ'(0) · mean(y φ_W(x)), a label-weighted feature mean;</li>
 *   <li><b>representation step</b> ({@link #taskGradient}): with heads fixed,
 *       G = (1/T) Σ_t ∇_W L_t(W, b_t; S²), W ← (1 − η_W λ) W − η_W G.</li>
 * </ol>
 * Heads are discarded; the result is W (with its fixed biases). Tasks run in parallel, their gradients
 * are summed in task order, so the result is the same bits for any thread count.
 */
public final class MultiTaskPretraining {
  private MultiTaskPretraining() {}

  /** Called after each round with the current W (m×d, row-major; do not keep). */
  @FunctionalInterface
  public interface RoundListener {
    void afterRound(int round, double[] w);
  }

  public static Representation fit(TaskSampler tasks, PretrainingOptions options) {
    return fit(tasks, options, Progress.NONE, (round, w) -> {});
  }

  /**
   * The one entry point of multi-task pretraining: the rounds (or the baseline {@code options.baseline()}
   * asks for) on {@code source}, sampled as {@code options.sampling()} says, on input columns centered and
   * scaled to mean 0 and root-mean-square 1 when {@code options.standardize()} ({@link InputStandardization};
   * the layer, its biases included, is then mapped back to the data's units). Online rows are N(0, I) by
   * construction and are not standardized; nor are the inputs of random features and the oracle, which do
   * not look at the data. After the rounds, the run is measured once ({@link PretrainingDiagnostics}: loss
   * and accuracy at W₀ and at the end, units that never or always fire), with warnings when it learned
   * nothing. The result remembers how it was made ({@link Representation#provenance}). Combinations that
   * cannot work (Bernoulli sampling online, subsets of streamed rows, a baseline on Bernoulli sets, the
   * oracle without the subspace) are refused with a message that says what to change.
   */
  public static Representation fit(PretrainingSource source, PretrainingOptions options, Progress progress) {
    boolean bernoulli = options.sampling() == PretrainingOptions.Sampling.BERNOULLI;
    Baselines.Kind base = options.baseline();
    boolean trained = base == Baselines.Kind.NONE || base == Baselines.Kind.SINGLE_TASK; // the others ignore y
    if (source instanceof PretrainingSource.Online online) {
      if (bernoulli) {
        throw new IllegalArgumentException("--sampling bernoulli picks rows of data, but online rounds draw fresh "
            + "samples; drop --online or --sampling bernoulli");
      }
      SubspaceTruth truth = online.truth();
      if (truth.tasks().isEmpty()) {
        throw new IllegalArgumentException("the subspace holds no tasks to draw from");
      }
      options = options.resolvedFor(truth.family().d(), Long.MAX_VALUE);
      Representation rep = baseline(base, TaskSampler.online(truth.family(), truth.tasks()), truth, options, progress);
      PretrainingDiagnostics measured = PretrainingDiagnostics.online(truth.family(), truth.tasks(),
          initialLayer(truth.family().d(), options), rep.network(), options, trained);
      return labelled(rep, null, "online", measured);
    }
    if (bernoulli && base != Baselines.Kind.NONE) {
      throw new IllegalArgumentException("--sampling bernoulli pretrains on the data without a baseline; drop "
          + "--baseline " + base.label);
    }
    boolean standardize = options.standardize() && base != Baselines.Kind.RANDOM_FEATURES
        && base != Baselines.Kind.ORACLE;
    if (source instanceof PretrainingSource.Tasks tasks) {
      MultiTaskDataset data = tasks.data();
      checkDimension(tasks.subspace(), data.d());
      long[] sizes = new long[data.tasks()];
      long[] positives = new long[data.tasks()];
      for (int i = 0; i < data.n(); i++) {
        sizes[data.task()[i]]++;
        positives[data.task()[i]] += data.y()[i] > 0 ? 1 : 0;
      }
      if (trained) {
        requireBothLabels(sizes, positives);
      }
      options = options.resolvedFor(data.d(), Arrays.stream(sizes).max().orElse(1));
      if (bernoulli) { // the data-parallel rounds on this machine's cores, as for rows streamed from a file
        try (LocalEngine engine = new LocalEngine(DataParallelPretraining.rows(data), options.threads(),
            LocalEngine.blockRowsFor(data.d(), 2), progress)) {
          return onEngine(engine, standardize, options, progress);
        }
      }
      InputStandardization z = standardize ? InputStandardization.of(data.x(), data.d()) : null;
      MultiTaskDataset standardized = z == null ? data : z.apply(data);
      // --rounds auto decides on rows the rounds never see: a fifth of each task's, held out here.
      HeldOut.Split split = options.rounds() == PretrainingOptions.AUTO_ROUNDS
          ? HeldOut.split(standardized, options.seed()) : new HeldOut.Split(standardized, null);
      Representation rep = baseline(base, TaskSampler.finite(split.training(), split.heldOut()), tasks.subspace(),
          options, progress).withWarnings(trained ? sampleSizeWarnings(sizes, options.n1(), options.n2())
              : List.of());
      // The diagnostics' passes run on the raw rows, standardized row by row as the rounds saw them.
      PretrainingDiagnostics measured;
      try (LocalEngine rows = PretrainingDiagnostics.engine(DataParallelPretraining.rows(data), options)) {
        measured = PretrainingDiagnostics.measure(rows, z, sizes, initialLayer(data.d(), options), rep.network(),
            options, false, trained);
      }
      return labelled(rep, z, options.sampling().label, measured);
    }
    if (!bernoulli) {
      throw new IllegalArgumentException("--sampling subsets needs the tasks in memory; rows streamed from a file or "
          + "held by a cluster are sampled with --sampling bernoulli");
    }
    if (source instanceof PretrainingSource.Rows rows) {
      try (LocalEngine engine = new LocalEngine(rows.rows(), options.threads(),
          LocalEngine.blockRowsFor(rows.rows().d(), rows.rows().l()), progress)) {
        return onEngine(engine, standardize, options, progress);
      }
    }
    return onEngine(((PretrainingSource.Passes) source).engine(), standardize, options, progress);
  }

  /**
   * Bernoulli rounds as passes of {@code engine}, on standardized columns when asked: μ and s from three
   * passes ({@link ColumnMoments}), and rows picked by a hash of their raw values, so that every engine
   * draws the same sets. Engines add the sums of μ and s in their own orders, so their μ and s (and the
   * standardized rows) can differ in the last bits; that moves the result at rounding level only, as the
   * rounds' own sums, added in each engine's order, already do.
   */
  private static Representation onEngine(Engine engine, boolean standardize, PretrainingOptions options,
      Progress progress) {
    InputStandardization z = standardize ? InputStandardization.of(ColumnMoments.of(engine)) : null;
    long[] sizes = DataParallelPretraining.taskSizes(engine);
    options = options.resolvedFor(engine.d(), Arrays.stream(sizes).max().orElse(1));
    Representation rep = DataParallelPretraining.rounds(engine, z, sizes, options, progress, (round, w) -> {})
        .withWarnings(sampleSizeWarnings(sizes, options.n1(), options.n2()));
    PretrainingDiagnostics measured = PretrainingDiagnostics.measure(engine, z, sizes,
        initialLayer(engine.d(), options), rep.network(), rep.options(), false, true);
    return labelled(rep, z, PretrainingOptions.Sampling.BERNOULLI.label, measured);
  }

  /**
   * The layer in the data's units (W = W' diag s and bias c − W μ when pretrained on inputs standardized by
   * z), with the standardization, the sampling, what the run measured and its warnings recorded.
   */
  private static Representation labelled(Representation rep, InputStandardization z, String sampling,
      PretrainingDiagnostics measured) {
    TwoLayerNet layer = z == null ? rep.network() : z.mapBack(rep.network());
    List<String> warnings = new ArrayList<>(rep.warnings());
    warnings.addAll(measured.warnings());
    return new Representation(layer, rep.options(), rep.tasks(), rep.rounds(), rep.seconds(), z, sampling, warnings,
        measured, rep.stopping());
  }

  /** Pretraining itself, or the baseline layer {@code base} (single-task, random features, oracle). */
  static Representation baseline(Baselines.Kind base, TaskSampler sampler, SubspaceTruth truth,
      PretrainingOptions options, Progress progress) {
    return switch (base) {
      case NONE -> fit(sampler, options, progress, (round, w) -> {});
      case SINGLE_TASK -> Baselines.singleTask(sampler, options);
      case RANDOM_FEATURES -> Baselines.randomFeatures(sampler.d(), options);
      case ORACLE -> {
        if (truth == null) {
          throw new IllegalArgumentException("--baseline oracle needs the subspace: pass --subspace FILE");
        }
        yield Baselines.oracle(truth.family().basis(), truth.family().d(), truth.family().r(), options);
      }
    };
  }

  /**
   * Refuses tasks that cannot teach: a head fits the contrast between its task's labels, and W learns
   * from the heads, so a task whose rows all carry one label pulls W toward no direction at all (any
   * features fit it). All labels of the data alike, or every task of one class (the task ids numbering
   * labels, say), is one line naming it.
   *
   * @param sizes rows per task
   * @param positives rows labelled +1 per task
   */
  static void requireBothLabels(long[] sizes, long[] positives) {
    long n = 0;
    long plus = 0;
    boolean anyMixed = false;
    for (int t = 0; t < sizes.length; t++) {
      n += sizes[t];
      plus += positives[t];
      anyMixed |= positives[t] > 0 && positives[t] < sizes[t];
    }
    if (plus == 0 || plus == n) {
      throw new IllegalArgumentException("every label is " + (plus == 0 ? "−1" : "+1") + " (" + n + " rows, "
          + sizes.length + (sizes.length == 1 ? " task" : " tasks") + "): pretraining learns from the contrast "
          + "between a task's labels and needs both −1 and +1; check the label column y");
    }
    if (!anyMixed) {
      StringBuilder which = new StringBuilder();
      for (int t = 0; t < Math.min(3, sizes.length); t++) {
        which.append(t == 0 ? "" : ", ").append("task ").append(t).append(positives[t] > 0 ? " all +1" : " all −1");
      }
      throw new IllegalArgumentException("every task has labels of one class only (" + which
          + (sizes.length > 3 ? ", …" : "") + "): a task teaches pretraining nothing without both labels; check "
          + "that the task ids number the tasks (not the labels)");
    }
  }

  /**
   * The warning when n₁ or n₂ is larger than every task: a round then takes all of a task's rows for that
   * set (subsets: min(n, N_t) rows; Bernoulli: every row with probability 1), so S¹ and S² share rows,
   * and the run is not the one its options describe. Names the sizes actually used.
   */
  static List<String> sampleSizeWarnings(long[] sizes, int n1, int n2) {
    long largest = 0;
    for (long size : sizes) {
      largest = Math.max(largest, size);
    }
    if (n1 <= largest && n2 <= largest) {
      return List.of();
    }
    String asked = n1 > largest && n2 > largest ? "--n1 " + n1 + " and --n2 " + n2 + " exceed"
        : n1 > largest ? "--n1 " + n1 + " exceeds" : "--n2 " + n2 + " exceeds";
    return List.of(asked + " every task's rows (the largest task has " + largest + "): each round uses S¹ "
        + "of " + usedRows(sizes, n1) + " and S² of " + usedRows(sizes, n2) + " rows per task, all of a task's rows "
        + "for " + (n1 > largest && n2 > largest ? "both, which are then the same rows" : n1 > largest ? "S¹" : "S²")
        + "; pass --n1 and --n2 of at most " + largest + ", or give the tasks more rows");
  }

  /** "256" or "100–256": min(n, N_t) over the tasks. */
  private static String usedRows(long[] sizes, int n) {
    long low = Long.MAX_VALUE;
    long high = 0;
    for (long size : sizes) {
      low = Math.min(low, Math.min(n, size));
      high = Math.max(high, Math.min(n, size));
    }
    return low == high ? Long.toString(low) : low + "–" + high;
  }

  /** The subspace truth (if any) must live in the data's dimension. */
  static void checkDimension(SubspaceTruth truth, int d) {
    if (truth != null) {
      truth.requireDimension(d);
    }
  }

  public static Representation fit(TaskSampler tasks, PretrainingOptions given, Progress progress, RoundListener listener) {
    long start = System.nanoTime();
    // Finite data were resolved by their tasks' sizes before; fresh samples have no limit.
    PretrainingOptions options = given.resolvedFor(tasks.d(), Long.MAX_VALUE);
    RoundSchedule schedule = RoundSchedule.of(options, options.rounds() == PretrainingOptions.AUTO_ROUNDS
        ? tasks.heldOut(options.seed(), options.n1(), options.n2()) : null, listener);
    int d = tasks.d();
    int m = options.width();
    int taskCount = tasks.tasks();
    TwoLayerNet init = initialLayer(d, options);
    double[] w = init.W();
    double[] c = init.bias() == null ? new double[m] : init.bias();
    double[][] heads = initialHeads(taskCount, m, options);
    if (options.precision() == PretrainingOptions.Precision.FLOAT32) {
      w = BatchedRounds.run(tasks, options, w, c, heads, progress, schedule);
      return finish(w, c, d, taskCount, options, schedule, start);
    }
    double[][] gradients = new double[taskCount][m * d];
    DivergenceWatch watch = new DivergenceWatch(options);
    ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(options.n1(), options.n2(), d, m));
    try (Parallel parallel = new Parallel(options.threads())) {
      for (int round = 0; schedule.running(round); round++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException();
        }
        final int r = round;
        final double[] current = w;
        double[] headGradients = new double[taskCount];
        parallel.forEachTile(taskCount, t -> {
          Scratch s = scratch.get();
          int[] sizes = tasks.draw(options.seed(), r, t, options.n1(), options.n2(), s.x1, s.y1, s.x2, s.y2);
          Arrays.fill(gradients[t], 0);
          headGradients[t] = step(current, c, m, d, heads, t, s, sizes[0], sizes[1], options, gradients[t]);
        });
        double[] g = new double[m * d];
        for (int e = 0; e < g.length; e++) {
          for (int t = 0; t < taskCount; t++) {
            g[e] += gradients[t][e];
          }
        }
        w = schedule.step(w, g, taskCount, round);
        watch.afterRound(round, DivergedException.maxAbs(headGradients), DivergedException.maxAbs(heads), w);
        schedule.afterRound(round, w, c);
        progress.update("pretraining rounds", round + 1, schedule.expected());
      }
    }
    return finish(w, c, d, taskCount, options, schedule, start);
  }

  /**
   * W ← (1 − η_W λ) W − η_W G with G = {@code sum}/{@code count}, λ = 1/η_W in theory mode and 0 in
   * practice mode; η_W is the options' step times {@code scale} (the schedule's decay, 1 without one).
   */
  static double[] representationStep(double[] w, double[] sum, int count, PretrainingOptions options,
      double scale) {
    double etaW = options.representationStep() * scale;
    double decay = options.mode() == PretrainingOptions.Mode.THEORY ? 1 / etaW : 0;
    double[] next = new double[w.length];
    for (int e = 0; e < next.length; e++) {
      next[e] = (1 - etaW * decay) * w[e] - etaW * sum[e] / count;
    }
    return next;
  }

  /**
   * The pretrained layer: unit rows in theory mode, the fixed biases kept when the options have them, the
   * rounds the schedule ran and why it stopped.
   */
  static Representation finish(double[] w, double[] c, int d, int taskCount, PretrainingOptions options,
      RoundSchedule schedule, long startNanos) {
    int m = options.width();
    if (options.mode() == PretrainingOptions.Mode.THEORY) {
      w = TwoLayerNet.of(d, m, 0, w, null).withUnitRows().W();
    }
    TwoLayerNet layer = new TwoLayerNet(d, m, 0, w, null, options.bias() ? c : null);
    return new Representation(layer, options, taskCount, schedule.used(), (System.nanoTime() - startNanos) * 1e-9)
        .withStopping(schedule.stopping());
  }

  /**
   * Floating-point operations of one round's matrix products, for reporting GFLOP/s: per task the
   * features of S¹ and S² (2n·d·m each) and the W-gradient Δᵀ X over S² (2n₂·m·d).
   */
  public static double roundFlops(int d, int tasks, int m, int n1, int n2) {
    return 2.0 * d * m * tasks * (n1 + 2.0 * n2);
  }

  /** W₀ with rows ~ N(0, I_d/d) and biases c_j ~ N(0, 1) (or none), from the options' seed. */
  public static TwoLayerNet initialLayer(int d, PretrainingOptions options) {
    int m = options.width();
    UniformRandomProvider rng = Seeds.root(options.seed());
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] w = new double[m * d];
    double scale = 1 / Math.sqrt(d);
    for (int e = 0; e < w.length; e++) {
      w[e] = scale * g.sample();
    }
    double[] c = null;
    if (options.bias()) {
      c = new double[m];
      for (int j = 0; j < m; j++) {
        c[j] = g.sample();
      }
    }
    return new TwoLayerNet(d, m, 0, w, null, c);
  }

  static double[][] initialHeads(int tasks, int m, PretrainingOptions options) {
    double[][] heads = new double[tasks][m];
    if (options.heads() == PretrainingOptions.Heads.SIMULTANEOUS_RANDOM) {
      UniformRandomProvider rng = Seeds.generator(Seeds.Stream.HEADS, options.seed());
      ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
      for (double[] head : heads) {
        for (int j = 0; j < m; j++) {
          head[j] = 0.1 * g.sample();
        }
      }
    }
    return heads;
  }

  /** Buffers of one task's step, reused across tasks and rounds by one thread. */
  static final class Scratch {
    final double[] x1;
    final double[] y1;
    final double[] x2;
    final double[] y2;
    final double[] phi1;
    final double[] pre2;
    final double[] delta;

    Scratch(int n1, int n2, int d, int m) {
      x1 = new double[n1 * d];
      y1 = new double[n1];
      x2 = new double[n2 * d];
      y2 = new double[n2];
      phi1 = new double[n1 * m];
      pre2 = new double[n2 * m];
      delta = new double[n2 * m];
    }
  }

  /**
   * One task's part of a round: its head update and its W-gradient (added into {@code gradient}); the
   * largest |entry| of its head gradients (the divergence watch's evidence).
   */
  static double step(double[] w, double[] c, int m, int d, double[][] heads, int t, Scratch s, int n1, int n2,
      PretrainingOptions options, double[] gradient) {
    Features.of(w, c, m, d, s.x1, n1, s.phi1);
    double[] head = heads[t];
    double[] largest = {0};
    options.heads().runTask(() -> Arrays.fill(head, 0), () -> {
      for (int k = 0; k < options.headSteps(); k++) {
        largest[0] = Math.max(largest[0], headStep(head, s.phi1, s.y1, n1, m, options.loss(), options.headRate()));
      }
    }, () -> taskGradient(w, c, m, d, head, s.x2, s.y2, n2, options.loss(), s.pre2, s.delta, gradient));
    return largest[0];
  }

  /**
   * b ← b − η_h · (1/n) Σ ℓ'(y bᵀφ) y φ: one gradient step of the head on the task loss; the largest
   * |entry| of its gradient.
   */
  static double headStep(double[] b, double[] phi, double[] y, int n, int m, Loss loss, double rate) {
    double[] grad = new double[m];
    for (int i = 0; i < n; i++) {
      double f = 0;
      for (int j = 0; j < m; j++) {
        f += b[j] * phi[i * m + j];
      }
      double g = loss.derivative(y[i] * f) * y[i] / n;
      for (int j = 0; j < m; j++) {
        grad[j] += g * phi[i * m + j];
      }
    }
    for (int j = 0; j < m; j++) {
      b[j] -= rate * grad[j];
    }
    return DivergedException.maxAbs(grad);
  }

  /**
   * ∇_W L_t(W, b; S²) = (1/n) Σ_j ℓ'(y_j f(x_j)) y_j · ((b ∘ 1{W x_j + c > 0})/√m) x_jᵀ, added into
   * {@code gradient} (m×d). With b = 0 every term is exactly 0.
   */
  static void taskGradient(double[] w, double[] c, int m, int d, double[] b, double[] x, double[] y, int n, Loss loss,
      double[] pre, double[] delta, double[] gradient) {
    Blas.current().multiplyByTranspose(x, 0, d, n, w, m, d, pre, 0, m);
    double scale = Features.scale(m);
    for (int i = 0; i < n; i++) {
      double f = Features.score(pre, i * m, c, b, m, scale);
      double g = loss.derivative(y[i] * f) * y[i] / n;
      for (int j = 0; j < m; j++) {
        delta[i * m + j] = pre[i * m + j] > 0 ? g * b[j] * scale : 0;
      }
    }
    Blas.current().accumulateOuterProducts(delta, 0, m, m, x, 0, d, d, n, gradient, 0, d);
  }
}
