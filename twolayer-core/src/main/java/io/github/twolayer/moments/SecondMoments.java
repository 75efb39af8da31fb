package io.github.twolayer.moments;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Elementwise;
import io.github.twolayer.pass.Accumulator;

/**
 * Pass 1 (docs/ge-method.md, steps 1–2): the sums Σ xxᵀ, Σ yxᵀ and Σ y, and, for the symmetry check, the odd
 * moments Σ x and Σ x³ per coordinate with Σ x⁶ for their standard errors. Also rejects non-finite
 * values, naming the row and column. A mergeable {@link Accumulator}.
 */
final class SecondMoments implements Accumulator<SecondMoments> {
  private static final long serialVersionUID = 1L;
  private final int d;
  private final int l;
  private final boolean symmetry;
  private final Blas.Choice blas; // resolved where the blocks are summed (a cluster's worker, too)
  private long n;
  private final double[] xx;
  private final double[] yx;
  private final double[] sumY;
  private final double[] sumY2;
  private final double[] sumX;
  private final double[] sumX3;
  private final double[] sumX6;
  final double[] maxX; // largest |x_p|, |y_a| per column: the scales of Standardization
  final double[] maxY;
  private boolean overflow; // a sum overflowed on finite values (magnitudes beyond ~1e154)

  /**
   * A zero accumulator whose products run on {@code blas}; with {@code symmetry} it also sums the odd
   * moments of the symmetry check.
   */
  SecondMoments(int d, int l, boolean symmetry, Blas.Choice blas) {
    this.d = d;
    this.l = l;
    this.symmetry = symmetry;
    this.blas = blas;
    this.xx = new double[d * d];
    this.yx = new double[l * d];
    this.sumY = new double[l];
    this.sumY2 = new double[l];
    this.sumX = new double[symmetry ? d : 0];
    this.sumX3 = new double[symmetry ? d : 0];
    this.sumX6 = new double[symmetry ? d : 0];
    this.maxX = new double[d];
    this.maxY = new double[l];
  }

  @Override
  public SecondMoments empty() {
    return new SecondMoments(d, l, symmetry, blas);
  }

  @Override
  public long count() {
    return n;
  }

  @Override
  public void accept(RowBlock b) {
    // Upper triangle only (half the work); combine() and secondMoment() read nothing else.
    blas.implementation().secondMomentSums(b.rows(), b.xBuffer(), d, b.yBuffer(), l, xx, yx, sumY, sumY2, maxX, maxY);
    // A NaN or ±∞ anywhere in the block makes a diagonal entry Σx_p² or a sum Σy_a non-finite: checking
    // those after the products costs nothing per value; only then is the block searched for the culprit.
    // Finite values whose squares overflow are recorded: the recovery then scales before summing.
    if (!overflow && !finiteSums()) {
      Finite.require(b, d, l);
      overflow = true;
    }
    if (symmetry) {
      Elementwise.foldOddMoments(b.x(), b.xOffset(), b.rows(), d, sumX, sumX3, sumX6);
    }
    n += b.rows();
  }

  /** Whether a sum overflowed on finite values (the recovery then scales the samples first). */
  boolean overflowed() {
    return overflow;
  }

  /** The refusal of raw sums that overflowed, for runs without standardization. */
  IllegalArgumentException overflowError() {
    return new IllegalArgumentException("the values are so large that their squares overflow (above about 1e154 "
        + "in magnitude); rescale the columns to ordinary magnitudes, or drop --no-standardize");
  }

  @Override
  public void combine(SecondMoments o) {
    for (int p = 0; p < d; p++) {
      maxX[p] = Math.max(maxX[p], o.maxX[p]);
    }
    for (int a = 0; a < l; a++) {
      maxY[a] = Math.max(maxY[a], o.maxY[a]);
    }
    overflow |= o.overflow;
    add(xx, o.xx);
    add(yx, o.yx);
    add(sumY, o.sumY);
    add(sumY2, o.sumY2);
    add(sumX, o.sumX);
    add(sumX3, o.sumX3);
    add(sumX6, o.sumX6);
    n += o.n;
  }

  private boolean finiteSums() {
    double s = 0;
    for (int p = 0; p < d; p++) {
      s += xx[p * d + p] * 0;
    }
    for (int a = 0; a < l; a++) {
      s += sumY[a] * 0 + sumY2[a] * 0;
    }
    return s == 0;
  }

  static void add(double[] into, double[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  /**
   * The sums as if every sample had been scaled first (x ⊙ sx, y ⊙ sy): Σxxᵀ, Σyxᵀ, Σy, Σy² scaled
   * entry by entry. Not the odd moments of the symmetry check (runs with it scale the samples instead).
   */
  SecondMoments rescaled(double[] sx, double[] sy) {
    SecondMoments out = new SecondMoments(d, l, false, blas);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        out.xx[i * d + j] = xx[i * d + j] * sx[i] * sx[j];
      }
    }
    for (int a = 0; a < l; a++) {
      for (int j = 0; j < d; j++) {
        out.yx[a * d + j] = yx[a * d + j] * sy[a] * sx[j];
      }
      out.sumY[a] = sumY[a] * sy[a];
      out.sumY2[a] = sumY2[a] * sy[a] * sy[a];
    }
    out.n = n;
    return out;
  }

  /** Σ x_p² per input column (the diagonal of the sums). */
  double[] sumSquaresX() {
    double[] s = new double[d];
    for (int p = 0; p < d; p++) {
      s[p] = xx[p * d + p];
    }
    return s;
  }

  /** Σ y_a² per output column. */
  double[] sumSquaresY() {
    return sumY2.clone();
  }

  /** E[xxᵀ], d×d, mirrored from the upper triangle that the passes sum. */
  double[] secondMoment() {
    double[] m = new double[d * d];
    for (int j = 0; j < d; j++) {
      for (int i = j; i < d; i++) {
        m[j * d + i] = xx[j * d + i] / n;
        m[i * d + j] = m[j * d + i];
      }
    }
    return m;
  }

  /** E[y xᵀ], l×d. */
  double[] crossMoment() {
    return scaled(yx, 1.0 / n);
  }

  double[] meanY() {
    return scaled(sumY, 1.0 / n);
  }

  /** sqrt of the mean over output coordinates of each coordinate's variance. */
  double pooledStdY() {
    double total = 0;
    for (int a = 0; a < l; a++) {
      double mean = sumY[a] / n;
      total += Math.max(0, sumY2[a] / n - mean * mean);
    }
    return Math.sqrt(total / l);
  }

  /**
   * ‖E[y]‖ against its sampling noise: the norm of the mean of the outputs over the norm of its standard
   * errors, sqrt(Σ_a var(y_a)/n). About 1 when E[y] = 0.
   */
  double meanSignalToNoise() {
    double mean2 = 0;
    double variance = 0;
    for (int a = 0; a < l; a++) {
      double mean = sumY[a] / n;
      mean2 += mean * mean;
      variance += Math.max(0, sumY2[a] / n - mean * mean);
    }
    return Math.sqrt(mean2 / (variance / n));
  }

  long n() {
    return n;
  }

  private static double[] scaled(double[] a, double s) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * s;
    }
    return out;
  }

  /**
   * |z-score| above which an odd moment is taken as evidence of asymmetry: a false alarm has probability
   * below 1e-8 per coordinate (two-sided normal tail at 6σ is 2e-9), so even d = 1000 gives ~1e-5.
   */
  static final double SYMMETRY_REFUSAL_Z = 6;

  /**
   * Tests that the odd moments E[x_p] and E[x_p³] vanish, as they must under x ~ −x. Returns the largest
   * |z-score| (the same in any units); throws when it exceeds {@link #SYMMETRY_REFUSAL_Z}, quoting the
   * moment in the data's own units: {@code scales} are the multipliers the sums were taken under (null:
   * the raw columns).
   */
  double checkSymmetry(double[] scales) {
    double worst = 0;
    String where = "";
    for (int p = 0; p < d; p++) {
      double mean = sumX[p] / n;
      double var = xx[p * d + p] / n - mean * mean;
      double z1 = var > 0 ? mean / Math.sqrt(var / n) : (mean == 0 ? 0 : Double.POSITIVE_INFINITY);
      double mean3 = sumX3[p] / n;
      double var3 = sumX6[p] / n - mean3 * mean3;
      double z3 = var3 > 0 ? mean3 / Math.sqrt(var3 / n) : (mean3 == 0 ? 0 : Double.POSITIVE_INFINITY);
      double unit = scales == null ? 1 : scales[p];
      if (Math.abs(z1) > worst) {
        worst = Math.abs(z1);
        where = String.format("E[x%d] = %.4g", p, mean / unit);
      }
      if (Math.abs(z3) > worst) {
        worst = Math.abs(z3);
        where = String.format("E[x%d³] = %.4g", p, mean3 / (unit * unit * unit));
      }
    }
    if (worst > SYMMETRY_REFUSAL_Z) {
      throw new IllegalArgumentException(String.format("the inputs are not symmetric: %s is %.1f standard errors "
          + "from 0, but x and −x must be equally likely; use symmetric data (e.g. generate with --dist), or "
          + "drop --check-symmetry to recover anyway", where, worst));
    }
    return worst;
  }
}
