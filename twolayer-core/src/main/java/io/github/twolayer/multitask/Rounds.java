package io.github.twolayer.multitask;

import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The pretraining round, written once (docs/collins-method.md, "A pretraining round") for every backend
 * ({@link RoundProducts}). From W₀ (rows ~ N(0, I_d/d), fixed biases c ~ N(0, 1)) and the initial heads,
 * each round, batch of tasks after batch:
 * <ol>
 *   <li>samples S¹ and S² of each task;</li>
 *   <li>the head schedule ({@link PretrainingOptions.Heads}): the heads reset to 0 when each round starts
 *       afresh; then the head steps on S¹ and W's gradient on S² — head-first (the paper's order), or the
 *       gradient first, at the heads before their steps (simultaneous descent);</li>
 *   <li>the W step of the {@link RoundSchedule} on the sum of the tasks' gradients, the divergence watch, the
 *       schedule's bookkeeping and the progress.</li>
 * </ol>
 * Tasks are independent within a round, so a backend may run the tasks of a batch in parallel; each task
 * sees its own steps in the schedule's order, whatever the batching.
 */
final class Rounds {
  private Rounds() {}

  /**
   * Pretraining on in-memory samples ({@code tasks}): float32 batched or float64 task by task, as the
   * options say, under their schedule (with {@code --rounds auto}, on the sampler's held-out samples).
   */
  static Representation inMemory(TaskSampler tasks, PretrainingOptions given, Progress progress,
      MultiTaskPretraining.RoundListener listener) {
    // Finite data were resolved by their tasks' sizes before; fresh samples have no limit.
    PretrainingOptions options = given.resolvedFor(tasks.d(), Long.MAX_VALUE);
    RoundSchedule schedule = RoundSchedule.of(options, options.rounds() == PretrainingOptions.AUTO_ROUNDS
        ? tasks.heldOut(options.seed(), options.n1(), options.n2()) : null, listener);
    RoundProducts.Factory backend = options.precision() == PretrainingOptions.Precision.FLOAT32
        ? (c, heads) -> new BatchedRounds(tasks, options, c, heads)
        : (c, heads) -> new TaskByTask(tasks, options, c, heads);
    return run(backend, tasks.d(), tasks.tasks(), options, schedule, progress);
  }

  /** The rounds of {@code schedule} on {@code backend}, from W₀ and the initial heads of the options. */
  static Representation run(RoundProducts.Factory backend, int d, int tasks, PretrainingOptions options,
      RoundSchedule schedule, Progress progress) {
    long start = System.nanoTime();
    int m = options.width();
    TwoLayerNet init = initialLayer(d, options);
    double[] w = init.W();
    double[] c = init.bias() == null ? new double[m] : init.bias();
    PretrainingOptions.Heads order = options.heads();
    DivergenceWatch watch = new DivergenceWatch(options);
    try (RoundProducts products = backend.open(c, initialHeads(tasks, m, options))) {
      for (int round = 0; schedule.running(round); round++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException();
        }
        products.startRound(round, w);
        double headGradients = 0;
        for (int from = 0; from < tasks; from += products.batch()) {
          int count = Math.min(products.batch(), tasks - from);
          products.sample(from, count);
          if (order.resetEachRound) {
            products.resetHeads(from, count);
          }
          if (order.simultaneous) { // W's gradient at the heads before their steps
            products.addGradient(from, count);
          }
          for (int k = 0; k < options.headSteps(); k++) {
            headGradients = Math.max(headGradients, products.headStep(from, count)); // NaN stays NaN
          }
          if (!order.simultaneous) { // head-first: W's gradient at the heads just fitted
            products.addGradient(from, count);
          }
        }
        w = schedule.step(w, products.gradient(), products.gradientCount(), round);
        watch.afterRound(round, headGradients, products.largestHead(), w);
        schedule.afterRound(round, w, c);
        progress.update("pretraining rounds", round + 1, schedule.expected());
      }
    }
    return finish(w, c, d, tasks, options, schedule, start);
  }

  /**
   * The pretrained layer: unit rows in theory mode, the fixed biases kept when the options have them, the
   * rounds the schedule ran and why it stopped.
   */
  private static Representation finish(double[] w, double[] c, int d, int taskCount, PretrainingOptions options,
      RoundSchedule schedule, long startNanos) {
    int m = options.width();
    if (options.mode() == PretrainingOptions.Mode.THEORY) {
      w = TwoLayerNet.of(d, m, 0, w, null).withUnitRows().W();
    }
    TwoLayerNet layer = new TwoLayerNet(d, m, 0, w, null, options.bias() ? c : null);
    return new Representation(layer, options, taskCount, schedule.used(), (System.nanoTime() - startNanos) * 1e-9)
        .withStopping(schedule.stopping());
  }

  /** W₀ with rows ~ N(0, I_d/d) and biases c_j ~ N(0, 1) (or none), from the options' seed. */
  static TwoLayerNet initialLayer(int d, PretrainingOptions options) {
    int m = options.width();
    UniformRandomProvider rng = Seeds.root(options.seed());
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] w = new double[m * d];
    double scale = 1 / Math.sqrt(d);
    for (int e = 0; e < w.length; e++) {
      w[e] = scale * g.sample();
    }
    double[] c = null;
    if (options.bias()) {
      c = new double[m];
      for (int j = 0; j < m; j++) {
        c[j] = g.sample();
      }
    }
    return new TwoLayerNet(d, m, 0, w, null, c);
  }

  /** The heads a run starts from: 0, or N(0, 0.01) entries for simultaneous descent from random heads. */
  static double[][] initialHeads(int tasks, int m, PretrainingOptions options) {
    double[][] heads = new double[tasks][m];
    if (options.heads() == PretrainingOptions.Heads.SIMULTANEOUS_RANDOM) {
      UniformRandomProvider rng = Seeds.generator(Seeds.Stream.HEADS, options.seed());
      ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
      for (double[] head : heads) {
        for (int j = 0; j < m; j++) {
          head[j] = 0.1 * g.sample();
        }
      }
    }
    return heads;
  }
}
