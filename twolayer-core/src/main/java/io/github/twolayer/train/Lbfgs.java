package io.github.twolayer.train;

import io.github.twolayer.progress.DivergedException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4 with the two-loop recursion of 7.5) with a
 * backtracking line search on the Armijo condition; curvature pairs with sᵀy ≤ 0 are skipped so the
 * implicit Hessian stays positive definite.
 */
public final class Lbfgs {
  private Lbfgs() {}

  /** Armijo's sufficient-decrease constant c₁ (Nocedal and Wright §3.1 suggest 1e-4). */
  static final double ARMIJO = 1e-4;
  /** Step halvings per line search at most (2⁻⁵⁰ ≈ 1e-15 of the first step: below rounding). */
  static final int MAX_HALVINGS = 50;
  /** A curvature pair is kept when sᵀy exceeds this fraction of ‖s‖‖y‖ (else the update would be unstable). */
  static final double CURVATURE_FLOOR = 1e-12;
  /** Stop when an iteration lowers f by less than this fraction of max(1, |f|): machine precision, ~5 ulp. */
  static final double RELATIVE_DECREASE_FLOOR = 1e-15;
  /**
   * f stopped decreasing (below the floor, or not at all along the search direction) counts as converged
   * once ‖∇f‖ has fallen to this fraction of its value at the start: at a minimum it falls far further
   * (measured on planted networks, d = 10, k = 5, n = 2·10⁵: 1e-8 of the start with noise-free outputs,
   * where f reaches 1e-15, and 3e-7 with noise 0.1, where three starts stop at the same f), while a search
   * that stalls on a kink or in a narrow valley keeps a gradient of the order of its start's.
   */
  static final double CONVERGED_GRADIENT_DROP = 1e-4;

  /** Why a minimization stopped. */
  public enum Exit {
    /**
     * Converged: ‖∇f‖ fell below the tolerance, or f stopped decreasing (by less than {@link
     * #RELATIVE_DECREASE_FLOOR} of it, or not at all along the search direction) after ‖∇f‖ fell below
     * {@link #CONVERGED_GRADIENT_DROP} of its start: f is at its floor, to machine precision.
     */
    CONVERGED("converged"),
    /** No step along the search direction lowered f, with ‖∇f‖ still large: the line search failed. */
    NO_DECREASE("no-decrease"),
    /** An iteration lowered f by less than {@link #RELATIVE_DECREASE_FLOOR} of it, with ‖∇f‖ still large. */
    STALLED("stalled"),
    /** The monitor said stop (early stopping on held-out loss). */
    MONITOR("early-stopping"),
    /** The iteration budget ran out. */
    ITERATION_LIMIT("iteration-limit"),
    /**
     * f or ∇f was not finite, at the start or at the point a line search accepted (which θ then does not
     * move to): the objective overflowed. The caller reports it as divergence.
     */
    NOT_FINITE("not-finite");

    /** The name in the diagnostics. */
    public final String label;

    Exit(String label) {
      this.label = label;
    }
  }

  /** The iterations done and why they stopped. */
  public record Result(int iterations, Exit exit) {}

  /** f(θ), writing ∇f(θ) into gradient. */
  @FunctionalInterface
  public interface Objective {
    double evaluate(double[] theta, double[] gradient);
  }

  /** Called after each iteration; return false to stop (early stopping). */
  @FunctionalInterface
  public interface Monitor {
    boolean afterIteration(int iteration, double[] theta, double value);
  }

  /** Minimizes from theta (updated in place); returns the iterations done and why it stopped. */
  public static Result minimize(Objective f, double[] theta, int maxIterations, double gradientTolerance, int memory,
      Monitor monitor) {
    int p = theta.length;
    double[] g = new double[p];
    double value = f.evaluate(theta, g);
    if (!Double.isFinite(value) || !DivergedException.finiteSum(g)
        || !DivergedException.finiteSum(theta)) {
      return new Result(0, Exit.NOT_FINITE);
    }
    double startGradient = Math.sqrt(dot(g, g));
    Deque<double[]> sHistory = new ArrayDeque<>();
    Deque<double[]> yHistory = new ArrayDeque<>();
    Deque<Double> rhoHistory = new ArrayDeque<>();
    double[] next = new double[p];
    double[] nextG = new double[p];
    int iter = 0;
    Exit exit = Exit.ITERATION_LIMIT;
    for (; iter < maxIterations; iter++) {
      if (Math.sqrt(dot(g, g)) < gradientTolerance) {
        exit = Exit.CONVERGED;
        break;
      }
      double[] direction = twoLoop(g, sHistory, yHistory, rhoHistory);
      double slope = dot(g, direction);
      if (!(slope < 0)) { // not a descent direction (numerical trouble): restart from steepest descent
        sHistory.clear();
        yHistory.clear();
        rhoHistory.clear();
        for (int i = 0; i < p; i++) {
          direction[i] = -g[i];
        }
        slope = -dot(g, g);
      }
      double step = sHistory.isEmpty() ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
      double nextValue;
      int tries = 0;
      while (true) {
        for (int i = 0; i < p; i++) {
          next[i] = theta[i] + step * direction[i];
        }
        nextValue = f.evaluate(next, nextG);
        if (nextValue <= value + ARMIJO * step * slope || ++tries > MAX_HALVINGS) {
          break;
        }
        step *= 0.5;
      }
      if (!(nextValue <= value)) {
        exit = converged(g, startGradient) ? Exit.CONVERGED : Exit.NO_DECREASE;
        break;
      }
      if (!Double.isFinite(nextValue) || !DivergedException.finiteSum(nextG)
          || !DivergedException.finiteSum(next)) {
        exit = Exit.NOT_FINITE; // a finite start never gets here unless the objective overflows
        break;
      }
      double[] s = new double[p];
      double[] y = new double[p];
      for (int i = 0; i < p; i++) {
        s[i] = next[i] - theta[i];
        y[i] = nextG[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > CURVATURE_FLOOR * Math.sqrt(dot(s, s) * dot(y, y))) {
        sHistory.addLast(s);
        yHistory.addLast(y);
        rhoHistory.addLast(1 / sy);
        if (sHistory.size() > memory) {
          sHistory.removeFirst();
          yHistory.removeFirst();
          rhoHistory.removeFirst();
        }
      }
      System.arraycopy(next, 0, theta, 0, p);
      System.arraycopy(nextG, 0, g, 0, p);
      double previous = value;
      value = nextValue;
      if (!monitor.afterIteration(iter, theta, value)) {
        iter++;
        exit = Exit.MONITOR;
        break;
      }
      if (previous - value <= RELATIVE_DECREASE_FLOOR * Math.max(1, Math.abs(value))) {
        iter++;
        exit = converged(g, startGradient) ? Exit.CONVERGED : Exit.STALLED;
        break;
      }
    }
    return new Result(iter, exit);
  }

  /** Whether ‖∇f‖ has fallen to {@link #CONVERGED_GRADIENT_DROP} of its start (see {@link Exit#CONVERGED}). */
  private static boolean converged(double[] g, double startGradient) {
    return Math.sqrt(dot(g, g)) <= CONVERGED_GRADIENT_DROP * startGradient;
  }

  private static double[] twoLoop(double[] g, Deque<double[]> sHistory, Deque<double[]> yHistory,
      Deque<Double> rhoHistory) {
    int p = g.length;
    double[] q = g.clone();
    int m = sHistory.size();
    double[][] s = sHistory.toArray(new double[0][]);
    double[][] y = yHistory.toArray(new double[0][]);
    Double[] rho = rhoHistory.toArray(new Double[0]);
    double[] alpha = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(s[i], q);
      for (int j = 0; j < p; j++) {
        q[j] -= alpha[i] * y[i][j];
      }
    }
    double gamma = m == 0 ? 1 : dot(s[m - 1], y[m - 1]) / dot(y[m - 1], y[m - 1]);
    for (int j = 0; j < p; j++) {
      q[j] *= gamma;
    }
    for (int i = 0; i < m; i++) {
      double beta = rho[i] * dot(y[i], q);
      for (int j = 0; j < p; j++) {
        q[j] += s[i][j] * (alpha[i] - beta);
      }
    }
    for (int j = 0; j < p; j++) {
      q[j] = -q[j];
    }
    return q;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
