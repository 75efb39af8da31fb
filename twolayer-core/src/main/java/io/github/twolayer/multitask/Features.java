package io.github.twolayer.multitask;

import io.github.twolayer.model.TwoLayerNet;

/** φ_W(x) = relu(W x + c)/√m (collins2024.md §2), for blocks of samples. */
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

  /** The same layer with every row of W scaled to unit length (biases unchanged). */
  static TwoLayerNet unitRows(TwoLayerNet layer) {
    int d = layer.d();
    double[] w = layer.W();
    for (int i = 0; i < layer.k(); i++) {
      double norm = 0;
      for (int p = 0; p < d; p++) {
        norm += w[i * d + p] * w[i * d + p];
      }
      norm = Math.sqrt(norm);
      if (norm > 0) {
        for (int p = 0; p < d; p++) {
          w[i * d + p] /= norm;
        }
      }
    }
    return new TwoLayerNet(d, layer.k(), 0, w, null, layer.bias());
  }
}
