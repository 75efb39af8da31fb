package io.github.twolayer.multitask;

import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.TaskFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * What a pretraining run did to its tasks, measured outside the rounds — once at the initial layer W₀ and
 * once at the final one, over the same rows — so that a run that learned nothing says so instead of
 * failing silently (on raw pixels most units can end where they never fire).
 *
 * <p>The training loss of a layer W (with its fixed biases c) is that of the paper's head-first round
 * at W: per task t, the head b_t starts at 0 and takes the options' head steps (η_h) on S¹_t; then
 * L_t = (1/|S²_t|) Σ_{(x,y)∈S²_t} ℓ(y b_tᵀφ_W(x)) and the accuracy is the share of S²_t with sign(b_tᵀφ_W(x))
 * = y (sign(0) = +1). Both are averaged over the tasks with rows in S²_t. S¹_t and S²_t are the Bernoulli
 * sets of a round numbered −1 ({@link RoundSampling}, n₁ and n₂ rows on average), which no run's rounds
 * use; the same sets for W₀ and for the final W, so that the two losses differ by the layer alone. The
 * heads are those of the paper's reset schedule whatever the run's: it measures the layer, not the schedule.
 *
 * <p>The units of the final layer are counted over every pretraining row (online: a fixed sample of at
 * least {@link #ONLINE_INPUTS} fresh rows): a unit is inactive when relu(w_jᵀx + c_j) is 0 on every row
 * (its feature is 0 for all the data, adapt cannot use it), always active when it is positive on every
 * row (the unit is linear on the data).
 *
 * <p>Cost: per layer, one pass per head step over the rows of S¹ and one over those of S² (the final
 * layer's pass computes every row's pre-activations, for the units): about two rounds' work per run,
 * whichever round loop ran (float64, float32 batched, data-parallel), as passes of one {@link Engine}: the
 * run's own for Bernoulli rounds (this machine's slots, or a cluster), else a {@link LocalEngine} on the
 * run's threads ({@link #engine}).
 * Tasks are taken in batches whose sums fit {@link #BATCH_BYTES} (one batch while T·(m + 2) is at most
 * 32 768), each batch its own passes, so the memory of a pass does not grow with T.
 *
 * @param tasks T, the tasks of the data
 * @param rowsPerTask N_t per task (null online, where every round draws fresh rows)
 * @param lossStart the training loss at W₀
 * @param lossEnd the training loss at the final W
 * @param accuracyStart the heads' accuracy at W₀
 * @param accuracyEnd the heads' accuracy at the final W
 * @param inactiveUnits share of the m units of the final layer that fire on no row
 * @param alwaysActiveUnits share of the m units of the final layer that fire on every row
 * @param warnings plain-language warnings when most units are dead or always on, or when the loss did
 *     not fall
 */
public record PretrainingDiagnostics(int tasks, long[] rowsPerTask, double lossStart, double lossEnd,
    double accuracyStart, double accuracyEnd, double inactiveUnits, double alwaysActiveUnits, List<String> warnings) {

  /** The round number of the evaluation's sample sets: no run's round (rounds count from 0). */
  static final int EVALUATION_ROUND = -1;

  /** Fresh rows (at least) on which an online run's units are counted. */
  static final int ONLINE_INPUTS = 10_000;

  /** Share of the units above which a warning is given (most units of no use to adapt). */
  static final double UNIT_WARNING = 0.5;

  /**
   * Bytes of per-task sums one accumulator of a pass may hold: the passes take the tasks in batches of
   * about this size (all T when they fit), so that the diagnostics add a few MB to a run however many
   * tasks it has (all 10 000 tasks of a run at m = 32 at once held 2.5 MB per accumulator, 23 MB a pass
   * on eight slots), and no array is large enough for the collector to place it apart. Rows of the tasks
   * outside a batch are skipped at the cost of reading their task id, so the extra passes are cheap but
   * for the one that counts the units.
   */
  static final long BATCH_BYTES = 256L << 10;

  /** The most bytes of fresh online rows kept in memory between the diagnostics' passes. */
  static final long CACHED_ONLINE_BYTES = 64L << 20;

  public PretrainingDiagnostics {
    rowsPerTask = rowsPerTask == null ? null : rowsPerTask.clone();
    warnings = List.copyOf(warnings);
  }

  @Override
  public long[] rowsPerTask() {
    return rowsPerTask == null ? null : rowsPerTask.clone();
  }

  /** One layer's training loss and accuracy, and (when counted) its units' firing rows. */
  record Evaluation(double loss, double accuracy, double[] fired, long rows) {}

  /**
   * The diagnostics of a run on the rows (x; y, task) of {@code data}, standardized by {@code z} (or null),
   * whose tasks have {@code sizes} rows: {@code start} is W₀ and {@code end} the final layer, both in the
   * units the rounds saw. {@code online}: fresh rows (no rows per task to report). {@code trained}: the
   * layer came from rounds (not random features or the oracle), so that warnings can name what to change.
   */
  static PretrainingDiagnostics measure(Engine data, InputStandardization z, long[] sizes, TwoLayerNet start,
      TwoLayerNet end, PretrainingOptions options, boolean online, boolean trained) {
    Evaluation before = evaluate(data, z, sizes, start, options, false);
    Evaluation after = evaluate(data, z, sizes, end, options, true);
    int m = end.k();
    int inactive = 0;
    int always = 0;
    for (double f : after.fired()) {
      inactive += f == 0 ? 1 : 0;
      always += f == after.rows() ? 1 : 0;
    }
    List<String> warnings = new ArrayList<>();
    if (trained) {
      String remedy = !options.standardize() && !online
          ? "pretrain on standardized columns (drop --no-standardize)"
          : "try a smaller --lr-w (now " + DivergedException.number(
              options.representationRate()) + ")";
      if (inactive > UNIT_WARNING * m) {
        warnings.add(inactive + " of the " + m + " units (" + percent(inactive, m) + ") never fire on the "
            + "pretraining inputs: their features are 0 on every row, of no use to adapt; " + remedy);
      }
      if (always > UNIT_WARNING * m) {
        warnings.add(always + " of the " + m + " units (" + percent(always, m) + ") fire on every pretraining "
            + "input: on the data they are linear in x, and add nothing a linear model of the inputs lacks; "
            + remedy);
      }
      if (options.baseline() == Baselines.Kind.NONE && !(after.loss() < before.loss())) {
        warnings.add("the training loss did not fall (" + number(before.loss()) + " at the start, "
            + number(after.loss()) + (options.rounds() == PretrainingOptions.AUTO_ROUNDS ? " at the end"
                : " after " + options.rounds() + (options.rounds() == 1 ? " round" : " rounds"))
            + "): the layer learned nothing the heads can use; " + remedy + (remedy.startsWith("try")
            ? " or more --rounds" : ""));
      }
    }
    return new PretrainingDiagnostics(sizes.length, online ? null : sizes, before.loss(), after.loss(),
        before.accuracy(), after.accuracy(), (double) inactive / m, (double) always / m, warnings);
  }

  /**
   * The training loss and accuracy of {@code layer}: the heads' steps on S¹ as passes of the heads'
   * sums, then one pass for the loss over S² (and, with {@code units}, every row's firing units).
   */
  static Evaluation evaluate(Engine data, InputStandardization z, long[] sizes, TwoLayerNet layer,
      PretrainingOptions options, boolean units) {
    int m = layer.k();
    return evaluate(data, z, sizes, layer, options, units,
        (int) Math.max(1, Math.min(sizes.length, BATCH_BYTES / (8L * (m + 2)))));
  }

  /** {@link #evaluate} with {@code batch} tasks per pass (tests compare batchings). */
  static Evaluation evaluate(Engine data, InputStandardization z, long[] sizes, TwoLayerNet layer,
      PretrainingOptions options, boolean units, int batch) {
    return evaluate(data, z, sizes, layer, options, units, batch,
        RoundSampling.of(options.seed(), EVALUATION_ROUND, sizes, options.n1(), options.n2()));
  }

  /** {@link #evaluate} on the sets {@code sets} (e.g. the rows held out of the rounds). */
  static Evaluation evaluate(Engine data, InputStandardization z, long[] sizes, TwoLayerNet layer,
      PretrainingOptions options, boolean units, RoundSampling sets) {
    return evaluate(data, z, sizes, layer, options, units,
        (int) Math.max(1, Math.min(sizes.length, BATCH_BYTES / (8L * (layer.k() + 2)))), sets);
  }

  private static Evaluation evaluate(Engine data, InputStandardization z, long[] sizes, TwoLayerNet layer,
      PretrainingOptions options, boolean units, int batch, RoundSampling sets) {
    int d = data.d();
    int l = data.l();
    int m = layer.k();
    int tasks = sizes.length;
    double[] w = layer.W();
    double[] c = layer.bias() == null ? new double[m] : layer.bias();
    double loss = 0;
    double hits = 0;
    int counted = 0;
    double[] fired = null;
    long rows = 0;
    double[][] all = new double[Math.min(batch, tasks)][m]; // one batch's heads, reused batch after batch
    for (int from = 0; from < tasks; from += batch) {
      int count = Math.min(batch, tasks - from);
      double[][] heads = count == all.length ? all : Arrays.copyOf(all, count);
      for (double[] head : heads) {
        Arrays.fill(head, 0);
      }
      for (int step = 0; step < options.headSteps(); step++) {
        // The heads are only read during a pass (and changed between passes): no copy.
        data.aggregate(new HeadSums(d, l, m, w, c, heads, sets, options.loss(), z, from, options.blas()),
            "pretraining diagnostics: heads").step(heads, options.headRate()); // a round's head step
      }
      boolean counting = units && from == 0; // the units once, over every row, in the first batch's pass
      EvaluationSums e = data.aggregate(new EvaluationSums(d, l, m, w, c, heads, sets, options.loss(), z, counting,
          from, options.blas()), "pretraining diagnostics: loss");
      for (int s = 0; s < count; s++) {
        long s2 = e.sizes2()[s];
        if (s2 > 0) {
          loss += e.losses()[s] / s2;
          hits += e.hits()[s] / s2;
          counted++;
        }
      }
      if (counting) {
        fired = e.fired();
        rows = e.count();
      }
    }
    return new Evaluation(counted == 0 ? Double.NaN : loss / counted, counted == 0 ? Double.NaN : hits / counted,
        fired == null ? new double[m] : fired, rows);
  }

  /**
   * An online run's diagnostics: on fresh rows of its tasks, drawn once from their own stream (the
   * evaluation round's), at least n₁ + n₂ per task and {@link #ONLINE_INPUTS} in all, generated block by
   * block in every pass so that memory does not grow with T.
   */
  static PretrainingDiagnostics online(TaskFamily family, List<TaskFamily.Task> tasks, TwoLayerNet start,
      TwoLayerNet end, PretrainingOptions options, boolean trained) {
    int perTask = (int) Math.max((long) options.n1() + options.n2(), (ONLINE_INPUTS + tasks.size() - 1L) / tasks.size());
    long[] sizes = new long[tasks.size()];
    Arrays.fill(sizes, perTask);
    RowSource fresh = new FreshRows(family, tasks, perTask, options.seed());
    // Drawn once and kept when they are small (the usual case: 16 000 rows at T = 32), so that the four or
    // more passes do not draw them again (~40 ms a pass at d = 100); else drawn anew in every pass.
    if (8.0 * fresh.n() * (fresh.d() + fresh.l()) <= CACHED_ONLINE_BYTES) {
      fresh = CachingSource.of(fresh);
    }
    try (LocalEngine rows = engine(fresh, options)) {
      return measure(rows, null, sizes, start, end, options, true, trained);
    }
  }

  /**
   * The rows the diagnostics pass over, on the run's threads (slots combined in a fixed order: the same
   * numbers for any thread count).
   */
  static LocalEngine engine(RowSource rows, PretrainingOptions options) {
    return new LocalEngine(rows, options.threads(), LocalEngine.blockRowsFor(rows.d(), rows.l()), Progress.NONE);
  }

  /** The diagnostics as named entries (rows per task as min, median, max). */
  public Map<String, Object> report() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tasks", tasks);
    if (rowsPerTask != null) {
      long[] sorted = rowsPerTask.clone();
      Arrays.sort(sorted);
      Map<String, Object> rows = new LinkedHashMap<>();
      rows.put("min", sorted[0]);
      int h = sorted.length / 2;
      long twice = sorted.length % 2 == 1 ? 2 * sorted[h] : sorted[h - 1] + sorted[h];
      rows.put("median", twice % 2 == 0 ? (Object) (twice / 2) : (Object) (twice / 2.0)); // a count when whole
      rows.put("max", sorted[sorted.length - 1]);
      m.put("rows_per_task", rows);
    }
    m.put("loss_start", lossStart);
    m.put("loss_end", lossEnd);
    m.put("accuracy_start", accuracyStart);
    m.put("accuracy_end", accuracyEnd);
    m.put("inactive_units", inactiveUnits);
    m.put("always_active_units", alwaysActiveUnits);
    return m;
  }

  private static String percent(int part, int whole) {
    return Math.round(100.0 * part / whole) + "%";
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /** The rows (x; y, task) of {@code perTask} fresh samples per task, task after task, the same in every pass. */
  private static final class FreshRows implements RowSource {
    private final TaskFamily family;
    private final List<TaskFamily.Task> tasks;
    private final int perTask;
    private final long seed;

    FreshRows(TaskFamily family, List<TaskFamily.Task> tasks, int perTask, long seed) {
      this.family = family;
      this.tasks = List.copyOf(tasks);
      this.perTask = perTask;
      this.seed = seed;
    }

    @Override
    public int d() {
      return family.d();
    }

    @Override
    public int l() {
      return 2;
    }

    @Override
    public long n() {
      return (long) perTask * tasks.size();
    }

    @Override
    public String description() {
      return "fresh samples of the tasks";
    }

    @Override
    public void forEachBlock(int maxRows, BlockConsumer consumer) {
      int d = family.d();
      double[] x = new double[perTask * d];
      double[] y = new double[perTask];
      double[] bx = new double[maxRows * d];
      double[] by = new double[maxRows * 2];
      int filled = 0;
      long first = 0;
      for (int t = 0; t < tasks.size(); t++) {
        UniformRandomProvider rng = TaskSampler.generator(seed, EVALUATION_ROUND, t);
        family.sample(tasks.get(t), rng, perTask, x, 0, y, 0);
        for (int i = 0; i < perTask; i++) {
          System.arraycopy(x, i * d, bx, filled * d, d);
          by[2 * filled] = y[i];
          by[2 * filled + 1] = t;
          if (++filled == maxRows) {
            consumer.accept(new RowBlock(first, filled, bx, 0, by, 0));
            first += filled;
            filled = 0;
          }
        }
      }
      if (filled > 0) {
        consumer.accept(new RowBlock(first, filled, bx, 0, by, 0));
      }
    }
  }
}
