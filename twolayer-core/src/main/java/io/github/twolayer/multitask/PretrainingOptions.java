package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@link MultiTaskPretraining} (docs/collins-method.md). Defaults are the calibrated
 * practice-mode values.
 *
 * @param width m, hidden units of the shared first layer
 * @param rounds K, alternating rounds, or {@link #AUTO_ROUNDS}: as many as the held-out loss asks for
 *     ({@link RoundSchedule})
 * @param n1 samples per task for the head step (S¹)
 * @param n2 samples per task for the representation step (S²), or {@link #AUTO_SAMPLES}: grown with d
 *     ({@link #resolvedFor})
 * @param mode practice (K rounds, no weight decay) or theory (one round with λ = 1/η_W, rows normalized)
 * @param loss logistic, hinge or linear ℓ(z) = −z
 * @param heads how heads are updated: reset to 0 and stepped first (the paper's order), persistent,
 *     or simultaneous with W (from zero or from small random heads)
 * @param headRate η_h, head step size
 * @param headSteps head gradient steps per round
 * @param representationRate lr_W; the W step is η_W = lr_W · m (mean-field units, since the 1/√m
 *     output scale makes each row's gradient O(η_h/m))
 * @param bias fixed first-layer biases c_j ~ N(0, 1) (false: none)
 * @param seed seed of the initialization and of the samples drawn per round
 * @param threads worker threads (results do not depend on it)
 * @param precision float32 (the default: samples, features and gradients in single precision, every task
 *     of a round batched into a few large native products) or float64 (task by task in double precision)
 * @param sampling how a round picks its samples from data (subsets, the default, or bernoulli)
 * @param baseline pretraining itself (NONE, the default) or one of the layers it is compared with
 * @param standardize pretrain data on input columns centered and scaled to mean 0 and root-mean-square 1,
 *     and map the layer (W and its biases) back to the data's units (the default; not for online rounds,
 *     whose inputs are N(0, I) already, nor random features or the oracle, which do not look at the data)
 * @param blas which implementation of the matrix products runs (recorded in the result's provenance)
 */
public record PretrainingOptions(int width, int rounds, int n1, int n2, Mode mode, Loss loss, Heads heads, double headRate,
    int headSteps, double representationRate, boolean bias, long seed, int threads, Precision precision,
    Sampling sampling, Baselines.Kind baseline, boolean standardize, Blas.Choice blas) {

  /**
   * How a round picks S¹ and S² from data ({@link MultiTaskPretraining#fit(PretrainingSource,
   * PretrainingOptions, io.github.twolayer.progress.Progress)}): subsets of n₁ and n₂ rows per task (data
   * in memory), or each row by a hash of its contents, n₁ and n₂ on average (one pass per step: streams,
   * runs on any engine). Online rounds draw fresh samples and use neither.
   */
  public enum Sampling {
    SUBSETS("subsets"), BERNOULLI("bernoulli");

    public final String label;

    Sampling(String label) {
      this.label = label;
    }

    public static Sampling of(String name) {
      return Labels.byLabel(values(), s -> s.label, name,
          () -> "--sampling " + name + " is not known: use subsets or bernoulli");
    }
  }

  /** The arithmetic of a round; the algorithm, its seeds and its samples are the same in both. */
  public enum Precision {
    FLOAT32("float32"), FLOAT64("float64");

    public final String label;

    Precision(String label) {
      this.label = label;
    }

    public static Precision of(String name) {
      return Labels.byLabel(values(), p -> p.label, name,
          () -> "--precision " + name + " is not a precision: use float32 or float64");
    }
  }

  /** practice: K rounds, λ = 0; theory: one round with λ = 1/η_W, then unit rows. */
  public enum Mode {
    PRACTICE, THEORY
  }

  /** How the per-task heads move; the round loop ({@link Rounds}) is the one place that follows it. */
  public enum Heads {
    /** b_t ← 0, head steps on S¹, then the W step (the paper's head-first order). */
    RESET(true, false),
    /** As RESET but the heads keep their values from round to round. */
    PERSISTENT(false, false),
    /** Heads and W take one simultaneous gradient step from the current point; heads start at 0. */
    SIMULTANEOUS_ZERO(false, true),
    /** As SIMULTANEOUS_ZERO with heads starting at small random values (N(0, 0.01)). */
    SIMULTANEOUS_RANDOM(false, true);

    /** The heads are set to 0 at the start of every round. */
    public final boolean resetEachRound;
    /** W's gradient is taken at the heads before their steps (else after them: head-first). */
    public final boolean simultaneous;

    Heads(boolean resetEachRound, boolean simultaneous) {
      this.resetEachRound = resetEachRound;
      this.simultaneous = simultaneous;
    }
  }

  /** {@code rounds} meaning "--rounds auto": decided by a held-out loss, not fixed in advance. */
  public static final int AUTO_ROUNDS = -1;

  /** {@code n2} meaning "--n2 auto": max(256, ⌈d/2⌉), see {@link #resolvedFor}. */
  public static final int AUTO_SAMPLES = -1;

  /** The fewest S² samples per task that --n2 auto takes, the calibrated n₂. */
  static final int AUTO_SAMPLES_FLOOR = 256;

  public PretrainingOptions {
    if (width <= 0) {
      throw new IllegalArgumentException("--width = " + width + " must be a positive number of hidden units");
    }
    if (rounds <= 0 && rounds != AUTO_ROUNDS) {
      throw new IllegalArgumentException("--rounds = " + rounds + " must be positive (or auto)");
    }
    if (n1 <= 0 || (n2 <= 0 && n2 != AUTO_SAMPLES)) {
      throw new IllegalArgumentException("--n1 = " + n1 + " and --n2 = " + n2 + " must be positive");
    }
    if (!(headRate > 0) || !(representationRate > 0) || Double.isInfinite(headRate)
        || Double.isInfinite(representationRate)) {
      throw new IllegalArgumentException("step sizes must be finite and positive (head " + headRate
          + ", representation " + representationRate + ")");
    }
    if (headSteps <= 0) {
      throw new IllegalArgumentException("head steps = " + headSteps + " must be positive");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads = " + threads + " must be positive");
    }
    if (blas == null) {
      throw new IllegalArgumentException("blas must be a choice (Blas.Choice.AUTO for native where it loads)");
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision must be float32 or float64");
    }
    if (mode == Mode.THEORY && rounds != 1) {
      throw new IllegalArgumentException("theory mode runs exactly one round (got --rounds " + rounds + ")");
    }
  }

  /**
   * These options with n₂ decided for inputs of dimension d whose largest task has {@code largestTask}
   * rows ({@code Long.MAX_VALUE}: fresh samples): {@link #AUTO_SAMPLES} becomes max(256, ⌈d/2⌉), at
   * most the task's rows (the rest of the options as they are). The W step's gradient noise
   * off the subspace grows like d/n₂ and is never removed (no weight decay), so a fixed n₂ leaves W
   * further from the subspace as d grows: measured on online halfspace tasks (r = 3, T = 32, m = 256,
   * --rounds auto) at d = 2000, energy outside the subspace 0.083 with n₂ = 256 against 0.016–0.020 with
   * n₂ = 1000, and new-task accuracy at N = 128 within 0.01 of d = 50 only with the latter.
   */
  public PretrainingOptions resolvedFor(int d, long largestTask) {
    if (n2 != AUTO_SAMPLES) {
      return this;
    }
    long grown = Math.max(AUTO_SAMPLES_FLOOR, (d + 1) / 2);
    return withSamples(n1, (int) Math.max(1, Math.min(grown, largestTask)));
  }

  /** Width m, practice mode: K = 100, n₁ = n₂ = 256, logistic loss, reset heads, η_h = 1, lr_W = 10. */
  public static PretrainingOptions defaults(int width) {
    return new PretrainingOptions(width, 100, 256, 256, Mode.PRACTICE, Loss.LOGISTIC, Heads.RESET, 1, 1, 10, true, 1,
        Runtime.getRuntime().availableProcessors(), Precision.FLOAT32, Sampling.SUBSETS, Baselines.Kind.NONE, true,
        Blas.Choice.byDefault());
  }

  /** Theory mode: one round with λ = 1/η_W, rows normalized afterwards. */
  public PretrainingOptions inTheoryMode() {
    return new PretrainingOptions(width, 1, n1, n2, Mode.THEORY, loss, heads, headRate, headSteps, representationRate, bias,
        seed, threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withRounds(int k) {
    return new PretrainingOptions(width, k, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias, seed,
        threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withSamples(int s1, int s2) {
    return new PretrainingOptions(width, rounds, s1, s2, mode, loss, heads, headRate, headSteps, representationRate, bias, seed,
        threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withLoss(Loss l) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, l, heads, headRate, headSteps, representationRate, bias, seed,
        threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withHeads(Heads h) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, h, headRate, headSteps, representationRate, bias, seed,
        threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withRates(double head, double representation) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, head, headSteps, representation, bias, seed, threads,
        precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withBias(boolean on) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, on, seed,
        threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withSeed(long s) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias, s,
        threads, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withThreads(int t) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias, seed,
        t, precision, sampling, baseline, standardize, blas);
  }

  public PretrainingOptions withPrecision(Precision p) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias, seed,
        threads, p, sampling, baseline, standardize, blas);
  }

  /** η_W = lr_W · m. */
  public double representationStep() {
    return representationRate * width;
  }

  public PretrainingOptions withSampling(Sampling how) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias,
        seed, threads, precision, how, baseline, standardize, blas);
  }

  public PretrainingOptions withBaseline(Baselines.Kind kind) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias,
        seed, threads, precision, sampling, kind, standardize, blas);
  }

  /** The same options with the matrix products on {@code choice}. */
  public PretrainingOptions withBlas(Blas.Choice choice) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias,
        seed, threads, precision, sampling, baseline, standardize, choice);
  }

  public PretrainingOptions withStandardize(boolean on) {
    return new PretrainingOptions(width, rounds, n1, n2, mode, loss, heads, headRate, headSteps, representationRate, bias,
        seed, threads, precision, sampling, baseline, on, blas);
  }

  /** The choices of these options under their snake_case names, for a representation's provenance. */
  public Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("algorithm", "multitask");
    p.put("seed", seed);
    p.put("width", width);
    p.put("rounds", rounds == AUTO_ROUNDS ? "auto" : rounds);
    p.put("n1", n1);
    p.put("n2", n2);
    p.put("mode", mode.name().toLowerCase(Locale.ROOT));
    p.put("loss", loss.name().toLowerCase(Locale.ROOT));
    p.put("heads", heads.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    p.put("baseline", baseline.label);
    p.put("lr_w", representationRate);
    p.put("lr_head", headRate);
    p.put("precision", precision.label);
    p.put("standardize", standardize);
    return p;
  }
}
