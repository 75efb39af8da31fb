package io.github.twolayer.pass;

import io.github.twolayer.data.RowSource;
import java.io.Serializable;

/**
 * Makes the samples of one partition where they will be used, so that synthetic data of any size never
 * pass through one machine: the Spark engine runs it on its workers ({@link EngineFactory#generate}).
 * Serializable; partition p's rows must depend on p and the generator only.
 */
public interface SampleGenerator extends Serializable {
  int d();

  int l();

  /** The {@code rows} samples of partition {@code partition}. */
  RowSource rows(int partition, int rows);
}
