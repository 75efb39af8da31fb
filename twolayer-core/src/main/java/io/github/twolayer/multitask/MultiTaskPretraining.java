package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.ColumnMoments;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collins, Hassani, Soltanolkotabi, Mokhtari, Shakkottai (ICML 2024): multi-task pretraining of a shared
 * first layer, docs/collins-method.md. Network φ_W(x) = relu(W x + c)/√m ({@link Features}),
 * f_t(x) = b_tᵀ φ_W(x). Each round ({@link Rounds}, written once for every backend):
 * <ol>
 *   <li>per task t, draw S¹ (n₁) and S² (n₂);</li>
 *   <li><b>head step</b>: b_t ← 0, then η_h-gradient steps on the loss over S¹ — one step gives
 *       b_t = −η_h ℓ'(0) · mean(y φ_W(x)), a label-weighted feature mean;</li>
 *   <li><b>representation step</b>: with heads fixed, G = (1/T) Σ_t ∇_W L_t(W, b_t; S²),
 *       W ← (1 − η_W λ) W − η_W G ({@link RoundSchedule}).</li>
 * </ol>
 * The products come from a backend ({@link RoundProducts}): float64 task by task ({@link TaskByTask}),
 * float32 batched ({@link BatchedRounds}) or passes of an engine ({@link DataParallelPretraining}); this
 * class picks it from the source and the options ({@link #fit(PretrainingSource, PretrainingOptions,
 * Progress)}). Heads are discarded; the result is W (with its fixed biases). Tasks run in parallel, their
 * gradients are summed in task order, so the result is the same bits for any thread count.
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
    refuseImpossible(source, options);
    if (source instanceof PretrainingSource.Online online) {
      return online(online.truth(), options, progress);
    }
    boolean standardize = options.standardize() && options.baseline() != Baselines.Kind.RANDOM_FEATURES
        && options.baseline() != Baselines.Kind.ORACLE; // those two do not look at the data
    if (source instanceof PretrainingSource.Tasks tasks) {
      return inMemory(tasks.data(), tasks.subspace(), standardize, options, progress);
    }
    if (source instanceof PretrainingSource.Rows rows) {
      try (LocalEngine engine = new LocalEngine(rows.rows(), options.threads(),
          LocalEngine.blockRowsFor(rows.rows().d(), rows.rows().l()), progress)) {
        return onEngine(engine, standardize, options, progress);
      }
    }
    return onEngine(((PretrainingSource.Passes) source).engine(), standardize, options, progress);
  }

  /** The combinations of source and options that cannot work, each refused with what to change. */
  private static void refuseImpossible(PretrainingSource source, PretrainingOptions options) {
    boolean bernoulli = options.sampling() == PretrainingOptions.Sampling.BERNOULLI;
    if (source instanceof PretrainingSource.Online) {
      if (bernoulli) {
        throw new IllegalArgumentException("--sampling bernoulli picks rows of data, but online rounds draw fresh "
            + "samples; drop --online or --sampling bernoulli");
      }
      return;
    }
    if (bernoulli && options.baseline() != Baselines.Kind.NONE) {
      throw new IllegalArgumentException("--sampling bernoulli pretrains on the data without a baseline; drop "
          + "--baseline " + options.baseline().label);
    }
    if (!bernoulli && !(source instanceof PretrainingSource.Tasks)) {
      throw new IllegalArgumentException("--sampling subsets needs the tasks in memory; rows streamed from a file or "
          + "held by a cluster are sampled with --sampling bernoulli");
    }
  }

  /** Whether the layer comes from rounds that learn from the labels (random features and the oracle do not). */
  private static boolean trained(PretrainingOptions options) {
    return options.baseline() == Baselines.Kind.NONE || options.baseline() == Baselines.Kind.SINGLE_TASK;
  }

  /** Fresh samples of the truth's tasks every round, in memory (float32 batched or float64). */
  private static Representation online(SubspaceTruth truth, PretrainingOptions given, Progress progress) {
    if (truth.tasks().isEmpty()) {
      throw new IllegalArgumentException("the subspace holds no tasks to draw from");
    }
    PretrainingOptions options = given.resolvedFor(truth.family().d(), Long.MAX_VALUE);
    Representation rep = layer(TaskSampler.online(truth.family(), truth.tasks()), truth, options, progress);
    PretrainingDiagnostics measured = PretrainingDiagnostics.online(truth.family(), truth.tasks(),
        initialLayer(truth.family().d(), options), rep.network(), options, trained(options));
    return labelled(rep, null, "online", measured);
  }

  /**
   * Tasks in memory: subsets of rows per task (float32 batched or float64), or with Bernoulli sampling the
   * engine rounds on this machine's cores, as for rows streamed from a file.
   */
  private static Representation inMemory(MultiTaskDataset data, SubspaceTruth subspace, boolean standardize,
      PretrainingOptions given, Progress progress) {
    checkDimension(subspace, data.d());
    long[] sizes = new long[data.tasks()];
    long[] positives = new long[data.tasks()];
    for (int i = 0; i < data.n(); i++) {
      sizes[data.task()[i]]++;
      positives[data.task()[i]] += data.y()[i] > 0 ? 1 : 0;
    }
    boolean trained = trained(given);
    if (trained) {
      requireBothLabels(sizes, positives);
    }
    PretrainingOptions options = given.resolvedFor(data.d(), Arrays.stream(sizes).max().orElse(1));
    if (options.sampling() == PretrainingOptions.Sampling.BERNOULLI) {
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
    Representation rep = layer(TaskSampler.finite(split.training(), split.heldOut()), subspace, options, progress)
        .withWarnings(trained ? sampleSizeWarnings(sizes, options.n1(), options.n2()) : List.of());
    // The diagnostics' passes run on the raw rows, standardized row by row as the rounds saw them.
    PretrainingDiagnostics measured;
    try (LocalEngine rows = PretrainingDiagnostics.engine(DataParallelPretraining.rows(data), options)) {
      measured = PretrainingDiagnostics.measure(rows, z, sizes, initialLayer(data.d(), options), rep.network(),
          options, false, trained);
    }
    return labelled(rep, z, options.sampling().label, measured);
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

  /** Pretraining itself on in-memory samples, or the baseline layer the options ask for. */
  private static Representation layer(TaskSampler sampler, SubspaceTruth truth, PretrainingOptions options,
      Progress progress) {
    return switch (options.baseline()) {
      case NONE -> Rounds.inMemory(sampler, options, progress, (round, w) -> {});
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

  /**
   * The rounds on in-memory samples, float32 batched or float64 task by task as the options say
   * ({@link Rounds}), on the raw samples of {@code tasks}; {@code listener} sees W after each round.
   */
  public static Representation fit(TaskSampler tasks, PretrainingOptions options, Progress progress,
      RoundListener listener) {
    return Rounds.inMemory(tasks, options, progress, listener);
  }

  /** W₀ with rows ~ N(0, I_d/d) and biases c_j ~ N(0, 1) (or none), from the options' seed. */
  public static TwoLayerNet initialLayer(int d, PretrainingOptions options) {
    return Rounds.initialLayer(d, options);
  }
}
