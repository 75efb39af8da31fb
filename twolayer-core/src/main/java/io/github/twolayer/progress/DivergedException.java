package io.github.twolayer.progress;

import java.util.Locale;

/**
 * Thrown out of a training loop that ran away: its loss or weights stopped being finite, or its loss grew
 * by orders of magnitude (Adam, which has no line search to stop it). Every pretraining round, gradient-descent iteration and Newton step of the logistic
 * head checks for it, so a run that went wrong ends before anything is written instead of saving a model
 * of NaN. The message names where it happened, what was seen and what to change (the step size to lower);
 * the CLI reports it with exit 3 (the data and these settings cannot support the training).
 */
public final class DivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String unit;
  private final int step;

  /**
   * "training diverged at {unit} {step} ({symptom}); {remedy}".
   *
   * @param unit what the loop counts: "round", "epoch", "iteration" or "Newton step"
   * @param step the (1-based) round, epoch or iteration where the check failed
   * @param symptom what was seen, e.g. "loss ∞" or "the first layer W reaches 1.19e+298"
   * @param remedy what to change, naming the option, e.g. "lower --lr-w (now 1000)"
   */
  public DivergedException(String unit, int step, String symptom, String remedy) {
    super("training diverged at " + unit + " " + step + " (" + symptom + "); " + remedy);
    this.unit = unit;
    this.step = step;
  }

  /** What the loop counts ("round", "epoch", "iteration", "Newton step"). */
  public String unit() {
    return unit;
  }

  /** The round, epoch or iteration (from 1) at which the check failed. */
  public int step() {
    return step;
  }

  /**
   * A value for a message: integers as such (a step size of 1000), others to three digits (1.00e+300),
   * infinities as ∞ and NaN in words ("not a number": a message shows NaN only as a value read from a
   * file, never as one computed).
   */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "not a number";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /**
   * Whether every value is finite, from their sum: a NaN or ±∞ anywhere makes the sum non-finite (±∞ of
   * both signs give NaN), so this costs one addition a value and no branch. (A sum of finite values can
   * overflow only when some are near 1e308, which a training loop that did not diverge never holds.)
   */
  public static boolean finiteSum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return Double.isFinite(s);
  }

  /** The largest |value|, NaN when any is NaN (Math.max keeps a NaN), ∞ when any is infinite. */
  public static double maxAbs(double[] values) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** {@link #maxAbs(double[])} over the rows of a matrix. */
  public static double maxAbs(double[][] rows) {
    double m = 0;
    for (double[] row : rows) {
      m = Math.max(m, maxAbs(row));
    }
    return m;
  }

  /** {@link #maxAbs(double[])} over float rows. */
  public static double maxAbs(float[][] rows) {
    double m = 0;
    for (float[] row : rows) {
      for (float v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }
}
