package io.github.twolayer.sampling;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.SampleGenerator;
import io.github.twolayer.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Planted networks of docs/ge-method.md and samples from them: {@code y = A·relu(W x) + ξ}.
 */
public final class PlantedNetworks {
  private PlantedNetworks() {}

  /**
   * Shape and conditioning of a planted network. More units than outputs (k > l) is allowed: such a
   * network can be sampled and trained by gradient descent, though the method of moments cannot recover
   * it (A then has rank l &lt; k, so the data show at most l units).
   *
   * @param wCondition condition number of W; NaN (the default) draws standard Gaussian rows
   * @param aCondition condition number of A = U diag(1 … 1/aCondition) Vᵀ (default 2)
   */
  public record Shape(int d, int k, int l, double wCondition, double aCondition) {
    public Shape {
      if (d <= 0 || k <= 0 || l <= 0) {
        throw new IllegalArgumentException("d = " + d + ", k = " + k + ", l = " + l + " must all be positive");
      }
      if (k > d) {
        throw new IllegalArgumentException("k = " + k + " exceeds d = " + d + ": W (k×d) needs full row rank; "
            + "choose k ≤ d");
      }
      if (!Double.isNaN(wCondition) && !(wCondition >= 1)) {
        throw new IllegalArgumentException("--cond = " + wCondition + " must be at least 1");
      }
      if (!(aCondition >= 1)) {
        throw new IllegalArgumentException("condition number of A = " + aCondition + " must be at least 1");
      }
    }

    public static Shape of(int d, int k, int l) {
      return new Shape(d, k, l, Double.NaN, 2);
    }

    public Shape withWCondition(double c) {
      return new Shape(d, k, l, c, aCondition);
    }

    public Shape withACondition(double c) {
      return new Shape(d, k, l, wCondition, c);
    }
  }

  /** Draws W and A. */
  public static TwoLayerNet draw(Shape shape, UniformRandomProvider rng) {
    int d = shape.d();
    int k = shape.k();
    int l = shape.l();
    double[] w;
    if (Double.isNaN(shape.wCondition())) {
      ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
      w = new double[k * d];
      for (int i = 0; i < w.length; i++) {
        w[i] = g.sample();
      }
    } else {
      // Rows of unit norm on average: W = U diag(σ) Vᵀ scaled so that ‖W‖_F² = k.
      w = conditioned(rng, k, d, shape.wCondition());
    }
    double[] a = conditioned(rng, l, k, shape.aCondition());
    return TwoLayerNet.of(d, k, l, w, a);
  }

  /** rows×cols (rows ≥ cols or rows ≤ cols) U diag(σ) Vᵀ, σ log-spaced from 1 down to 1/condition. */
  static double[] conditioned(UniformRandomProvider rng, int rows, int cols, double condition) {
    int r = Math.min(rows, cols);
    double[] u = Matrices.randomOrthogonal(rng, rows, r);
    double[] v = Matrices.randomOrthogonal(rng, cols, r);
    double[] us = new double[rows * r];
    double frob = 0;
    for (int j = 0; j < r; j++) {
      double sigma = r == 1 ? 1 : Math.pow(condition, -(double) j / (r - 1));
      frob += sigma * sigma;
      for (int i = 0; i < rows; i++) {
        us[i * r + j] = u[i * r + j] * sigma;
      }
    }
    double[] m = Matrices.multiply(us, rows, r, Matrices.transpose(v, cols, r), cols);
    double scale = Math.sqrt(Math.min(rows, cols) / frob);
    for (int i = 0; i < m.length; i++) {
      m[i] *= scale;
    }
    return m;
  }

  /**
   * n samples of {@code y = A·relu(W x) + ξ}, x from {@code inputs}, ξ Gaussian with standard deviation
   * {@code relativeNoise} × the standard deviation of the noiseless y (pooled over output coordinates,
   * measured on this very sample); the outputs computed by the library's default BLAS ({@link
   * Blas.Choice#byDefault}).
   */
  public static Dataset sample(TwoLayerNet net, SymmetricDistribution inputs, int n, double relativeNoise,
      UniformRandomProvider rng) {
    return sample(net, inputs, n, relativeNoise, rng, Blas.Choice.byDefault());
  }

  /** {@link #sample(TwoLayerNet, SymmetricDistribution, int, double, UniformRandomProvider)}, the outputs by {@code blas}. */
  public static Dataset sample(TwoLayerNet net, SymmetricDistribution inputs, int n, double relativeNoise,
      UniformRandomProvider rng, Blas.Choice blas) {
    if (inputs.d() != net.d()) {
      throw new IllegalArgumentException("inputs have d = " + inputs.d() + " but the network expects " + net.d());
    }
    if (n <= 0) {
      throw new IllegalArgumentException("n = " + n + " must be positive");
    }
    if (!(relativeNoise >= 0) || Double.isInfinite(relativeNoise)) {
      throw new IllegalArgumentException("--noise = " + relativeNoise + " must be a finite number ≥ 0");
    }
    if ((long) n * Math.max(net.d(), net.l()) > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("n = " + n + " is too large to hold in memory at d = " + net.d()
          + "; generate several files or a smaller n");
    }
    double[] x = inputs.sample(rng, n);
    double[] y = net.predict(x, 0, n, blas.implementation());
    if (relativeNoise > 0) {
      double sigma = relativeNoise * pooledStd(y, net.l());
      ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
      for (int i = 0; i < y.length; i++) {
        y[i] += sigma * g.sample();
      }
    }
    return new Dataset(n, net.d(), net.l(), x, y);
  }

  /** sqrt of the mean over output coordinates of each coordinate's variance. */
  static double pooledStd(double[] y, int l) {
    int n = y.length / l;
    double total = 0;
    for (int a = 0; a < l; a++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += y[i * l + a];
      }
      mean /= n;
      double var = 0;
      for (int i = 0; i < n; i++) {
        double e = y[i * l + a] - mean;
        var += e * e;
      }
      total += var / n;
    }
    return Math.sqrt(total / l);
  }

  /**
   * Samples of {@code truth} made partition by partition (on a cluster's workers, see
   * {@link io.github.twolayer.pass.EngineFactory#generate}): partition p draws from the generator
   * seeded by (seed, p), the law's own parameters from (seed); the noise is relative to each
   * partition's output scale.
   */
  public static SampleGenerator generator(TwoLayerNet truth, String distribution,
      double relativeNoise, long seed) {
    Distributions.byName(distribution, truth.d(), Distributions.Parameters.defaults(), Seeds.generator(Seeds.Stream.INPUT_LAW, seed));
    return new Generator(truth, distribution, relativeNoise, seed);
  }

  private record Generator(TwoLayerNet truth, String distribution, double relativeNoise, long seed)
      implements SampleGenerator {
    @Override
    public int d() {
      return truth.d();
    }

    @Override
    public int l() {
      return truth.l();
    }

    @Override
    public RowSource rows(int partition, int rows) {
      SymmetricDistribution law = Distributions.byName(distribution, truth.d(), Distributions.Parameters.defaults(),
          Seeds.generator(Seeds.Stream.INPUT_LAW, seed));
      return sample(truth, law, rows, relativeNoise, Seeds.generator(Seeds.Stream.PARTITION, seed, partition));
    }
  }
}
