package io.github.twolayer.experiments;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * n samples of a teacher y = A·relu(W x) (+ noise) on the symmetrized law of a data set's rows, made
 * block by block as a pass reads them: a row drawn with replacement, given a random sign, as
 * {@code generate planted --inputs --symmetrize} does. The law has only 2N points, so each point's
 * outputs are computed once; every pass restarts the same generator, so every pass reads the same
 * samples whatever its block size, and n = 10⁶ samples of d = 61 take no memory beyond a block.
 */
final class SymmetrizedSamples implements RowSource {
  private final double[] rows;
  private final int count;
  private final int d;
  private final int l;
  private final long n;
  private final double[] yPlus;
  private final double[] yMinus;
  private final double noiseStd;
  private final long[] key;

  /**
   * @param rows the data set's rows (count×d, row-major), centered by the caller when it wants them so
   * @param relativeNoise the noise's standard deviation over that of the noiseless y (pooled over
   *     outputs, under the law itself)
   * @param blas where the teacher's outputs are computed
   * @param key the samples' random stream ({@link Seeds.Stream#EXPERIMENT_RUN})
   */
  SymmetrizedSamples(double[] rows, int d, TwoLayerNet teacher, long n, double relativeNoise, Blas.Choice blas,
      long... key) {
    if (teacher.d() != d || rows.length % d != 0) {
      throw new IllegalArgumentException("the teacher takes d = " + teacher.d() + " inputs but the rows have d = " + d);
    }
    this.rows = rows.clone();
    this.count = rows.length / d;
    this.d = d;
    this.l = teacher.l();
    this.n = n;
    this.yPlus = teacher.predict(rows, 0, count, blas.implementation());
    double[] negated = rows.clone();
    for (int i = 0; i < negated.length; i++) {
      negated[i] = -negated[i];
    }
    this.yMinus = teacher.predict(negated, 0, count, blas.implementation());
    this.noiseStd = relativeNoise * pooledStd(yPlus, yMinus, l);
    this.key = key.clone();
  }

  /** The noiseless outputs' standard deviation under the law (its 2N points equally likely), pooled over outputs. */
  static double pooledStd(double[] yPlus, double[] yMinus, int l) {
    int count = yPlus.length / l;
    double total = 0;
    for (int a = 0; a < l; a++) {
      double mean = 0;
      for (int i = 0; i < count; i++) {
        mean += (yPlus[i * l + a] + yMinus[i * l + a]) / (2.0 * count);
      }
      double var = 0;
      for (int i = 0; i < count; i++) {
        double e = yPlus[i * l + a] - mean;
        double f = yMinus[i * l + a] - mean;
        var += (e * e + f * f) / (2.0 * count);
      }
      total += var;
    }
    return Math.sqrt(total / l);
  }

  @Override
  public int d() {
    return d;
  }

  @Override
  public int l() {
    return l;
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public String description() {
    return "symmetrized rows (" + count + " rows, n = " + n + ")";
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) {
    UniformRandomProvider rng = Seeds.generator(Seeds.Stream.EXPERIMENT_RUN, key);
    ContinuousSampler noise = ZigguratSampler.NormalizedGaussian.of(rng);
    int block = (int) Math.min(maxRows, n);
    double[] x = new double[block * d];
    double[] y = new double[block * l];
    for (long first = 0; first < n; first += block) {
      int m = (int) Math.min(block, n - first);
      for (int i = 0; i < m; i++) {
        int pick = rng.nextInt(count);
        boolean positive = rng.nextBoolean();
        double sign = positive ? 1 : -1;
        for (int p = 0; p < d; p++) {
          x[i * d + p] = sign * rows[pick * d + p];
        }
        double[] from = positive ? yPlus : yMinus;
        for (int a = 0; a < l; a++) {
          y[i * l + a] = from[pick * l + a] + (noiseStd > 0 ? noiseStd * noise.sample() : 0);
        }
      }
      consumer.accept(new RowBlock(first, m, x, 0, y, 0));
    }
  }
}
