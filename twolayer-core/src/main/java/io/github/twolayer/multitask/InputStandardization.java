package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.ColumnMoments;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs centered and scaled per column, x' = (x − μ) ⊙ s with μ the column means and s = 1/(root-mean-square
 * of x − μ): the law N(0, I) that multi-task pretraining's initialization and step sizes are calibrated for,
 * whatever the data's units and offsets (pixel values 0..16 put most first-layer units where they never fire).
 * A layer learned on x' maps back exactly: W' x' + c = (W' diag s) x + (c − W' diag(s) μ), so
 * {@link #mapBack} stores W = W' diag s and the bias c − W μ, and the representation applies to raw inputs.
 *
 * <p>A constant column (a pixel that is 0 in every image) gets scale 0, not 1: pretraining sees it as 0 and
 * learns nothing about it, and scale 0 maps its column of W back to 0, so that the layer ignores the column
 * on new data too. With scale 1 the column would keep its random initial weights, in the column's raw units,
 * and a new row with a value there would move every unit by an amount nothing calibrated. Scale 0 also
 * makes the constant column's x' exactly 0 whatever the rounding of its mean. The constant columns are
 * reported ({@link #constantColumns}).
 *
 * @param mean μ, per input column
 * @param scale s, per input column (0 for a constant column)
 * @param unit per column, the power of two at or below its largest magnitude: the units in which
 *     Bernoulli sampling hashes a row ({@link #hashKey}) — exact on every engine, unlike μ and s, whose
 *     sums are added in an engine's own order
 */
public record InputStandardization(double[] mean, double[] scale, double[] unit) implements Serializable {
  private static final long serialVersionUID = 1L;

  public InputStandardization {
    if (mean.length != scale.length || unit.length != scale.length) {
      throw new IllegalArgumentException("means, scales and units for " + mean.length + ", " + scale.length + " and "
          + unit.length + " columns");
    }
    mean = mean.clone();
    scale = scale.clone();
    unit = unit.clone();
  }

  /** Mean 0 and root-mean-square 1 per column of these moments (constant columns: scale 0). */
  public static InputStandardization of(ColumnMoments.Moments moments) {
    int d = moments.mean().length;
    double[] s = new double[d];
    double[] u = new double[d];
    for (int c = 0; c < d; c++) {
      double rms = moments.rms()[c];
      // The spread of a non-constant column is at least one subnormal step; its reciprocal can overflow
      // (below 2^-1024), and is then the largest finite power of two.
      s[c] = moments.constant(c) || !(rms > 0) ? 0 : Math.min(1 / rms, Math.scalb(1.0, 1023));
      u[c] = moments.unit(c);
    }
    return new InputStandardization(moments.mean(), s, u);
  }

  /** The standardization of an in-memory array's columns (n×d, row-major). */
  public static InputStandardization of(double[] x, int d) {
    return of(ColumnMoments.of(x, d));
  }

  public int d() {
    return mean.length;
  }

  /** x' = (x − μ) ⊙ s of one row, {@code x[off..off+d)} into {@code out[outOff..outOff+d)}. */
  public void standardize(double[] x, int off, double[] out, int outOff) {
    for (int c = 0; c < mean.length; c++) {
      out[outOff + c] = (x[off + c] - mean[c]) * scale[c];
    }
  }

  /**
   * The row in the units Bernoulli sampling hashes, x ⊘ u into {@code out} (from 0): a division by powers of
   * two, exact, so the row's sample sets depend on its raw values alone (not on the rounding of μ and s),
   * and are the same for the data in any power-of-two units.
   */
  public void hashKey(double[] x, int off, double[] out) {
    for (int c = 0; c < unit.length; c++) {
      out[c] = x[off + c] / unit[c];
    }
  }

  /** The tasks with standardized inputs (labels and task ids unchanged). */
  public MultiTaskDataset apply(MultiTaskDataset data) {
    int d = data.d();
    double[] x = data.x();
    double[] xs = new double[x.length];
    for (int r = 0; r < data.n(); r++) {
      standardize(x, r * d, xs, r * d);
    }
    return new MultiTaskDataset(data.n(), d, xs, data.y(), data.task());
  }

  /**
   * A layer learned on standardized inputs, in raw units: W = W' diag s and bias c − W μ (c = 0 for a layer
   * without biases, which then gains the bias −W μ: centering is part of the map). Its A, if any, is kept.
   */
  public TwoLayerNet mapBack(TwoLayerNet standardized) {
    int d = standardized.d();
    int k = standardized.k();
    if (d != mean.length) {
      throw new IllegalArgumentException("a layer of d = " + d + " inputs for a standardization of " + mean.length
          + " columns");
    }
    double[] w = standardized.W();
    double[] c = standardized.bias();
    double[] bias = new double[k];
    for (int j = 0; j < k; j++) {
      double shift = 0;
      for (int p = 0; p < d; p++) {
        w[j * d + p] *= scale[p];
        shift += w[j * d + p] * mean[p];
      }
      bias[j] = (c == null ? 0 : c[j]) - shift;
    }
    return new TwoLayerNet(d, k, standardized.l(), w, standardized.A(), bias);
  }

  /** The columns that held one value only (scale 0: the layer ignores them). */
  public List<Integer> constantColumns() {
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c < scale.length; c++) {
      if (scale[c] == 0) {
        out.add(c);
      }
    }
    return out;
  }

  /** The means, scales and constant columns, for diagnostics ({"x": [...]} as other column scales). */
  public Map<String, Object> report() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("column_means", Map.of("x", ColumnScaling.list(mean)));
    m.put("column_scales", Map.of("x", ColumnScaling.list(scale)));
    m.put("constant_columns", constantColumns());
    return m;
  }
}
