package io.github.twolayer.train;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.progress.Progress;
import java.util.Map;

/**
 * Spectral + fine-tune (experiment E4, docs/ge-method.md: the product's combination of the two): the method-of-moments
 * estimate, then gradient descent on the squared loss from it — the spectral estimate lands in the basin
 * of the planted network, and L-BFGS takes it to the least-squares level. {@code recover --refine} and
 * {@code train --init spectral} are this call.
 */
public final class SpectralFineTune {
  private SpectralFineTune() {}

  /** The spectral estimate and the training that started from it. */
  public record Result(Recovery spectral, GradientDescent.Trained tuned) {
    /** The fine-tuned network. */
    public TwoLayerNet network() {
      return tuned.network();
    }

    /**
     * The spectral step's provenance, marked as refined by gradient descent, with the BLAS the
     * fine-tune ran on (the spectral step's unless the two options chose differently).
     */
    public Map<String, Object> provenance() {
      Map<String, Object> p = spectral.provenance();
      p.put("refined", "gradient-descent");
      p.remove("blas_note");
      p.putAll(tuned.provenance());
      return p;
    }
  }

  /**
   * The method of moments on {@code data} with {@code spectral} (k given or {@link RecoveryOptions#AUTO_K}),
   * then {@code tuning} from its estimate, with the estimate's k. With {@code scaling} (non-null) the
   * training runs in those scaled columns and the network is mapped back ({@link
   * GradientDescent#fitStandardized}); null trains on the raw columns.
   */
  public static Result fit(Dataset data, RecoveryOptions spectral, GradientDescent.TrainingOptions tuning,
      ColumnScaling scaling, Progress progress) {
    Recovery estimate = MomentRecovery.fit(new RecoverySource.InMemory(data), spectral, progress);
    GradientDescent.TrainingOptions options = tuning.withK(estimate.network().k());
    GradientDescent.Trained tuned = scaling == null
        ? GradientDescent.fit(data, estimate.network(), options, progress)
        : GradientDescent.fitStandardized(data, scaling, estimate.network(), options, progress);
    return new Result(estimate, tuned);
  }

  /**
   * {@link #fit(Dataset, RecoveryOptions, GradientDescent.TrainingOptions, ColumnScaling, Progress)} on the
   * samples of {@code source}, loaded into memory (training reads them many times), in columns scaled
   * to root-mean-square 1 when {@code standardize} ({@link Dataset#rmsScaling}). The spectral step's
   * result names the samples as {@code source} does. The passes of an engine are refused: training
   * needs the samples here.
   */
  public static Result fit(RecoverySource source, RecoveryOptions spectral, GradientDescent.TrainingOptions tuning,
      boolean standardize, Progress progress) {
    Dataset samples;
    String description;
    if (source instanceof RecoverySource.InMemory m) {
      samples = m.data();
      description = samples.description();
    } else if (source instanceof RecoverySource.Streamed s) {
      samples = Dataset.load(s.rows());
      description = s.rows().description();
    } else if (source instanceof RecoverySource.Cached c) {
      samples = Dataset.load(c.rows());
      description = c.rows().description();
    } else {
      throw new IllegalArgumentException("--refine trains on the samples in memory: run it with the local engine");
    }
    Result r = fit(samples, spectral, tuning, standardize ? samples.rmsScaling() : null, progress);
    return new Result(r.spectral().describing(description), r.tuned());
  }
}
