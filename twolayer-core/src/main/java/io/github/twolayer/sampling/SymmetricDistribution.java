package io.github.twolayer.sampling;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * A law of inputs x ∈ R^d with x and −x equally likely: the only assumption of Ge et al. (2019) on
 * the inputs. Implementations hold their fixed parameters (a covariance, mixture means) and draw
 * samples from an explicitly passed generator.
 */
public interface SymmetricDistribution {
  /** The name used by {@code --dist}. */
  String name();

  /** Dimension d of a sample. */
  int d();

  /** Fills {@code rows} samples into {@code out} from {@code offset}, row-major (d per row). */
  void sample(UniformRandomProvider rng, double[] out, int offset, int rows);

  /** {@code rows} fresh samples, row-major. */
  default double[] sample(UniformRandomProvider rng, int rows) {
    double[] out = new double[Math.multiplyExact(rows, d())];
    sample(rng, out, 0, rows);
    return out;
  }
}
