package io.github.twolayer.model;

import io.github.twolayer.linalg.ColumnScales;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-column scales that make an algorithm independent of its data's units (ours): every input
 * column multiplied by {@code sx[j]} and every output column by {@code sy[a]} (1/largest magnitude
 * for the moments, 1/root-mean-square for gradient descent). A network y = A·relu(W x + b) in raw units is
 * W' = W S⁻¹, A' = T A, b' = b in scaled units (S = diag(sx), T = diag(sy)) and back; relu's argument
 * is unchanged, so the map is exact.
 */
public record ColumnScaling(double[] sx, double[] sy) {
  public ColumnScaling {
    sx = sx.clone();
    sy = sy.clone();
  }

  /**
   * The scales for columns whose largest magnitudes (or other measures of size) are {@code maxX},
   * {@code maxY}: 1/size (1 for a column of zeros; the largest finite power of two when 1/size would
   * overflow, below 2^−1024). The scaled samples of x and of D x are then the same numbers up to one
   * rounding each, whatever the positive diagonal D.
   */
  public static ColumnScaling of(double[] maxX, double[] maxY) {
    return new ColumnScaling(ColumnScales.reciprocals(maxX), ColumnScales.reciprocals(maxY));
  }

  /** A raw-units network in scaled units: W' = W S⁻¹, A' = T A. */
  public TwoLayerNet toScaled(TwoLayerNet raw) {
    return transform(raw, false);
  }

  /** A scaled-units network in raw units: W = W' S, A = T⁻¹ A'. */
  public TwoLayerNet mapBack(TwoLayerNet scaled) {
    return transform(scaled, true);
  }

  private TwoLayerNet transform(TwoLayerNet net, boolean back) {
    int d = net.d();
    int k = net.k();
    int l = net.l();
    double[] w = net.W();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < d; j++) {
        w[i * d + j] = back ? w[i * d + j] * sx[j] : w[i * d + j] / sx[j];
      }
    }
    double[] a = net.A();
    if (a != null) {
      for (int r = 0; r < l; r++) {
        for (int i = 0; i < k; i++) {
          a[r * k + i] = back ? a[r * k + i] / sy[r] : a[r * k + i] * sy[r];
        }
      }
    }
    return new TwoLayerNet(d, k, l, w, a, net.bias());
  }

  /** The multipliers, for diagnostics ("x", "y"). */
  public Map<String, Object> report() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", list(sx));
    m.put("y", list(sy));
    return m;
  }

  /** Numbers as a list (printed and written as numbers, unlike an array's toString). */
  public static List<Double> list(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }
}
