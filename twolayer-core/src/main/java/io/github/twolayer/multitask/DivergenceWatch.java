package io.github.twolayer.multitask;

import io.github.twolayer.progress.DivergedException;

/**
 * The divergence watch of one pretraining run, shared by every round loop (float64 task by task, float32
 * batched, data-parallel; practice and theory mode). After each round it looks at the largest magnitude
 * of the head gradients, of the heads and of W, in the order the values flow (W → features → head
 * gradients → heads → W's gradient → W): O(T·m + m·d) a round, against the round's O((n₁ + n₂)·T·m·d).
 *
 * <p>A run diverged when one of them is NaN or ±∞; it then ends with a {@link DivergedException} naming
 * the step size to lower. That is the step size of the first value, in rounds and then in that order, to
 * have passed {@link #RUNAWAY} (or to have gone non-finite straight away): the value that overflows is
 * often not the one that ran away (heads a step size of 1e300 made huge yield a W that overflows next).
 * Head gradients are bounded by the features, so theirs running away means W (or raw inputs) grew too
 * large; the heads, the head step; W with ordinary heads, the W step. Values that grow past RUNAWAY and
 * stay finite end nothing: theory mode normalizes its rows, and a few giant rounds can still end finite.
 */
final class DivergenceWatch {
  /**
   * A value past this size has run away: no run on inputs of ordinary size comes near it (standardized
   * inputs keep W, the features and the heads within a few orders of 1), and it lies far enough below
   * overflow (1e308) that a step size far too large carries its result past it in one step, before the
   * values it feeds overflow, so the first value past it points at the step to blame.
   */
  static final double RUNAWAY = 1e100;

  private final PretrainingOptions options;
  private String firstWhat; // the first value past RUNAWAY ("the first layer W"), null while there is none
  private String firstSeen; // where it got past ("reached 1.19e+298 at round 1"); null when it went non-finite
  private String remedy;    // the step size to lower, for that value

  DivergenceWatch(PretrainingOptions options) {
    this.options = options;
  }

  /**
   * Checks one round (0-based).
   *
   * @param headGradients the largest |entry| of the round's head gradients (1/n) Σ ℓ' y φ
   * @param heads the largest |entry| of the heads after their steps
   * @param w W after the round's step
   */
  void afterRound(int round, double headGradients, double heads, double[] w) {
    double layer = DivergedException.maxAbs(w);
    String lowerW = "lower --lr-w (now " + DivergedException.number(options.representationRate()) + ")";
    String lowerHead = "lower --lr-head (now " + DivergedException.number(options.headRate()) + ")";
    String[] names = {"the head gradients", "the heads", "the first layer W"};
    boolean[] plural = {true, true, false};
    double[] values = {headGradients, heads, layer};
    String[] remedies = {"the features of W are too large: " + lowerW, lowerHead, lowerW};
    for (int i = 0; i < 3; i++) {
      if (firstWhat == null && !(values[i] <= RUNAWAY)) {
        firstWhat = names[i];
        firstSeen = Double.isFinite(values[i]) ? "reached " + DivergedException.number(values[i]) + " at round "
            + (round + 1) : null;
        remedy = remedies[i];
      }
    }
    for (int i = 0; i < 3; i++) {
      if (!Double.isFinite(values[i])) {
        String now = names[i] + (Double.isNaN(values[i]) ? (plural[i] ? " are not numbers" : " is not a number")
            : (plural[i] ? " reach " : " reaches ") + DivergedException.number(values[i]));
        boolean same = firstWhat.equals(names[i]);
        String origin = firstSeen == null && same ? ""
            : ", after " + (same ? (plural[i] ? "they" : "it") : firstWhat) + " "
                + (firstSeen == null ? "stopped being finite" : firstSeen);
        throw new DivergedException("round", round + 1, now + origin, remedy);
      }
    }
  }
}
