package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.progress.DivergedException;
import java.util.Arrays;

/**
 * The float64 backend of the round loop ({@link Rounds}): each task's products on its own, in double
 * precision, the tasks of a batch in parallel. A task's W-gradient goes into its own array and the
 * tasks' gradients are added in task order, batch after batch, so the result is the same bits for any
 * thread count and any batching.
 */
final class TaskByTask implements RoundProducts {
  /** Bytes a batch's samples, features and gradients may take, so that a round's memory does not grow with T. */
  static final long BATCH_BYTES = 32L << 20;

  private final TaskSampler tasks;
  private final PretrainingOptions options;
  private final Blas blas;
  private final int d;
  private final int m;
  private final double[] c;
  private final double[][] heads;
  private final int batch;
  private final Samples[] slots;
  private final double[][] gradients;
  private final ThreadLocal<double[][]> scratch; // {pre-activations, Δ} of one task's S²
  private final Parallel parallel;
  private double[] w;
  private int round;
  private double[] sum;

  TaskByTask(TaskSampler tasks, PretrainingOptions options, double[] c, double[][] heads) {
    this(tasks, options, c, heads, tasksPerBatch(tasks.tasks(), options.n1(), options.n2(), tasks.d(),
        options.width()));
  }

  /** With {@code batch} tasks per batch (tests compare batchings). */
  TaskByTask(TaskSampler tasks, PretrainingOptions options, double[] c, double[][] heads, int batch) {
    this.tasks = tasks;
    this.options = options;
    this.blas = options.blas().implementation();
    this.d = tasks.d();
    this.m = options.width();
    this.c = c;
    this.heads = new double[heads.length][];
    for (int t = 0; t < heads.length; t++) {
      this.heads[t] = heads[t].clone();
    }
    this.batch = batch;
    int n1 = options.n1();
    int n2 = options.n2();
    this.slots = new Samples[batch];
    this.gradients = new double[batch][m * d];
    for (int s = 0; s < batch; s++) {
      slots[s] = new Samples(n1, n2, d, m);
    }
    this.scratch = ThreadLocal.withInitial(() -> new double[][] {new double[n2 * m], new double[n2 * m]});
    this.parallel = new Parallel(options.threads());
  }

  /** Tasks per batch: as many as {@link #BATCH_BYTES} holds (at least one), all T when they fit. */
  static int tasksPerBatch(int tasks, int n1, int n2, int d, int m) {
    long perTask = 8L * ((long) n1 * (d + 1 + m) + (long) n2 * (d + 1) + (long) m * d);
    return (int) Math.max(1, Math.min(tasks, BATCH_BYTES / perTask));
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public void startRound(int round, double[] w) {
    this.round = round;
    this.w = w;
    this.sum = new double[m * d];
  }

  @Override
  public void sample(int from, int count) {
    parallel.forEachTile(count, s -> {
      Samples x = slots[s];
      int[] sizes = tasks.draw(options.seed(), round, from + s, options.n1(), options.n2(), x.x1, x.y1, x.x2, x.y2);
      x.n1 = sizes[0];
      x.n2 = sizes[1];
      Features.of(w, c, m, d, x.x1, x.n1, x.phi1, blas);
    });
  }

  @Override
  public void resetHeads(int from, int count) {
    for (int s = 0; s < count; s++) {
      Arrays.fill(heads[from + s], 0);
    }
  }

  @Override
  public double headStep(int from, int count) {
    double[] largest = new double[count];
    parallel.forEachTile(count, s -> largest[s] = headStep(heads[from + s], slots[s].phi1, slots[s].y1, slots[s].n1,
        m, options.loss(), options.headRate()));
    return DivergedException.maxAbs(largest);
  }

  @Override
  public void addGradient(int from, int count) {
    parallel.forEachTile(count, s -> {
      Samples x = slots[s];
      double[][] buf = scratch.get();
      Arrays.fill(gradients[s], 0);
      taskGradient(w, c, m, d, heads[from + s], x.x2, x.y2, x.n2, options.loss(), buf[0], buf[1], gradients[s],
          blas);
    });
    for (int e = 0; e < sum.length; e++) { // in task order: the same bits for any thread count and batching
      for (int s = 0; s < count; s++) {
        sum[e] += gradients[s][e];
      }
    }
  }

  @Override
  public double[] gradient() {
    return sum;
  }

  @Override
  public int gradientCount() {
    return tasks.tasks();
  }

  @Override
  public double largestHead() {
    return DivergedException.maxAbs(heads);
  }

  @Override
  public void close() {
    parallel.close();
  }

  /** One task's samples of a round and the features of its S¹. */
  static final class Samples {
    final double[] x1;
    final double[] y1;
    final double[] x2;
    final double[] y2;
    final double[] phi1;
    int n1;
    int n2;

    Samples(int n1, int n2, int d, int m) {
      x1 = new double[n1 * d];
      y1 = new double[n1];
      x2 = new double[n2 * d];
      y2 = new double[n2];
      phi1 = new double[n1 * m];
    }
  }

  /**
   * b ← b − η_h · (1/n) Σ ℓ'(y bᵀφ) y φ: one gradient step of the head on the task loss over n rows of
   * features φ (n×m); the largest |entry| of its gradient. From b = 0 this is b = −η_h ℓ'(0) mean(y φ).
   */
  static double headStep(double[] b, double[] phi, double[] y, int n, int m, Loss loss, double rate) {
    double[] grad = new double[m];
    for (int i = 0; i < n; i++) {
      double f = 0;
      for (int j = 0; j < m; j++) {
        f += b[j] * phi[i * m + j];
      }
      double g = loss.derivative(y[i] * f) * y[i] / n;
      for (int j = 0; j < m; j++) {
        grad[j] += g * phi[i * m + j];
      }
    }
    for (int j = 0; j < m; j++) {
      b[j] -= rate * grad[j];
    }
    return DivergedException.maxAbs(grad);
  }

  /**
   * ∇_W L_t(W, b; S²) = (1/n) Σ_j ℓ'(y_j f(x_j)) y_j · ((b ∘ 1{W x_j + c > 0})/√m) x_jᵀ = Δᵀ X, added into
   * {@code gradient} (m×d); {@code pre} and {@code delta} (n×m) are scratch. With b = 0 every term is 0.
   */
  static void taskGradient(double[] w, double[] c, int m, int d, double[] b, double[] x, double[] y, int n, Loss loss,
      double[] pre, double[] delta, double[] gradient, Blas blas) {
    blas.multiplyByTranspose(x, 0, d, n, w, m, d, pre, 0, m);
    double scale = Features.scale(m);
    for (int i = 0; i < n; i++) {
      double f = Features.score(pre, i * m, c, b, m, scale);
      double g = loss.derivative(y[i] * f) * y[i] / n;
      for (int j = 0; j < m; j++) {
        delta[i * m + j] = pre[i * m + j] > 0 ? g * b[j] * scale : 0;
      }
    }
    blas.accumulateOuterProducts(delta, 0, m, m, x, 0, d, d, n, gradient, 0, d);
  }
}
