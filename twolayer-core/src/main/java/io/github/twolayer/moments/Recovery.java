package io.github.twolayer.moments;

import io.github.twolayer.model.TwoLayerNet;
import java.util.Map;

/**
 * The result of {@link MomentRecovery#fit}: the recovered network (rows of W normalized to unit norm,
 * their norms moved into A's columns), how it was made, its diagnostics, the seconds of each pass over
 * the samples (in pass order, keyed by the pass's name), and where the samples came from ({@code data}:
 * the engine's description, a file name, "memory" or a cluster's path, for the caller's provenance).
 */
public record Recovery(TwoLayerNet network, RecoveryOptions options, long n, int d, int l, Diagnostics diagnostics,
    double seconds, Map<String, Double> passSeconds, String data) {

  /** The same recovery with the samples described as {@code description} (they were loaded from there). */
  public Recovery describing(String description) {
    return new Recovery(network, options, n, d, l, diagnostics, seconds, passSeconds, description);
  }

  /**
   * How this network was made (a model remembers its making): the options' choices ({@link
   * RecoveryOptions#provenance}), with the k it has (chosen or given), the samples, the seconds and the
   * BLAS that ran ("blas", and "blas_note" when auto fell back to the Java kernels). Where the samples
   * came from and the program's version are the caller's to add.
   */
  public Map<String, Object> provenance() {
    Map<String, Object> p = options.provenance();
    p.put("k", network.k());
    p.put("k_auto", diagnostics.kSelected() != null);
    p.put("n", n);
    p.put("seconds", seconds);
    options.blas().describeIn(p);
    return p;
  }
}
