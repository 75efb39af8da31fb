package io.github.twolayer.multitask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many rounds a pretraining run takes and how large each W step is: the K rounds of the options at
 * their lr_W, or, with {@code --rounds auto} ({@link PretrainingOptions#AUTO_ROUNDS}), a rule that needs
 * no truth, decided on the {@link HeldOut} loss measured every {@link #EVERY} rounds:
 * <ol>
 *   <li>rounds at the options' step until the held-out loss stops falling (it fell by less than
 *       {@link #PLATEAU} over the last {@link #WINDOW} rounds);</li>
 *   <li>then the step shrinks, halving every {@link #HALF_LIFE} rounds, so that W, which at a constant
 *       step keeps moving around the subspace by an amount that grows with d, settles into it;</li>
 *   <li>the run stops once the step has decayed for {@link #DECAY_ROUNDS} rounds (to an eighth) and the
 *       held-out loss has settled (it fell by less than {@link #SETTLED} over the last {@link #WINDOW}
 *       rounds, against the best value since the decay began), or at {@link #CAP} rounds.</li>
 * </ol>
 * Every backend (float64, float32 batched, engine passes) runs its rounds under one schedule: it asks
 * {@link #running} before a round, scales its W step by {@link #stepScale}, and reports the new W to
 * {@link #afterRound}.
 *
 * <p>Calibrated on online halfspace tasks (r = 3, T = 32, m = 256, n₁ = n₂ = 256) at d from 50 to
 * 2000: at a constant step, subspace_dist levels off at 0.02 (d = 50), 0.065 (d = 500) and 0.16 (d = 2000)
 * however many rounds run, and new-task accuracy at N = 128 with it; the decay takes it to 0.02–0.03 at
 * every d. The measurements and their times are in docs/multitask.md.
 */
final class RoundSchedule {
  /** Rounds between two measurements of the held-out loss (a tenth of a round's cost, or less). */
  static final int EVERY = 10;

  /** Rounds over which the held-out loss is compared with its best earlier value. */
  static final int WINDOW = 50;

  /**
   * Relative fall of the held-out loss over {@link #WINDOW} rounds below which the constant-step phase
   * has levelled off: at d = 50 the loss still falls ~2% per 10 rounds at round 100 while the subspace
   * has settled, so 1% over 50 rounds ends the phase where the measurements showed it ended.
   */
  static final double PLATEAU = 0.01;

  /** Rounds in which the step halves, once the constant-step phase has levelled off. */
  static final int HALF_LIFE = 50;

  /** Relative fall over {@link #WINDOW} rounds below which the decayed run has settled and stops. */
  static final double SETTLED = 0.002;

  /**
   * The fewest rounds of decay before a stop (three half-lives: the step at an eighth). The first rounds
   * of decay can fall short of a lucky low of the noisy constant-step phase; a stop there (seen at d = 500,
   * 50 rounds into the decay, subspace_dist 0.05 against 0.016 for the other seeds) came too early.
   */
  static final int DECAY_ROUNDS = 3 * HALF_LIFE;

  /** The most rounds a run takes, whatever the held-out loss does. */
  static final int CAP = 2000;

  /** The held-out loss of a layer (W, c). */
  @FunctionalInterface
  interface Measure {
    double loss(double[] w, double[] c);
  }

  private final PretrainingOptions options;
  private final Measure measure;
  private final MultiTaskPretraining.RoundListener listener;
  private final boolean auto;
  private final List<Double> losses = new ArrayList<>(); // the held-out loss at rounds EVERY, 2·EVERY, ...
  private int decayFrom = -1; // the round from which the step decays (-1: not yet)
  private int used;
  private String stop;

  private RoundSchedule(PretrainingOptions options, Measure measure, MultiTaskPretraining.RoundListener listener) {
    this.options = options;
    this.measure = measure;
    this.listener = listener;
    this.auto = options.rounds() == PretrainingOptions.AUTO_ROUNDS;
    if (auto && measure == null) {
      throw new IllegalArgumentException("--rounds auto decides when to stop on samples held out of training; "
          + "this sampler has none: pretrain through MultiTaskPretraining.fit(PretrainingSource, ...), or give "
          + "a number of rounds");
    }
  }

  /** The schedule of {@code options}: its rounds, or auto on {@code heldOut} (null for a number of rounds). */
  static RoundSchedule of(PretrainingOptions options, HeldOut heldOut, MultiTaskPretraining.RoundListener listener) {
    return new RoundSchedule(options, heldOut == null ? null : (w, c) -> heldOut.loss(w, c, options.width(), options),
        listener);
  }

  /** The schedule of {@code options} deciding on {@code measure} (the engines' passes, or a test's script). */
  static RoundSchedule measured(PretrainingOptions options, Measure measure,
      MultiTaskPretraining.RoundListener listener) {
    return new RoundSchedule(options, measure, listener);
  }

  /** Whether round {@code round} (from 0) runs. */
  boolean running(int round) {
    if (!auto) {
      return round < options.rounds();
    }
    if (stop != null) {
      return false;
    }
    if (round >= CAP) {
      stop = "cap: " + CAP + " rounds";
      return false;
    }
    return true;
  }

  /** The most rounds the run can take, for progress. */
  int expected() {
    return auto ? CAP : options.rounds();
  }

  /**
   * The W step of round {@code round}: W ← (1 − η_W λ) W − η_W G with G = {@code sum}/{@code count},
   * λ = 1/η_W in theory mode and 0 in practice mode, η_W the options' step times {@link #stepScale}.
   * Returns the new W.
   */
  double[] step(double[] w, double[] sum, int count, int round) {
    double etaW = options.representationStep() * stepScale(round);
    double decay = options.mode() == PretrainingOptions.Mode.THEORY ? 1 / etaW : 0;
    double[] next = new double[w.length];
    for (int e = 0; e < next.length; e++) {
      next[e] = (1 - etaW * decay) * w[e] - etaW * sum[e] / count;
    }
    return next;
  }

  /** What the W step of the current round is multiplied by: 1, or the decay's factor. */
  double stepScale(int round) {
    return decayFrom < 0 || round < decayFrom ? 1 : Math.pow(0.5, (round - decayFrom) / (double) HALF_LIFE);
  }

  /** After round {@code round}, with the new W (m×d) and the fixed biases c (zeros when none). */
  void afterRound(int round, double[] w, double[] c) {
    listener.afterRound(round, w);
    used = round + 1;
    if (!auto || used % EVERY != 0) {
      return;
    }
    losses.add(measure.loss(w, c));
    int back = WINDOW / EVERY;
    int n = losses.size();
    if (n <= back) {
      return;
    }
    double now = losses.get(n - 1);
    // The best of the earlier measurements (in the decay phase, of those since it began).
    int first = decayFrom < 0 ? 0 : decayFrom / EVERY - 1;
    double before = Double.POSITIVE_INFINITY;
    for (int i = first; i < n - back; i++) {
      before = Math.min(before, losses.get(i));
    }
    double fall = (before - now) / before;
    if (decayFrom < 0) {
      if (fall < PLATEAU) {
        decayFrom = used;
      }
    } else if (used - decayFrom >= DECAY_ROUNDS && fall < SETTLED) {
      stop = String.format(Locale.ROOT, "settled: the held-out loss fell by %.2g%% over the last %d "
          + "rounds, the step decaying since round %d", 100 * Math.max(0, fall), WINDOW, decayFrom);
    }
  }

  /** Rounds run. */
  int used() {
    return used;
  }

  /** Why the run stopped: its K rounds, the settled held-out loss, or the cap. */
  String stopReason() {
    if (!auto) {
      return "fixed: " + options.rounds() + " rounds";
    }
    return stop != null ? stop : "cap: " + CAP + " rounds";
  }

  /** Why the run stopped, with the held-out losses measured (none for a fixed number of rounds). */
  Representation.Stopping stopping() {
    return new Representation.Stopping(stopReason(), decayFrom, losses);
  }
}
