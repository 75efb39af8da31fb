package io.github.twolayer.multitask;

import io.github.twolayer.model.TwoLayerNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pretrained shared first layer: φ(x) = relu(W x + c)/√m with W (m×d) and fixed biases c (or none).
 * Stored as a {@link TwoLayerNet} without output layer (l = 0), as the model files do.
 *
 * @param standardization how the input columns were centered and scaled while pretraining (the layer is
 *     mapped back to the data's units, biases included); null when pretraining saw the raw columns
 * @param sampling how the rounds drew their samples ("online", "subsets", "bernoulli"); null when the
 *     caller ran a round loop directly
 * @param warnings plain-language warnings about how the rounds could sample the data (e.g. n₁ or n₂
 *     larger than every task) and about what they achieved ({@link PretrainingDiagnostics})
 * @param measured the run's loss, accuracy and units before and after the rounds; null when the caller ran
 *     a round loop directly
 * @param stopping why the rounds stopped (null for a baseline, which runs none)
 * @param rounds the rounds run
 */
public record Representation(TwoLayerNet network, PretrainingOptions options, int tasks, int rounds, double seconds,
    InputStandardization standardization, String sampling, List<String> warnings,
    PretrainingDiagnostics measured, Stopping stopping) {

  /**
   * Why the rounds stopped: their fixed number, the held-out loss settled, or the cap ({@code --rounds
   * auto}), with the round from which the W step decayed (-1: never) and the held-out losses measured
   * every ten rounds (empty for a fixed number of rounds).
   */
  public record Stopping(String reason, int decayFrom, List<Double> heldOutLoss) {
    public Stopping {
      heldOutLoss = List.copyOf(heldOutLoss);
    }
  }

  public Representation {
    warnings = List.copyOf(warnings);
  }

  /** A representation pretrained on the raw columns by a round loop called directly. */
  public Representation(TwoLayerNet network, PretrainingOptions options, int tasks, int rounds, double seconds) {
    this(network, options, tasks, rounds, seconds, null, null, List.of(), null, null);
  }

  /** This representation with {@code more} warnings after its own. */
  public Representation withWarnings(List<String> more) {
    List<String> all = new ArrayList<>(warnings);
    all.addAll(more);
    return new Representation(network, options, tasks, rounds, seconds, standardization, sampling, all, measured,
        stopping);
  }

  /** This representation with why its rounds stopped. */
  public Representation withStopping(Stopping why) {
    return new Representation(network, options, tasks, rounds, seconds, standardization, sampling, warnings, measured,
        why);
  }

  /** What the input columns were multiplied by after centering (null: raw columns). */
  public double[] inputScales() {
    return standardization == null ? null : standardization.scale();
  }

  /** The features φ(x) = relu(W x + c)/√m of {@code rows} rows of x (row-major rows×d): rows×m. */
  public double[] features(double[] x, int rows) {
    return Features.of(network, x, rows, options.blas().implementation());
  }

  public int width() {
    return network.k();
  }

  public int d() {
    return network.d();
  }

  /**
   * How this layer was made (a model remembers its making): its options' choices ({@link
   * PretrainingOptions#provenance}), the number of tasks, the sampling, the seconds and the BLAS that ran
   * ("blas", and "blas_note" when auto fell back to the Java kernels). Where the data came
   * from, the engine and the program's version are the caller's to add.
   */
  public Map<String, Object> provenance() {
    Map<String, Object> p = options.provenance();
    p.put("tasks", tasks);
    p.put("sampling", sampling != null ? sampling : options.sampling().label);
    p.put("seconds", seconds);
    options.blas().describeIn(p);
    return p;
  }

  /**
   * The warnings, what the run measured ({@link PretrainingDiagnostics#report}: tasks, rows per task, loss
   * and accuracy at the start and the end, inactive and always-active units) and the inputs' means and
   * scales while pretraining (when standardized), for the diagnostics.
   */
  public Map<String, Object> diagnostics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("warnings", warnings);
    if (stopping != null) {
      m.put("rounds_used", rounds);
      m.put("stop_reason", stopping.reason());
      if (!stopping.heldOutLoss().isEmpty()) {
        m.put("held_out_loss_start", stopping.heldOutLoss().get(0));
        m.put("held_out_loss_end", stopping.heldOutLoss().get(stopping.heldOutLoss().size() - 1));
        m.put("step_decay_from_round", stopping.decayFrom());
      }
    }
    if (measured != null) {
      m.putAll(measured.report());
    }
    if (standardization != null) {
      m.putAll(standardization.report());
    }
    return m;
  }
}
