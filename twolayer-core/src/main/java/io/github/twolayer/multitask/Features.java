package io.github.twolayer.multitask;

import io.github.twolayer.model.TwoLayerNet;

/** φ_W(x) = relu(W x + c)/√m (docs/collins-method.md, "Network"), for blocks of samples. */
final class Features {
  private Features() {}

  /** rows×m features of row-major x (rows×d). */
  static double[] of(TwoLayerNet layer, double[] x, int rows) {
    int m = layer.k();
    double[] out = new double[rows * m];
    layer.hidden(x, 0, rows, out);
    double scale = 1 / Math.sqrt(m);
    for (int i = 0; i < out.length; i++) {
      out[i] *= scale;
    }
    return out;
  }
}
