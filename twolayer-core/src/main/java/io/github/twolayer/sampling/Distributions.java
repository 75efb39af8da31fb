package io.github.twolayer.sampling;

import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.random.Seeds;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The built-in symmetric input laws, by their {@code --dist} names. Parameters that are themselves
 * random (the eigenbasis of a covariance, the mixture mean) are drawn once, at construction, from the
 * generator passed in, so a seed fixes the whole law.
 */
public final class Distributions {
  private Distributions() {}

  /** The names accepted by {@link #byName}. */
  public static final List<String> NAMES =
      List.of("gaussian", "gaussian-cov", "cube", "rademacher", "mixture", "student-t");

  /** Parameters of the laws that have them; unused ones are ignored. */
  public record Parameters(double covarianceCondition, double degreesOfFreedom, double mixtureSeparation) {
    public Parameters {
      if (!(covarianceCondition >= 1)) {
        throw new IllegalArgumentException("--cov-cond = " + covarianceCondition + " must be at least 1");
      }
      if (!(degreesOfFreedom > 4)) {
        throw new IllegalArgumentException("--df = " + degreesOfFreedom
            + " must exceed 4: the method of moments needs a finite 4th moment of x");
      }
      if (!(mixtureSeparation >= 0) || Double.isInfinite(mixtureSeparation)) {
        throw new IllegalArgumentException("mixture separation = " + mixtureSeparation + " must be finite and ≥ 0");
      }
    }

    /** Covariance condition number 10, Student-t with 5 degrees of freedom, mixture means ±1.5·unit. */
    public static Parameters defaults() {
      return new Parameters(10, 5, 1.5);
    }

    public Parameters withCovarianceCondition(double c) {
      return new Parameters(c, degreesOfFreedom, mixtureSeparation);
    }

    public Parameters withDegreesOfFreedom(double df) {
      return new Parameters(covarianceCondition, df, mixtureSeparation);
    }
  }

  /** The law called {@code name} in dimension d. */
  public static SymmetricDistribution byName(String name, int d, Parameters p, UniformRandomProvider rng) {
    if (d <= 0) {
      throw new IllegalArgumentException("d = " + d + " must be positive");
    }
    return switch (name) {
      case "gaussian" -> gaussian(d);
      case "gaussian-cov" -> gaussianWithCovariance(d, p.covarianceCondition(), rng);
      case "cube" -> cube(d);
      case "rademacher" -> rademacher(d);
      case "mixture" -> mixture(d, p.mixtureSeparation(), rng);
      case "student-t" -> studentT(d, p.degreesOfFreedom());
      default -> throw new IllegalArgumentException("unknown distribution '" + name + "': use one of "
          + String.join(", ", NAMES));
    };
  }

  /** Standard Gaussian N(0, I). */
  public static SymmetricDistribution gaussian(int d) {
    return new Simple("gaussian", d) {
      @Override
      public void sample(UniformRandomProvider rng, double[] out, int offset, int rows) {
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        for (int i = 0; i < rows * d; i++) {
          out[offset + i] = g.sample();
        }
      }
    };
  }

  /**
   * N(0, Σ) with Σ = U diag(λ) Uᵀ, U a random rotation and λ log-spaced from 1 down to 1/condition:
   * an anisotropic law whose condition number is exactly {@code condition}.
   */
  public static SymmetricDistribution gaussianWithCovariance(int d, double condition, UniformRandomProvider rng) {
    double[] u = Matrices.randomOrthogonal(rng, d, d);
    double[] root = new double[d * d]; // U diag(sqrt λ), so x = root · g
    for (int j = 0; j < d; j++) {
      double lambda = d == 1 ? 1 : Math.pow(condition, -(double) j / (d - 1));
      for (int i = 0; i < d; i++) {
        root[i * d + j] = u[i * d + j] * Math.sqrt(lambda);
      }
    }
    return new Simple("gaussian-cov", d) {
      @Override
      public void sample(UniformRandomProvider r, double[] out, int offset, int rows) {
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(r);
        double[] z = new double[d];
        for (int row = 0; row < rows; row++) {
          for (int j = 0; j < d; j++) {
            z[j] = g.sample();
          }
          for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
              s += root[i * d + j] * z[j];
            }
            out[offset + row * d + i] = s;
          }
        }
      }
    };
  }

  /** Uniform on the cube [−1, 1]^d. */
  public static SymmetricDistribution cube(int d) {
    return new Simple("cube", d) {
      @Override
      public void sample(UniformRandomProvider rng, double[] out, int offset, int rows) {
        for (int i = 0; i < rows * d; i++) {
          out[offset + i] = 2 * rng.nextDouble() - 1;
        }
      }
    };
  }

  /** Independent ±1 coordinates. */
  public static SymmetricDistribution rademacher(int d) {
    return new Simple("rademacher", d) {
      @Override
      public void sample(UniformRandomProvider rng, double[] out, int offset, int rows) {
        for (int i = 0; i < rows * d; i++) {
          out[offset + i] = rng.nextBoolean() ? 1.0 : -1.0;
        }
      }
    };
  }

  /**
   * ½ N(μ, D²) + ½ N(−μ, D²): a symmetric, bimodal, anisotropic law. μ is a random direction of norm
   * {@code separation}; D is diagonal with entries log-spaced in [0.5, 1] in a random order.
   */
  public static SymmetricDistribution mixture(int d, double separation, UniformRandomProvider rng) {
    ContinuousSampler g0 = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] mu = new double[d];
    double norm = 0;
    for (int i = 0; i < d; i++) {
      mu[i] = g0.sample();
      norm += mu[i] * mu[i];
    }
    double scale = separation / Math.sqrt(norm);
    double[] sd = new double[d];
    for (int i = 0; i < d; i++) {
      mu[i] *= scale;
      sd[i] = d == 1 ? 1 : Math.pow(0.5, (double) i / (d - 1));
    }
    Seeds.shuffle(sd, rng);
    return new Simple("mixture", d) {
      @Override
      public void sample(UniformRandomProvider r, double[] out, int offset, int rows) {
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(r);
        for (int row = 0; row < rows; row++) {
          double sign = r.nextBoolean() ? 1 : -1;
          for (int i = 0; i < d; i++) {
            out[offset + row * d + i] = sign * mu[i] + sd[i] * g.sample();
          }
        }
      }
    };
  }

  /** Independent Student-t coordinates with {@code df} degrees of freedom (heavy tails). */
  public static SymmetricDistribution studentT(int d, double df) {
    return new Simple("student-t", d) {
      @Override
      public void sample(UniformRandomProvider rng, double[] out, int offset, int rows) {
        ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        // chi-square(df) = Gamma(df/2, scale 2)
        ContinuousSampler chi2 = AhrensDieterMarsagliaTsangGammaSampler.of(rng, df / 2, 2);
        for (int i = 0; i < rows * d; i++) {
          out[offset + i] = g.sample() / Math.sqrt(chi2.sample() / df);
        }
      }
    };
  }

  /**
   * The rows (n×d, row-major) minus their column means (a copy): data to symmetrize are centered first,
   * or the symmetrized law is two clusters ±(mean + spread) on which every unit switches with the sign.
   */
  public static double[] centered(double[] rows, int n, int d) {
    double[] mean = new double[d];
    for (int i = 0; i < rows.length; i++) {
      mean[i % d] += rows[i] / n;
    }
    double[] out = rows.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] -= mean[i % d];
    }
    return out;
  }

  /**
   * The symmetrization of a dataset: a uniformly chosen row, negated with probability ½. Every row
   * is used as itself and as its negation, which makes any data a valid input law for the method.
   */
  public static SymmetricDistribution symmetrized(double[] rows, int d) {
    if (rows.length == 0 || rows.length % d != 0) {
      throw new IllegalArgumentException("rows hold " + rows.length + " numbers, not a positive multiple of d = " + d);
    }
    int n = rows.length / d;
    double[] data = rows.clone();
    return new Simple("symmetrized", d) {
      @Override
      public void sample(UniformRandomProvider rng, double[] out, int offset, int count) {
        for (int row = 0; row < count; row++) {
          int pick = rng.nextInt(n);
          double sign = rng.nextBoolean() ? 1 : -1;
          for (int i = 0; i < d; i++) {
            out[offset + row * d + i] = sign * data[pick * d + i];
          }
        }
      }
    };
  }

  private abstract static class Simple implements SymmetricDistribution {
    private final String name;
    final int d;

    Simple(String name, int d) {
      this.name = name;
      this.d = d;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int d() {
      return d;
    }

    @Override
    public String toString() {
      return name + "(d=" + d + ")";
    }
  }
}
