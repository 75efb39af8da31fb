package io.github.twolayer.metrics;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.sampling.SymmetricDistribution;
import org.apache.commons.rng.UniformRandomProvider;

/** Mean squared prediction errors (averaged over samples and output coordinates). */
public final class PredictionError {
  private PredictionError() {}

  /** MSE of the model's predictions against the outputs Y of {@code data} (refusing NaN and ±∞ in them). */
  public static double mse(TwoLayerNet model, RowSource data) {
    return mse(model, data, Blas.Choice.byDefault().implementation());
  }

  /** {@link #mse(TwoLayerNet, RowSource)} with the predictions' products on {@code blas}. */
  public static double mse(TwoLayerNet model, RowSource data, Blas blas) {
    if (model.d() != data.d() || model.l() != data.l()) {
      throw new IllegalArgumentException("the model maps d = " + model.d() + " inputs to l = " + model.l()
          + " outputs but the data have d = " + data.d() + ", l = " + data.l() + "; evaluate on data of this model");
    }
    double[] sum = new double[1];
    int l = data.l();
    int d = data.d();
    data.scan(4096, b -> {
      Finite.require(b, d, l);
      double[] pred = model.predict(b.x(), b.xOffset(), b.rows(), blas);
      for (int i = 0; i < b.rows() * l; i++) {
        double e = pred[i] - b.y()[b.yOffset() + i];
        sum[0] += e * e;
      }
    });
    return sum[0] / ((double) data.n() * l);
  }

  /**
   * Test MSE of {@code estimate} against the noiseless {@code truth} on n fresh inputs
   * (docs/ge-method.md), both predictions' products on {@code blas}.
   */
  public static double mseAgainstTruth(TwoLayerNet truth, TwoLayerNet estimate, SymmetricDistribution inputs,
      int n, UniformRandomProvider rng, Blas blas) {
    double[] x = inputs.sample(rng, n);
    double[] a = truth.predict(x, 0, n, blas);
    double[] b = estimate.predict(x, 0, n, blas);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s / a.length;
  }
}
