package io.github.twolayer.multitask;

/**
 * What a backend of the round loop ({@link Rounds}) computes: the products of a round — the samples'
 * features φ_W and pre-activations, the heads' statistics over S¹, the W-gradient Δᵀ X over S² — in its
 * own arithmetic (float64 task by task: {@link TaskByTask}; float32 batched: {@link BatchedRounds}; passes
 * of an engine: {@link DataParallelPretraining}). The algorithm, which step comes when, is the loop's: a
 * backend never decides the order of the head and W steps, the step sizes or the number of rounds.
 *
 * <p>The heads live in the backend (in its precision), started from the values it was opened with. A
 * round visits the tasks in batches of {@link #batch()}; every call names its batch by its first task and
 * its size, and the loop finishes one batch (samples, heads, gradient) before it samples the next.
 */
interface RoundProducts extends AutoCloseable {
  /** Opens a backend with fixed biases c (m; zeros when none) and the initial heads (T×m, to copy). */
  @FunctionalInterface
  interface Factory {
    RoundProducts open(double[] c, double[][] heads);
  }

  /** Tasks per batch (all T when a round's work fits in memory at once). */
  int batch();

  /** A new round {@code round} at W (m×d; read only until the round ends): its gradient sum starts at 0. */
  void startRound(int round, double[] w);

  /** Draws S¹ and S² of the batch's tasks and computes what does not depend on the heads. */
  void sample(int from, int count);

  /** Sets the batch's heads to 0. */
  void resetHeads(int from, int count);

  /** One η_h gradient step of each head of the batch on its S¹; the largest |entry| of those gradients. */
  double headStep(int from, int count);

  /** Adds the W-gradient of the batch's tasks on their S², at their heads as they are now, to the round's sum. */
  void addGradient(int from, int count);

  /** The round's W-gradient sum (m×d), to be divided by {@link #gradientCount()}. */
  double[] gradient();

  /** What {@link #gradient()} is divided by: T when it is the plain sum over tasks, 1 when it carries weights. */
  int gradientCount();

  /** The largest |entry| of the heads now. */
  double largestHead();

  @Override
  void close();
}
