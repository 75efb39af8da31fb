package io.github.twolayer.moments;

import io.github.twolayer.linalg.Matrices;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Step 7 of docs/ge-method.md: splits the span {A'⁻ᵀ D A'⁻¹ : D diagonal}, given by k symmetric k×k matrices
 * U_j, into its k rank-one directions, the pure-neuron detectors (columns of A'⁻ᵀ up to scale).
 *
 * <p>Joint diagonalization (the default): find the element M = Σ c_j U_j, ‖c‖ ≤ 1, that maximizes the
 * smallest eigenvalue (a concave maximization, solved by a log-barrier Newton method; its optimum is
 * unique, so no randomness enters), whiten every U_j by M's Cholesky factor L, and diagonalize the
 * whitened matrices jointly by Jacobi rotations (Cardoso and Souloumiac 1996). Since M = A'⁻ᵀ D₀ A'⁻¹
 * with D₀ > 0, L⁻¹A'⁻ᵀD₀^½ is orthogonal and the columns of L·V are the detectors.
 *
 * <p>Random pairs (the fallback when no positive-definite element exists, and an option): the
 * eigenvectors of U_g U_h⁻¹ for two random elements, best of several pairs by eigenvalue separation.
 */
final class SpanSplitter {
  private SpanSplitter() {}

  // The barrier method (Boyd and Vandenberghe, Convex Optimization, §11.3 and §9.5). μ from 1 down to
  // below 1e-9 by a factor of 5 (their μ between 3 and 100 per outer step; 5 keeps each centering to a
  // few Newton steps here): λ_min is then exact to ~1e-9·(k + 1), far below the sampling error of U_j.
  static final double BARRIER_MU_START = 1;
  static final double BARRIER_MU_END = 1e-9;
  static final double BARRIER_MU_FACTOR = 0.2;
  /** Newton steps per centering; quadratic convergence needs a handful, so the cap only stops a stall. */
  static final int NEWTON_MAX_STEPS = 100;
  /** Newton decrement at which a centering has converged (f is O(1), so ~machine precision on it). */
  static final double NEWTON_DECREMENT_TOLERANCE = 1e-12;
  /** Backtracking line search: Armijo fraction α (0.01–0.3 in the book) and halving β, 60 halvings at most. */
  static final double ARMIJO_FRACTION = 0.25;
  static final double BACKTRACK_FACTOR = 0.5;
  static final int BACKTRACK_MAX_STEPS = 60;
  /** λ_min above which the best element counts as positive definite (and its Cholesky factor is used). */
  static final double POSITIVE_DEFINITE_FLOOR = 1e-12;
  /** Jacobi sweeps at most (they converge quadratically; 5–10 is usual for k ≤ 20). */
  static final int JACOBI_MAX_SWEEPS = 100;
  /** A rotation by an angle with |sin θ| at or below this changes nothing: the sweep is done. */
  static final double JACOBI_ROTATION_FLOOR = 1e-12;
  /** Random pairs tried when splitting by pairs; the best by eigenvalue separation is kept. */
  static final int RANDOM_PAIRS_TRIES = 30;

  /** How the barrier method of step 7 ended, for the diagnostics ({@code split_solver_exit}). */
  enum BarrierExit {
    /** Every centering reached the decrement tolerance. */
    CONVERGED("converged"),
    /** A centering hit {@link #NEWTON_MAX_STEPS}: the combination may be short of the optimum. */
    STEP_LIMIT("step-limit"),
    /** The Newton system was singular: the centering stopped where it was. */
    SINGULAR_HESSIAN("singular-hessian"),
    /** No step length improved the objective: the centering stopped where it was. */
    LINE_SEARCH_FAILED("line-search-failed"),
    /** Not run (random pairs only). */
    NOT_RUN("not-run");

    final String label;

    BarrierExit(String label) {
      this.label = label;
    }
  }

  /** The barrier's combination c and how it ended. */
  record Combination(double[] c, BarrierExit exit) {}

  /** How the span was split. */
  enum Method {
    JOINT_DIAGONALIZATION("joint-diagonalization"),
    RANDOM_PAIRS("random-pairs");

    final String label;

    Method(String label) {
      this.label = label;
    }
  }

  /**
   * Detectors as columns of a k×k matrix (unit norm, signs arbitrary) with the diagnostics of the split.
   * {@code minEigenvalue} is λ_min of the best positive-definite element (NaN for random pairs alone);
   * {@code offDiagonalResidual} is ‖off(VᵀŨ_jV)‖ / ‖Ũ_j‖ over all j (or the relative imaginary part
   * / eigenvalue gap quality for random pairs).
   */
  record Split(double[] detectors, Method method, double minEigenvalue, double offDiagonalResidual, int sweeps,
      BarrierExit barrierExit) {}

  static Split split(double[][] spans, int k, Method preferred, UniformRandomProvider rng) {
    if (preferred == Method.JOINT_DIAGONALIZATION) {
      Combination best = maxMinEigenvalueCombination(spans, k);
      double[] m = combine(spans, best.c(), k);
      double lambdaMin = Matrices.symmetricEigen(m, k).values()[0];
      double[] lower = lambdaMin > POSITIVE_DEFINITE_FLOOR ? Matrices.choleskyLower(m, k) : null;
      if (lower != null) {
        return jointlyDiagonalize(spans, k, lower, lambdaMin, best.exit());
      }
      Split fallback = randomPairs(spans, k, rng, RANDOM_PAIRS_TRIES);
      return new Split(fallback.detectors(), Method.RANDOM_PAIRS, lambdaMin, fallback.offDiagonalResidual(), 0,
          best.exit());
    }
    return randomPairs(spans, k, rng, RANDOM_PAIRS_TRIES);
  }

  static double[] combine(double[][] spans, double[] c, int k) {
    double[] m = new double[k * k];
    for (int j = 0; j < spans.length; j++) {
      for (int e = 0; e < k * k; e++) {
        m[e] += c[j] * spans[j][e];
      }
    }
    return m;
  }

  /**
   * argmax over ‖c‖ ≤ 1 of λ_min(Σ c_j U_j), by the barrier method on
   * f(c, t) = t + μ [log det(M(c) − tI) + log(1 − ‖c‖²)] with μ → 0. A centering that cannot go on (a
   * singular Newton system, a failed line search, the step cap) keeps its point and the next μ starts
   * from there; the first such event is recorded as the exit.
   */
  static Combination maxMinEigenvalueCombination(double[][] spans, int k) {
    int m = spans.length;
    int dim = m + 1;
    double[] theta = new double[dim]; // (c, t); c = 0, t = −1 is strictly feasible
    theta[m] = -1;
    BarrierExit exit = BarrierExit.CONVERGED;
    for (double mu = BARRIER_MU_START; mu > BARRIER_MU_END; mu *= BARRIER_MU_FACTOR) {
      BarrierExit centering = BarrierExit.STEP_LIMIT;
      for (int iter = 0; iter < NEWTON_MAX_STEPS; iter++) {
        Barrier b = Barrier.at(spans, k, theta, mu);
        double[] negH = new double[dim * dim];
        for (int e = 0; e < negH.length; e++) {
          negH[e] = -b.hessian[e];
        }
        double[] step;
        try {
          step = Matrices.solve(negH, dim, b.gradient, 1);
        } catch (ArithmeticException e) {
          centering = BarrierExit.SINGULAR_HESSIAN;
          break;
        }
        double decrement = 0;
        for (int i = 0; i < dim; i++) {
          decrement += b.gradient[i] * step[i];
        }
        if (decrement < NEWTON_DECREMENT_TOLERANCE) {
          centering = BarrierExit.CONVERGED;
          break;
        }
        double alpha = 1;
        double[] next = new double[dim];
        boolean moved = false;
        for (int ls = 0; ls < BACKTRACK_MAX_STEPS; ls++) {
          for (int i = 0; i < dim; i++) {
            next[i] = theta[i] + alpha * step[i];
          }
          double value = Barrier.value(spans, k, next, mu);
          if (!Double.isNaN(value) && value >= b.value + ARMIJO_FRACTION * alpha * decrement) {
            moved = true;
            break;
          }
          alpha *= BACKTRACK_FACTOR;
        }
        if (!moved) {
          centering = BarrierExit.LINE_SEARCH_FAILED;
          break;
        }
        System.arraycopy(next, 0, theta, 0, dim);
      }
      if (exit == BarrierExit.CONVERGED) {
        exit = centering;
      }
    }
    return new Combination(Arrays.copyOf(theta, m), exit);
  }

  /** Value, gradient and Hessian of the barrier objective at θ = (c, t). */
  private static final class Barrier {
    double value;
    double[] gradient;
    double[] hessian;

    /** f(θ), or NaN when θ is infeasible. */
    static double value(double[][] spans, int k, double[] theta, double mu) {
      int m = spans.length;
      double r2 = 0;
      for (int j = 0; j < m; j++) {
        r2 += theta[j] * theta[j];
      }
      if (r2 >= 1) {
        return Double.NaN;
      }
      double[] s = shifted(spans, k, theta);
      double[] lower = Matrices.choleskyLower(s, k);
      if (lower == null) {
        return Double.NaN;
      }
      double logDet = 0;
      for (int i = 0; i < k; i++) {
        logDet += 2 * Math.log(lower[i * k + i]);
      }
      return theta[m] + mu * (logDet + Math.log(1 - r2));
    }

    static double[] shifted(double[][] spans, int k, double[] theta) {
      double[] s = combine(spans, theta, k); // uses the first m entries of theta
      for (int i = 0; i < k; i++) {
        s[i * k + i] -= theta[spans.length];
      }
      return s;
    }

    static Barrier at(double[][] spans, int k, double[] theta, double mu) {
      int m = spans.length;
      int dim = m + 1;
      Barrier b = new Barrier();
      b.value = value(spans, k, theta, mu);
      double[] s = shifted(spans, k, theta);
      double[] identity = new double[k * k];
      for (int i = 0; i < k; i++) {
        identity[i * k + i] = 1;
      }
      double[] sInv = Matrices.solve(s, k, identity, k);
      double[][] bj = new double[m][];
      for (int j = 0; j < m; j++) {
        bj[j] = Matrices.multiply(sInv, k, k, spans[j], k);
      }
      double[] sInv2 = Matrices.multiply(sInv, k, k, sInv, k);
      double r2 = 0;
      for (int j = 0; j < m; j++) {
        r2 += theta[j] * theta[j];
      }
      double slack = 1 - r2;
      b.gradient = new double[dim];
      b.hessian = new double[dim * dim];
      double traceSInv = 0;
      double traceSInv2 = 0;
      for (int i = 0; i < k; i++) {
        traceSInv += sInv[i * k + i];
        traceSInv2 += sInv2[i * k + i];
      }
      for (int j = 0; j < m; j++) {
        b.gradient[j] = mu * (trace(bj[j], k) - 2 * theta[j] / slack);
        for (int i = 0; i <= j; i++) {
          double h = -mu * traceOfProduct(bj[i], bj[j], k)
              - mu * ((i == j ? 2 / slack : 0) + 4 * theta[i] * theta[j] / (slack * slack));
          b.hessian[i * dim + j] = h;
          b.hessian[j * dim + i] = h;
        }
        double mixed = mu * traceOfProduct(sInv2, spans[j], k);
        b.hessian[j * dim + m] = mixed;
        b.hessian[m * dim + j] = mixed;
      }
      b.gradient[m] = 1 - mu * traceSInv;
      b.hessian[m * dim + m] = -mu * traceSInv2;
      return b;
    }
  }

  static double trace(double[] a, int k) {
    double t = 0;
    for (int i = 0; i < k; i++) {
      t += a[i * k + i];
    }
    return t;
  }

  /** tr(A B). */
  static double traceOfProduct(double[] a, double[] b, int k) {
    double t = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        t += a[i * k + j] * b[j * k + i];
      }
    }
    return t;
  }

  /** Whitens every U_j by L and diagonalizes them jointly by Jacobi rotations. */
  static Split jointlyDiagonalize(double[][] spans, int k, double[] lower, double lambdaMin, BarrierExit barrierExit) {
    int m = spans.length;
    // Ũ_j = L⁻¹ U_j L⁻ᵀ, via two triangular solves.
    double[][] w = new double[m][];
    double total = 0;
    for (int j = 0; j < m; j++) {
      double[] left = forwardSolve(lower, k, spans[j]);                       // L⁻¹ U_j
      double[] both = forwardSolve(lower, k, Matrices.transpose(left, k, k)); // L⁻¹ (L⁻¹ U_j)ᵀ
      w[j] = both;
      total += Matrices.frobenius(both) * Matrices.frobenius(both);
    }
    double[] v = new double[k * k];
    for (int i = 0; i < k; i++) {
      v[i * k + i] = 1;
    }
    int sweeps = 0;
    boolean rotated = true;
    while (rotated && sweeps < JACOBI_MAX_SWEEPS) {
      rotated = false;
      sweeps++;
      for (int p = 0; p < k - 1; p++) {
        for (int q = p + 1; q < k; q++) {
          // Cardoso–Souloumiac angle for the pair (p, q) over all matrices.
          double g11 = 0, g12 = 0, g22 = 0;
          for (double[] a : w) {
            double h1 = a[p * k + p] - a[q * k + q];
            double h2 = a[p * k + q] + a[q * k + p];
            g11 += h1 * h1;
            g12 += h1 * h2;
            g22 += h2 * h2;
          }
          double ton = g11 - g22;
          double toff = 2 * g12;
          double theta = 0.5 * Math.atan2(toff, ton + Math.sqrt(ton * ton + toff * toff));
          double c = Math.cos(theta);
          double s = Math.sin(theta);
          if (Math.abs(s) > JACOBI_ROTATION_FLOOR) {
            rotated = true;
            for (double[] a : w) {
              rotate(a, k, p, q, c, s);
            }
            for (int i = 0; i < k; i++) {
              double vp = v[i * k + p];
              double vq = v[i * k + q];
              v[i * k + p] = c * vp + s * vq;
              v[i * k + q] = -s * vp + c * vq;
            }
          }
        }
      }
    }
    double off = 0;
    for (double[] a : w) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          if (i != j) {
            off += a[i * k + j] * a[i * k + j];
          }
        }
      }
    }
    double[] detectors = Matrices.multiply(lower, k, k, v, k);
    normalizeColumns(detectors, k);
    return new Split(detectors, Method.JOINT_DIAGONALIZATION, lambdaMin, Math.sqrt(off / total), sweeps,
        barrierExit);
  }

  /** A ← Gᵀ A G for the Givens rotation G acting on coordinates (p, q). */
  private static void rotate(double[] a, int k, int p, int q, double c, double s) {
    for (int j = 0; j < k; j++) {
      double ap = a[p * k + j];
      double aq = a[q * k + j];
      a[p * k + j] = c * ap + s * aq;
      a[q * k + j] = -s * ap + c * aq;
    }
    for (int i = 0; i < k; i++) {
      double ap = a[i * k + p];
      double aq = a[i * k + q];
      a[i * k + p] = c * ap + s * aq;
      a[i * k + q] = -s * ap + c * aq;
    }
  }

  /** L⁻¹ B for lower-triangular L (k×k) and B (k×k). */
  private static double[] forwardSolve(double[] lower, int k, double[] b) {
    double[] x = b.clone();
    for (int col = 0; col < k; col++) {
      for (int i = 0; i < k; i++) {
        double sum = x[i * k + col];
        for (int j = 0; j < i; j++) {
          sum -= lower[i * k + j] * x[j * k + col];
        }
        x[i * k + col] = sum / lower[i * k + i];
      }
    }
    return x;
  }

  static void normalizeColumns(double[] m, int k) {
    for (int j = 0; j < k; j++) {
      double norm = 0;
      for (int i = 0; i < k; i++) {
        norm += m[i * k + j] * m[i * k + j];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < k; i++) {
        m[i * k + j] /= norm;
      }
    }
  }

  /**
   * Eigenvectors of U_g U_h⁻¹ for random pairs (g, h) of the span; keeps the pair whose eigenvalues are
   * real and best separated (largest min gap relative to their spread).
   */
  static Split randomPairs(double[][] spans, int k, UniformRandomProvider rng, int pairs) {
    var gauss = ZigguratSampler.NormalizedGaussian.of(rng);
    double bestScore = -1;
    double[] best = null;
    for (int trial = 0; trial < pairs; trial++) {
      double[] cg = new double[spans.length];
      double[] ch = new double[spans.length];
      for (int j = 0; j < spans.length; j++) {
        cg[j] = gauss.sample();
        ch[j] = gauss.sample();
      }
      double[] ug = combine(spans, cg, k);
      double[] uh = combine(spans, ch, k);
      double[] product;
      try {
        // U_g U_h⁻¹ = (U_h⁻¹ U_g)ᵀ for symmetric U_g, U_h.
        product = Matrices.transpose(Matrices.solve(uh, k, ug, k), k, k);
      } catch (ArithmeticException e) {
        continue;
      }
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, false);
      if (!eig.decompose(DMatrixRMaj.wrap(k, k, product))) {
        continue;
      }
      double[] values = new double[k];
      double spread = 0;
      double imaginary = 0;
      boolean complete = true;
      double[] vectors = new double[k * k];
      for (int i = 0; i < k; i++) {
        Complex_F64 ev = eig.getEigenvalue(i);
        values[i] = ev.real;
        imaginary = Math.max(imaginary, Math.abs(ev.imaginary));
        spread = Math.max(spread, Math.abs(ev.real));
        DMatrixRMaj vec = eig.getEigenVector(i);
        if (vec == null) {
          complete = false;
          break;
        }
        for (int r = 0; r < k; r++) {
          vectors[r * k + i] = vec.get(r, 0);
        }
      }
      if (!complete || imaginary > 0 || spread == 0) {
        continue;
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double minGap = Double.POSITIVE_INFINITY;
      for (int i = 1; i < k; i++) {
        minGap = Math.min(minGap, sorted[i] - sorted[i - 1]);
      }
      double score = k == 1 ? 1 : minGap / spread;
      if (score > bestScore) {
        bestScore = score;
        best = vectors;
      }
    }
    if (best == null) {
      throw new RecoveryException("detector-split", Double.NaN, "step 7 failed: no pair of elements of the "
          + "detector span had real, distinct eigenvalues; the sample is too small for this network (try "
          + "more samples, or a smaller k)");
    }
    normalizeColumns(best, k);
    return new Split(best, Method.RANDOM_PAIRS, Double.NaN, 1 - bestScore, 0, BarrierExit.NOT_RUN);
  }
}
