package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.progress.DivergedException;

/**
 * L2-regularized logistic regression without intercept, solved by Newton's method:
 * minimize (1/N) Σ log(1 + exp(−y_i bᵀφ_i)) + (λ/2)‖b‖². Strictly convex for λ > 0, so Newton with a
 * backtracking line search converges from b = 0 in a handful of steps.
 */
public final class LogisticRegression {
  private LogisticRegression() {}

  /** The objective at b. */
  public static double objective(double[] phi, double[] y, int n, int m, double lambda, double[] b) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Loss.LOGISTIC.value(y[i] * dot(phi, i, m, b));
    }
    double norm = 0;
    for (double v : b) {
      norm += v * v;
    }
    return s / n + 0.5 * lambda * norm;
  }

  /** The minimizer b (length m) for features phi (n×m, row-major) and labels ±1. */
  public static double[] fit(double[] phi, double[] y, int n, int m, double lambda) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda = " + lambda + " must be positive");
    }
    // With fewer samples than features the Newton system is solved in its n×n dual form (Woodbury):
    // with Φ̃ = Φ/√n and H = Φ̃ᵀDΦ̃ + λI, H⁻¹g = (g − Φ̃ᵀ(λD⁻¹ + Φ̃Φ̃ᵀ)⁻¹Φ̃g)/λ, and Φ̃Φ̃ᵀ is fixed.
    boolean dual = n < m;
    double[] gram = dual ? gram(phi, n, m) : null;
    double[] b = new double[m];
    double value = objective(phi, y, n, m, lambda, b);
    if (!Double.isFinite(value)) {
      throw diverged(0, value, phi);
    }
    for (int iter = 0; iter < 100; iter++) {
      double[] grad = new double[m];
      double[] weight = new double[n];
      for (int i = 0; i < n; i++) {
        double z = y[i] * dot(phi, i, m, b);
        double sigma = 1 / (1 + Math.exp(z)); // −ℓ'(z)
        weight[i] = sigma * (1 - sigma);
        for (int j = 0; j < m; j++) {
          grad[j] -= sigma * y[i] * phi[i * m + j] / n;
        }
      }
      double gradNorm = 0;
      for (int j = 0; j < m; j++) {
        grad[j] += lambda * b[j];
        gradNorm += grad[j] * grad[j];
      }
      if (Math.sqrt(gradNorm) < 1e-12) {
        break;
      }
      double[] step = dual ? dualNewtonStep(phi, n, m, gram, weight, lambda, grad)
          : primalNewtonStep(phi, n, m, weight, lambda, grad);
      double decrement = 0;
      for (int j = 0; j < m; j++) {
        decrement += grad[j] * step[j];
      }
      if (decrement < 1e-20) {
        break;
      }
      double t = 1;
      double[] next = new double[m];
      double nextValue;
      while (true) {
        for (int j = 0; j < m; j++) {
          next[j] = b[j] - t * step[j];
        }
        nextValue = objective(phi, y, n, m, lambda, next);
        if (nextValue <= value - 0.25 * t * decrement || t < 1e-10) { // Armijo
          break;
        }
        t *= 0.5;
      }
      // A Newton step is finite while the features' squares are (the Hessian sums them): past 1e154 it is
      // not, and the line search then settles on a point of NaN.
      if (!Double.isFinite(nextValue) || !DivergedException.finiteSum(next)) {
        throw diverged(iter + 1, nextValue, phi);
      }
      b = next;
      value = nextValue;
    }
    return b;
  }

  /** The divergence of a fit whose objective or head stopped being finite, with the features' largest size. */
  private static DivergedException diverged(int step, double value, double[] phi) {
    double largest = 0;
    for (double v : phi) {
      largest = Math.max(largest, Math.abs(v));
    }
    return new DivergedException("Newton step", step, "objective "
        + DivergedException.number(value) + ", features up to "
        + DivergedException.number(largest), "the features overflow the logistic "
        + "regression: give the inputs in the units the representation was pretrained on (of ordinary magnitudes)");
  }

  private static double[] gram(double[] phi, int n, int m) {
    double[] k = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double v = dot(phi, i, m, phi, j) / n;
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    return k;
  }

  private static double[] primalNewtonStep(double[] phi, int n, int m, double[] weight, double lambda, double[] grad) {
    double[] hess = new double[m * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double pj = phi[i * m + j];
        if (pj != 0) {
          double wp = weight[i] * pj / n;
          for (int k = j; k < m; k++) {
            hess[j * m + k] += wp * phi[i * m + k];
          }
        }
      }
    }
    for (int j = 0; j < m; j++) {
      hess[j * m + j] += lambda;
      for (int k = 0; k < j; k++) {
        hess[j * m + k] = hess[k * m + j];
      }
    }
    return Matrices.solve(hess, m, grad, 1);
  }

  private static double[] dualNewtonStep(double[] phi, int n, int m, double[] gram, double[] weight, double lambda,
      double[] grad) {
    double[] system = gram.clone();
    double[] rhs = new double[n];
    double scale = 1 / Math.sqrt(n);
    for (int i = 0; i < n; i++) {
      // A weight that underflowed to 0 removes its row; a huge diagonal does the same, stably.
      system[i * n + i] += lambda / Math.max(weight[i], 1e-300);
      rhs[i] = scale * dot(phi, i, m, grad);
    }
    double[] u = Matrices.solve(system, n, rhs, 1);
    double[] step = grad.clone();
    for (int i = 0; i < n; i++) {
      double ui = scale * u[i];
      for (int j = 0; j < m; j++) {
        step[j] -= phi[i * m + j] * ui;
      }
    }
    for (int j = 0; j < m; j++) {
      step[j] /= lambda;
    }
    return step;
  }

  private static double dot(double[] a, int i, int m, double[] b, int j) {
    double s = 0;
    for (int k = 0; k < m; k++) {
      s += a[i * m + k] * b[j * m + k];
    }
    return s;
  }

  static double dot(double[] phi, int row, int m, double[] b) {
    double s = 0;
    for (int j = 0; j < m; j++) {
      s += phi[row * m + j] * b[j];
    }
    return s;
  }
}
