package io.github.twolayer.pass;

/**
 * Where passes over the samples run: {@link LocalEngine} (one thread or all cores, over a file or
 * memory) or the Spark engine of the twolayer-spark module. An algorithm written against this
 * interface is the same code on each; only the order in which partial sums are added differs.
 */
public interface Engine extends AutoCloseable {
  /** Input columns. */
  int d();

  /** Output columns. */
  int l();

  /** Samples. */
  long n();

  /** A short description for messages and provenance (a file name, "memory", a Spark path). */
  String description();

  /**
   * One pass: the sum of {@code zero}'s kind over every sample. {@code phase} names the pass for
   * progress reports.
   */
  <A extends Accumulator<A>> A aggregate(A zero, String phase);

  /** Releases threads or a cluster session; the engine is not used afterwards. */
  @Override
  default void close() {}
}
