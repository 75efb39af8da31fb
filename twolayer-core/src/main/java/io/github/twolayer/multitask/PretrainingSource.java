package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.pass.Engine;

/**
 * What {@link MultiTaskPretraining#fit(PretrainingSource, PretrainingOptions, io.github.twolayer.progress.Progress)}
 * pretrains on: fresh samples of a task family every round, multi-task data in memory, rows streamed from
 * a file, or the passes of an engine (a cluster). Rows of data are (x; y, task): l = 2.
 */
public sealed interface PretrainingSource {
  /** The tasks of {@code truth}'s family, fresh samples every round (docs/collins-method.md, online). */
  record Online(SubspaceTruth truth) implements PretrainingSource {}

  /**
   * Multi-task data in memory: subsets of n₁ and n₂ rows per task each round, or Bernoulli sets;
   * {@code subspace} (or null) is the planted truth the oracle baseline needs.
   */
  record Tasks(MultiTaskDataset data, SubspaceTruth subspace) implements PretrainingSource {}

  /** Rows read in blocks (a file of any size) on this machine's cores: Bernoulli sampling only. */
  record Rows(RowSource rows) implements PretrainingSource {}

  /** The passes of an engine (e.g. Spark): Bernoulli sampling only. */
  record Passes(Engine engine) implements PretrainingSource {}
}
