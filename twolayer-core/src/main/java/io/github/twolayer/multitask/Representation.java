package io.github.twolayer.multitask;

import io.github.twolayer.model.TwoLayerNet;

/**
 * A pretrained shared first layer: φ(x) = relu(W x + c)/√m with W (m×d) and fixed biases c (or none).
 * Stored as a {@link TwoLayerNet} without output layer (l = 0), as CONTRACT.md's model files do.
 */
public record Representation(TwoLayerNet network, PretrainingOptions options, int tasks, int rounds, double seconds) {

  public int width() {
    return network.k();
  }

  public int d() {
    return network.d();
  }
}
