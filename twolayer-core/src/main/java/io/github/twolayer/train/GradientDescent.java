package io.github.twolayer.train;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The gradient-descent baseline of experiment E4 (docs/ge-method.md): fits y = A relu(W x) by minimizing the squared
 * loss ({@link SquaredLoss}) with mini-batch Adam or full-batch L-BFGS, from random starts (several
 * restarts, the best kept by validation loss) or from a given network — such as the method-of-moments
 * estimate (spectral + fine-tune). A held-out share of the samples stops training early.
 */
public final class GradientDescent {
  private GradientDescent() {}

  /** The optimizers. */
  public enum Optimizer {
    ADAM, LBFGS
  }

  /**
   * @param k hidden units
   * @param optimizer Adam (mini-batch) or L-BFGS (full batch)
   * @param restarts random starts (ignored when an initial network is given)
   * @param maxIterations L-BFGS iterations, or Adam epochs
   * @param learningRate Adam step size
   * @param batchSize Adam mini-batch size
   * @param validationFraction share of samples held out for early stopping
   * @param patience validation checks without improvement before stopping
   * @param seed seed of the random starts, the split and the mini-batch order
   * @param threads worker threads (results do not depend on it)
   * @param blas which implementation of the matrix products runs (recorded in the result's provenance)
   */
  public record TrainingOptions(int k, Optimizer optimizer, int restarts, int maxIterations, double learningRate,
      int batchSize, double validationFraction, int patience, long seed, int threads, Blas.Choice blas) {
    public TrainingOptions {
      if (k <= 0) {
        throw new IllegalArgumentException("k = " + k + " must be a positive number of hidden units");
      }
      if (restarts <= 0 || maxIterations <= 0 || batchSize <= 0 || patience <= 0 || threads <= 0) {
        throw new IllegalArgumentException("restarts, iterations, batch size, patience and threads must be positive");
      }
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("--lr = " + learningRate + " must be a positive number");
      }
      if (!(validationFraction >= 0 && validationFraction < 0.9)) {
        throw new IllegalArgumentException("--val-fraction = " + validationFraction + " must be in [0, 0.9)");
      }
      if (blas == null) {
        throw new IllegalArgumentException("blas must be a choice (Blas.Choice.AUTO for native where it loads)");
      }
    }

    /**
     * L-BFGS, 1 start, up to 500 iterations, 10% held out, patience 20, all cores, seed 1, the library's
     * default BLAS ({@link Blas.Choice#byDefault}: {@code -Dtwolayer.blas}, else auto).
     */
    public static TrainingOptions defaults(int k) {
      return new TrainingOptions(k, Optimizer.LBFGS, 1, 500, 1e-3, 256, 0.1, 20, 1,
          Runtime.getRuntime().availableProcessors(), Blas.Choice.byDefault());
    }

    public TrainingOptions withOptimizer(Optimizer o) {
      return new TrainingOptions(k, o, restarts, o == Optimizer.ADAM && maxIterations == 500 ? 100 : maxIterations,
          learningRate, batchSize, validationFraction, patience, seed, threads, blas);
    }

    public TrainingOptions withRestarts(int r) {
      return new TrainingOptions(k, optimizer, r, maxIterations, learningRate, batchSize, validationFraction, patience, seed,
          threads, blas);
    }

    public TrainingOptions withMaxIterations(int it) {
      return new TrainingOptions(k, optimizer, restarts, it, learningRate, batchSize, validationFraction, patience, seed,
          threads, blas);
    }

    public TrainingOptions withLearningRate(double lr) {
      return new TrainingOptions(k, optimizer, restarts, maxIterations, lr, batchSize, validationFraction, patience, seed,
          threads, blas);
    }

    public TrainingOptions withValidationFraction(double f) {
      return new TrainingOptions(k, optimizer, restarts, maxIterations, learningRate, batchSize, f, patience, seed, threads, blas);
    }

    public TrainingOptions withK(int hidden) {
      return new TrainingOptions(hidden, optimizer, restarts, maxIterations, learningRate, batchSize, validationFraction,
          patience, seed, threads, blas);
    }

    public TrainingOptions withSeed(long s) {
      return new TrainingOptions(k, optimizer, restarts, maxIterations, learningRate, batchSize, validationFraction, patience,
          s, threads, blas);
    }

    public TrainingOptions withThreads(int t) {
      return new TrainingOptions(k, optimizer, restarts, maxIterations, learningRate, batchSize, validationFraction, patience,
          seed, t, blas);
    }

    /** The same options with the matrix products on {@code choice}. */
    public TrainingOptions withBlas(Blas.Choice choice) {
      return new TrainingOptions(k, optimizer, restarts, maxIterations, learningRate, batchSize, validationFraction, patience,
          seed, threads, choice);
    }
  }

  /**
   * One start: where it ended, its losses, iterations, why it stopped ({@link Lbfgs.Exit#label}, or for
   * Adam early-stopping / iteration-limit) and time.
   */
  public record Run(TwoLayerNet network, double trainLoss, double validationLoss, int iterations, String stop,
      double seconds) {}

  /** L-BFGS: ‖∇f‖ at which a start has converged (the loss is O(1) on standardized data: rounding level). */
  static final double LBFGS_GRADIENT_TOLERANCE = 1e-14;
  /** L-BFGS: curvature pairs kept (Nocedal and Wright: 3–20 usually suffice). */
  static final int LBFGS_MEMORY = 10;
  /** L-BFGS: iterations between two checks of the held-out loss (each costs a pass over those rows). */
  static final int LBFGS_CHECK_EVERY = 5;
  /** Adam's moment decays and ε: the defaults of Kingma and Ba (2015), which this baseline does not tune. */
  static final double ADAM_BETA1 = 0.9;
  static final double ADAM_BETA2 = 0.999;
  static final double ADAM_EPSILON = 1e-8;
  /**
   * Adam has no line search to stop a step size that is too large: a held-out loss above this multiple of
   * the larger of the start's and the zero network's is divergence (exit 3), not a result. Measured on a
   * planted network (d = 10, k = 5, l = 8, standardized columns): with step sizes up to 100 the held-out
   * loss after each epoch stays below the zero network's (dead units at worst); at 1e6 it reaches 1e7 and
   * more, 10⁶ times its start, within an epoch.
   */
  static final double ADAM_DIVERGED_FACTOR = 1e4;

  /**
   * The best run by validation loss (training loss without a held-out share), every run, and the BLAS
   * the products ran on.
   */
  public record Trained(TwoLayerNet network, List<Run> runs, double seconds, Blas.Choice blas) {
    public Run best() {
      return runs.stream().min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss())).orElseThrow();
    }

    /**
     * What a model's provenance records of this training that its options do not say: the BLAS that ran
     * ("blas", and "blas_note" when auto fell back to the Java kernels).
     */
    public Map<String, Object> provenance() {
      Map<String, Object> p = new LinkedHashMap<>();
      blas.describeIn(p);
      return p;
    }
  }

  /** Random starts. */
  public static Trained fit(Dataset data, TrainingOptions options) {
    return fit(data, null, options, Progress.NONE);
  }

  /**
   * {@link #fit} on the samples with every column scaled to root-mean-square 1 ({@link ColumnScaling}),
   * the networks mapped back: the same network (to rounding) whatever the columns' units, where raw
   * columns of 1e200 overflow the loss and columns of mixed units stall the optimizer. The losses of
   * the result are in the scaled units. {@code init} is given in raw units.
   */
  public static Trained fitStandardized(Dataset data, TwoLayerNet init, TrainingOptions options, Progress progress) {
    return fitStandardized(data, data.rmsScaling(), init, options, progress);
  }

  /** {@link #fitStandardized(Dataset, TwoLayerNet, TrainingOptions, Progress)} with the data's scales given. */
  public static Trained fitStandardized(Dataset data, ColumnScaling scaling, TwoLayerNet init, TrainingOptions options,
      Progress progress) {
    Trained t = fit(data.scaled(scaling), init == null ? null : scaling.toScaled(init), options, progress, true);
    List<Run> runs = new ArrayList<>();
    for (Run r : t.runs()) {
      runs.add(new Run(scaling.mapBack(r.network()).withUnitRows(), r.trainLoss(), r.validationLoss(),
          r.iterations(), r.stop(), r.seconds()));
    }
    Run best = runs.stream().min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss())).orElseThrow();
    return new Trained(best.network(), List.copyOf(runs), t.seconds(), t.blas());
  }

  /** From {@code init} when it is not null (one run), else from random starts. */
  public static Trained fit(Dataset data, TwoLayerNet init, TrainingOptions options, Progress progress) {
    return fit(data, init, options, progress, false);
  }

  /** {@link #fit(Dataset, TwoLayerNet, TrainingOptions, Progress)}; {@code standardized}: scaled columns. */
  private static Trained fit(Dataset data, TwoLayerNet init, TrainingOptions options, Progress progress,
      boolean standardized) {
    long start = System.nanoTime();
    int d = data.d();
    int l = data.l();
    int k = options.k();
    if (init != null && (init.d() != d || init.l() != l || init.k() != k)) {
      throw new IllegalArgumentException("the initial network has shape d×k×l = " + init.d() + "×" + init.k() + "×"
          + init.l() + " but the data and --k ask for " + d + "×" + k + "×" + l);
    }
    Dataset shuffled = shuffle(data, Seeds.generator(Seeds.Stream.SHUFFLE, options.seed()));
    int n = shuffled.size();
    int validation = (int) Math.round(n * options.validationFraction());
    int training = n - validation;
    if (training < 1) {
      throw new IllegalArgumentException("no training samples left after holding out " + validation);
    }
    int starts = init != null ? 1 : options.restarts();
    List<Run> runs = new ArrayList<>();
    Blas blas = options.blas().implementation();
    try (Parallel parallel = new Parallel(options.threads())) {
      SquaredLoss train = new SquaredLoss(shuffled, 0, training, k, blas);
      SquaredLoss held = validation > 0 ? new SquaredLoss(shuffled, training, n, k, blas) : train;
      for (int s = 0; s < starts; s++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException();
        }
        long runStart = System.nanoTime();
        double[] theta = init != null ? pack(init) : randomStart(d, k, l,
            Seeds.generator(Seeds.Stream.RESTART, options.seed(), s));
        final int run = s;
        int[] iterations = new int[1];
        String[] stop = new String[1];
        double[] best = options.optimizer() == Optimizer.LBFGS
            ? lbfgs(train, held, theta, options, parallel, iterations, stop, overflowAdvice(init != null, standardized))
            : adam(shuffled, training, held, theta, options, blas, parallel, iterations, stop,
                overflowAdvice(init != null, standardized));
        double trainLoss = train.evaluate(best, null, parallel);
        double valLoss = held.evaluate(best, null, parallel);
        runs.add(new Run(unpack(best, d, k, l).withUnitRows(), trainLoss, valLoss, iterations[0],
            stop[0], (System.nanoTime() - runStart) * 1e-9));
        progress.update("gradient descent (starts)", run + 1, starts);
      }
    }
    Run best = runs.stream().min((a, b) -> Double.compare(a.validationLoss(), b.validationLoss())).orElseThrow();
    return new Trained(best.network(), List.copyOf(runs), (System.nanoTime() - start) * 1e-9, options.blas());
  }

  private static double[] lbfgs(SquaredLoss train, SquaredLoss held, double[] theta, TrainingOptions options,
      Parallel parallel, int[] iterations, String[] exit, String overflow) {
    double[] last = new double[1]; // the loss last evaluated: the one a NOT_FINITE exit refers to
    EarlyStopping stop = new EarlyStopping(held, parallel, options.patience(), theta);
    Lbfgs.Result result = Lbfgs.minimize((t, g) -> last[0] = train.evaluate(t, g, parallel), theta,
        options.maxIterations(), LBFGS_GRADIENT_TOLERANCE, LBFGS_MEMORY,
        (iter, t, value) -> iter % LBFGS_CHECK_EVERY != LBFGS_CHECK_EVERY - 1 || stop.check(t));
    if (result.exit() == Lbfgs.Exit.NOT_FINITE) {
      // The line search backs off from non-finite trial points by itself; this is a start (or an accepted
      // point) whose loss or gradient overflowed, which no step size fixes.
      boolean atStart = result.iterations() == 0;
      String seen = Double.isFinite(last[0]) ? "the gradient overflows at loss " + DivergedException.number(last[0])
          : "loss " + DivergedException.number(last[0]);
      throw new DivergedException("iteration", result.iterations() + (atStart ? 0 : 1), seen
          + (atStart ? " at the start" : ""), overflow);
    }
    iterations[0] = result.iterations();
    exit[0] = result.exit().label;
    stop.check(theta);
    return stop.best;
  }

  private static double[] adam(Dataset shuffled, int training, SquaredLoss held, double[] theta, TrainingOptions options,
      Blas blas, Parallel parallel, int[] iterations, String[] exit, String overflow) {
    int p = theta.length;
    double[] m = new double[p];
    double[] v = new double[p];
    double[] g = new double[p];
    double beta1 = ADAM_BETA1;
    double beta2 = ADAM_BETA2;
    double eps = ADAM_EPSILON;
    exit[0] = Lbfgs.Exit.ITERATION_LIMIT.label;
    long step = 0;
    EarlyStopping stop = new EarlyStopping(held, parallel, options.patience(), theta);
    if (!Double.isFinite(stop.bestLoss)) {
      throw new DivergedException("epoch", 0, "held-out loss " + DivergedException.number(stop.bestLoss)
          + " at the start", overflow);
    }
    String lower = "lower --lr (now " + DivergedException.number(options.learningRate()) + ")";
    double startLoss = stop.bestLoss;
    double ceiling = ADAM_DIVERGED_FACTOR * Math.max(startLoss, held.zeroNetworkLoss());
    UniformRandomProvider rng = Seeds.generator(Seeds.Stream.ADAM_BATCHES, options.seed());
    Dataset trainRows = shuffled.rows(0, training);
    for (int epoch = 0; epoch < options.maxIterations(); epoch++) {
      Dataset order = shuffle(trainRows, rng);
      for (int b = 0; b < training; b += options.batchSize()) {
        SquaredLoss batch = new SquaredLoss(order, b, Math.min(training, b + options.batchSize()), options.k(),
            blas);
        double loss = batch.evaluate(theta, g, parallel);
        if (!Double.isFinite(loss)) {
          throw new DivergedException("epoch", epoch + 1, "mini-batch loss " + DivergedException.number(loss), lower);
        }
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < p; i++) {
          m[i] = beta1 * m[i] + (1 - beta1) * g[i];
          v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
          theta[i] -= options.learningRate() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
        // θ is summed as well: a NaN in a row of W silences that unit (NaN > 0 is false) instead of making
        // the loss NaN.
        if (!DivergedException.finiteSum(theta)) {
          throw new DivergedException("epoch", epoch + 1, "the weights are not finite", lower);
        }
      }
      iterations[0] = epoch + 1;
      boolean more = stop.check(theta);
      if (!(stop.lastLoss <= ceiling)) { // NaN included
        throw new DivergedException("epoch", epoch + 1, "held-out loss " + DivergedException.number(stop.lastLoss)
            + ", from " + DivergedException.number(startLoss) + " at the start", lower);
      }
      if (!more) {
        exit[0] = Lbfgs.Exit.MONITOR.label;
        break;
      }
    }
    return stop.best;
  }

  /** What to change when the squared loss overflows whatever the step size (at the start, or under L-BFGS). */
  private static String overflowAdvice(boolean fromNetwork, boolean standardized) {
    String start = fromNetwork ? "start from a network of ordinary magnitudes for these data" : null;
    String units = standardized ? null : "keep the columns standardized (drop --no-standardize)";
    if (start == null && units == null) { // standardized columns and a random start of unit scale: not seen
      return "the squared loss overflows on the standardized columns; check the data for rows of extreme size";
    }
    return "the squared loss overflows: " + (start == null ? units
        : units == null ? start + " (the columns are standardized already)" : start + ", or " + units);
  }

  /** Keeps the parameters with the lowest held-out loss; says stop after {@code patience} checks without gain. */
  private static final class EarlyStopping {
    final SquaredLoss held;
    final Parallel parallel;
    final int patience;
    double[] best;
    double bestLoss;
    double lastLoss;
    int since;

    EarlyStopping(SquaredLoss held, Parallel parallel, int patience, double[] start) {
      this.held = held;
      this.parallel = parallel;
      this.patience = patience;
      this.best = start.clone();
      this.bestLoss = held.evaluate(start, null, parallel);
    }

    boolean check(double[] theta) {
      double loss = held.evaluate(theta, null, parallel);
      lastLoss = loss;
      if (loss < bestLoss) {
        bestLoss = loss;
        best = theta.clone();
        since = 0;
      } else {
        since++;
      }
      return since < patience;
    }
  }

  /** W entries ~ N(0, 1/d), A entries ~ N(0, 1/k): unit-scale pre-activations and outputs. */
  static double[] randomStart(int d, int k, int l, UniformRandomProvider rng) {
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] theta = new double[k * d + l * k];
    for (int i = 0; i < k * d; i++) {
      theta[i] = g.sample() / Math.sqrt(d);
    }
    for (int i = k * d; i < theta.length; i++) {
      theta[i] = g.sample() / Math.sqrt(k);
    }
    return theta;
  }

  static double[] pack(TwoLayerNet net) {
    double[] w = net.W();
    double[] a = net.A();
    double[] theta = new double[w.length + a.length];
    System.arraycopy(w, 0, theta, 0, w.length);
    System.arraycopy(a, 0, theta, w.length, a.length);
    return theta;
  }

  static TwoLayerNet unpack(double[] theta, int d, int k, int l) {
    return TwoLayerNet.of(d, k, l, Arrays.copyOfRange(theta, 0, k * d),
        Arrays.copyOfRange(theta, k * d, k * d + l * k));
  }

  /** The rows in a random order. */
  static Dataset shuffle(Dataset data, UniformRandomProvider rng) {
    int n = data.size();
    int[] order = Seeds.permutation(n, rng);
    int d = data.d();
    int l = data.l();
    double[] x = new double[n * d];
    double[] y = new double[n * l];
    for (int i = 0; i < n; i++) {
      System.arraycopy(data.X(), order[i] * d, x, i * d, d);
      System.arraycopy(data.Y(), order[i] * l, y, i * l, l);
    }
    return new Dataset(n, d, l, x, y);
  }
}
