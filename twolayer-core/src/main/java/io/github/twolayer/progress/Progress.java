package io.github.twolayer.progress;

/**
 * Receives progress of long passes over samples; the CLI turns it into a progress bar. Library code
 * never prints.
 */
@FunctionalInterface
public interface Progress {
  /** {@code done} of {@code total} units of {@code phase} are finished (called from one thread). */
  void update(String phase, long done, long total);

  /** Ignores everything. */
  Progress NONE = (phase, done, total) -> {};
}
