package io.github.twolayer.multitask;

import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.progress.DivergedException;
import java.util.Arrays;

/**
 * The float32 backend of the round loop ({@link Rounds}), with the tasks of a round batched: the samples
 * of a batch of B tasks are stacked (S¹ as one B·n₁ × d matrix, S² as one B·n₂ × d matrix), so a round is
 * three large native products per batch — the features of S¹, the pre-activations of S², and the
 * W-gradient Δᵀ X over all of S² — instead of 3·T small ones, with the per-task work (head steps, the
 * loss derivatives) in between. This is the arithmetic PyTorch uses for the same network. B is all T
 * tasks when they fit in {@link #BATCH_BYTES}, else as many as do ({@link #tasksPerBatch}), so memory
 * does not grow with T.
 *
 * <p>Same algorithm, same seeds, same samples as the float64 path: each (round, task) draws from its
 * own stream, in double, and the draws are rounded to float. A task with fewer rows than n₁ or n₂ (a
 * small task of a finite dataset) is padded with zero rows whose label is 0: their loss derivative
 * term ℓ'(y f)·y is exactly 0, so they add exact zeros, and each task is still averaged over its own
 * rows. Products are cut into tiles fixed by the shapes alone, and the W-gradient's partial sums are
 * added in tile order, so the result is the same bits for any thread count. W itself is kept and
 * updated in double; the products read a float copy.
 */
final class BatchedRounds implements RoundProducts {
  /** Rows per product tile: enough for the native multiply to run near its peak (≥ 1024 × m × d). */
  static final int TILE_ROWS = 1024;

  /**
   * Bytes the stacked samples, features and pre-activations of one batch of tasks may take (each task needs
   * 4·(n₁ + n₂)·(d + 2 + m) bytes: 110 kB at n₁ = n₂ = 256, d = 20, m = 32, so batches of about 300 tasks):
   * a round's memory no longer grows with the number of tasks (10 000 tasks held 1.2 GB at once), while
   * the products of a batch stay hundreds of tiles long.
   */
  static final long BATCH_BYTES = 32L << 20;

  /**
   * Tasks per batch of a round: as many as {@link #BATCH_BYTES} holds (at least one), all T when they fit.
   * Rounded down to a multiple of the tiles' period (the tasks of a feature tile of S¹ and of S², and
   * those whose S² rows fill whole {@link #TILE_ROWS} gradient tiles), so that a batch starts where a tile
   * starts: every product and every partial sum is then the one an unbatched round computes, and the result
   * is the same bits. When a single period is larger than the budget (odd n₂ with many small tasks), a
   * batch is the budget's worth and tiles restart at each batch: the partial sums of W's gradient are
   * grouped differently, which moves W by float32 rounding (see BatchedRoundsTest).
   */
  static int tasksPerBatch(int tasks, int n1, int n2, int d, int m) {
    long perTask = 4L * ((long) n1 + n2) * (d + 2 + m);
    long fit = Math.max(1, BATCH_BYTES / perTask);
    if (fit >= tasks) {
      return tasks;
    }
    long period = lcm(lcm(tasksPerTile(tasks, n1), tasksPerTile(tasks, n2)),
        TILE_ROWS / gcd(n2, TILE_ROWS));
    return (int) (period <= fit ? fit / period * period : fit);
  }

  /** Tasks of one feature tile: enough for TILE_ROWS rows (all tasks when they have fewer). */
  private static int tasksPerTile(int tasks, int n) {
    return Math.max(1, Math.min(tasks, (TILE_ROWS + n - 1) / n));
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static long lcm(long a, long b) {
    return a / gcd(a, b) * b;
  }

  private final TaskSampler tasks;
  private final PretrainingOptions options;
  private final Blas blas;
  private final int d;
  private final int m;
  private final int n1;
  private final int n2;
  private final int dx;
  private final int batch;
  private final float scale;
  // One batch of tasks at a time; task t sits in slot t − from of its batch.
  private final float[] x1;
  private final float[] y1;
  private final float[] x2;
  private final float[] y2;
  private final float[] phi1;
  private final float[] pre2;
  private final int[] count1;
  private final int[] count2;
  private final float[] wf;
  private final float[][] heads;
  private final int tasksPerTile1;
  private final int tasksPerTile2;
  private final float[][] partials;
  private final ThreadLocal<float[][]> scratch;
  private final ThreadLocal<double[][]> draws;
  private final Parallel parallel;
  private int round;
  private double[] gradient;

  /** The backend for {@code tasks}, batched as {@link #tasksPerBatch} says. */
  BatchedRounds(TaskSampler tasks, PretrainingOptions options, double[] c, double[][] initialHeads) {
    this(tasks, options, c, initialHeads,
        tasksPerBatch(tasks.tasks(), options.n1(), options.n2(), tasks.d(), options.width()));
  }

  /** With {@code batch} tasks per batch (tests compare batchings). */
  BatchedRounds(TaskSampler tasks, PretrainingOptions options, double[] c, double[][] initialHeads, int batch) {
    this.tasks = tasks;
    this.options = options;
    this.blas = options.blas().implementation();
    this.batch = batch;
    d = tasks.d();
    m = options.width();
    n1 = options.n1();
    n2 = options.n2();
    int taskCount = tasks.tasks();
    scale = (float) Features.scale(m);
    // The biases are folded into the products: every x gets a last coordinate 1 and W a last column c,
    // so Wx + c is one product and the element-wise work runs over whole tiles (long loops vectorize).
    dx = d + 1;
    x1 = new float[batch * n1 * dx];
    y1 = new float[batch * n1];
    x2 = new float[batch * n2 * dx];
    y2 = new float[batch * n2];
    phi1 = new float[batch * n1 * m];
    pre2 = new float[batch * n2 * m];
    count1 = new int[batch];
    count2 = new int[batch];
    wf = new float[m * dx];
    for (int j = 0; j < m; j++) {
      wf[j * dx + d] = (float) c[j];
    }
    heads = new float[taskCount][m];
    for (int t = 0; t < taskCount; t++) {
      for (int j = 0; j < m; j++) {
        heads[t][j] = (float) initialHeads[t][j];
      }
    }
    // Tiles are fixed by the shapes (and the batch) alone, so the result is the same for any thread count.
    tasksPerTile1 = tasksPerTile(taskCount, n1);
    tasksPerTile2 = tasksPerTile(taskCount, n2);
    partials = new float[(batch * n2 + TILE_ROWS - 1) / TILE_ROWS][m * dx];
    scratch = ThreadLocal.withInitial(
        () -> new float[][] {new float[Math.max(n1, n2) * m], new float[Math.max(n1, n2)], new float[m],
            new float[Math.max(n1, n2) * m]});
    draws = ThreadLocal.withInitial(
        () -> new double[][] {new double[n1 * d], new double[n1], new double[n2 * d], new double[n2]});
    parallel = new Parallel(options.threads());
  }

  @Override
  public int batch() {
    return batch;
  }

  /** W itself is kept and updated in double by the loop; the products read this float copy. */
  @Override
  public void startRound(int round, double[] w) {
    this.round = round;
    for (int j = 0; j < m; j++) {
      for (int p = 0; p < d; p++) {
        wf[j * dx + p] = (float) w[j * d + p];
      }
    }
    gradient = new double[m * d];
  }

  @Override
  public void sample(int first, int count) {
    // 1. Samples of every task, from its own (seed, round, task) stream.
    parallel.forEachTile(count, i -> {
      int t = first + i;
      if (tasks.drawFloat(options.seed(), round, t, n1, n2, x1, i * n1 * dx, y1, i * n1, x2, i * n2 * dx, y2,
          i * n2)) {
        count1[i] = n1;
        count2[i] = n2;
        return;
      }
      double[][] s = draws.get();
      int[] sizes = tasks.draw(options.seed(), round, t, n1, n2, s[0], s[1], s[2], s[3]);
      count1[i] = sizes[0];
      count2[i] = sizes[1];
      toFloat(s[0], s[1], sizes[0], n1, d, x1, y1, i);
      toFloat(s[2], s[3], sizes[1], n2, d, x2, y2, i);
    });
    // 2. Features φ(S¹) = relu(X₁Wᵀ + c)/√m and pre-activations X₂Wᵀ + c, tile by tile.
    int tiles1 = (count + tasksPerTile1 - 1) / tasksPerTile1;
    int tiles2 = (count + tasksPerTile2 - 1) / tasksPerTile2;
    parallel.forEachTile(tiles1 + tiles2, i -> {
      boolean ofS1 = i < tiles1;
      int n = ofS1 ? n1 : n2;
      int perTile = ofS1 ? tasksPerTile1 : tasksPerTile2;
      int fromTask = (ofS1 ? i : i - tiles1) * perTile;
      int rows = Math.min(perTile, count - fromTask) * n;
      int row0 = fromTask * n;
      float[] x = ofS1 ? x1 : x2;
      float[] out = ofS1 ? phi1 : pre2;
      blas.gemm(false, true, rows, m, dx, 1f, x, row0 * dx, dx, wf, 0, dx, 0f, out, row0 * m, m);
      if (ofS1) {
        Features.activate(out, row0 * m, (row0 + rows) * m, scale);
      }
    });
  }

  @Override
  public void resetHeads(int first, int count) {
    for (int i = 0; i < count; i++) {
      Arrays.fill(heads[first + i], 0f);
    }
  }

  /** 3a. Per task: a head step on S¹. */
  @Override
  public double headStep(int first, int count) {
    double[] largest = new double[count];
    parallel.forEachTile(count, i -> largest[i] = headStep(heads[first + i], phi1, y1, i * n1, count1[i], m,
        options.loss(), (float) options.headRate(), scratch.get(), blas));
    return DivergedException.maxAbs(largest);
  }

  @Override
  public void addGradient(int first, int count) {
    // 3b. Per task: the loss derivatives on S² (Δ, written over the pre-activations).
    parallel.forEachTile(count, i -> delta(heads[first + i], pre2, y2, i * n2, n2, count2[i], m, scale,
        options.loss(), scratch.get(), blas));
    // 4. G = Δᵀ X₂ over the batch's S², in fixed row tiles whose partial sums are added in tile order
    //    (and batch after batch: the order of an unbatched round when batches start on tiles).
    int rows2 = count * n2;
    int gradTiles = (rows2 + TILE_ROWS - 1) / TILE_ROWS;
    parallel.forEachTile(gradTiles, g -> {
      int row0 = g * TILE_ROWS;
      int rows = Math.min(TILE_ROWS, rows2 - row0);
      blas.gemm(true, false, m, dx, rows, 1f, pre2, row0 * m, m, x2, row0 * dx, dx, 0f, partials[g],
          0, dx);
    });
    for (int g = 0; g < gradTiles; g++) {
      float[] part = partials[g];
      for (int j = 0; j < m; j++) {
        for (int p = 0; p < d; p++) { // the last column, the biases' gradient, is not used: c is fixed
          gradient[j * d + p] += part[j * dx + p];
        }
      }
    }
  }

  @Override
  public double[] gradient() {
    return gradient;
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

  /** Rounds one task's draws to float into its slot of the stacked arrays (x with a last coordinate 1), zero-padding to n rows. */
  private static void toFloat(double[] x, double[] y, int rows, int n, int d, float[] xs, float[] ys, int task) {
    int dx = d + 1;
    int xo = task * n * dx;
    for (int i = 0; i < rows; i++) {
      for (int p = 0; p < d; p++) {
        xs[xo + i * dx + p] = (float) x[i * d + p];
      }
      xs[xo + i * dx + d] = 1f;
    }
    Arrays.fill(xs, xo + rows * dx, xo + n * dx, 0f);
    int yo = task * n;
    for (int i = 0; i < rows; i++) {
      ys[yo + i] = (float) y[i];
    }
    Arrays.fill(ys, yo + rows, yo + n, 0f);
  }

  /**
   * b ← b − η_h (1/n) Σ ℓ'(y bᵀφ) y φ over one task's {@code count} rows of φ (from row {@code row0}):
   * the scores Φb and the gradient Φᵀg as two native products. {@code buf}: {score, g, gradient} scratch.
   * Returns the largest |entry| of the gradient.
   */
  static double headStep(float[] b, float[] phi, float[] y, int row0, int count, int m, Loss loss, float rate,
      float[][] buf, Blas blas) {
    if (count == 0) {
      return 0;
    }
    float[] f = buf[1];
    float[] grad = buf[2];
    boolean zero = true;
    for (float v : b) {
      zero &= v == 0;
    }
    if (zero) { // from b = 0 (the reset schedule's one step) every score is exactly 0
      Arrays.fill(f, 0, count, 0f);
    } else {
      blas.gemm(false, false, count, 1, m, 1f, phi, row0 * m, m, b, 0, 1, 0f, f, 0, 1);
    }
    for (int i = 0; i < count; i++) {
      float label = y[row0 + i];
      f[i] = (float) (loss.derivative(label * f[i]) * label / count);
    }
    blas.gemm(true, false, m, 1, count, 1f, phi, row0 * m, m, f, 0, 1, 0f, grad, 0, 1);
    double largest = 0;
    for (int j = 0; j < m; j++) {
      b[j] -= rate * grad[j];
      largest = Math.max(largest, Math.abs(grad[j])); // NaN stays NaN
    }
    return largest;
  }

  /** 2¹²⁶·2¹²⁶ carries any positive float past 1, so min(h·2¹²⁶·2¹²⁶, 1) is exactly 1{h > 0} for h ≥ 0. */
  private static final float HUGE = 0x1p126f;

  /**
   * Δ_ij = ℓ'(y_i f_i) y_i / count · 1{p_ij > 0} b_j/√m over the task's n rows (padding rows have y = 0
   * and give Δ = 0), written over the pre-activations p = Wx + c. The scores f = relu(P) b/√m are one
   * native product; the indicator is computed with min and max so that the loop vectorizes.
   */
  static void delta(float[] b, float[] pre, float[] y, int row0, int n, int count, int m, float scale, Loss loss,
      float[][] buf, Blas blas) {
    float[] h = buf[0];
    float[] g = buf[1];
    float[] sb = buf[2];
    float[] outer = buf[3];
    int base = row0 * m;
    int size = n * m;
    // Element-wise loops in place on one array after a bulk copy: the JIT (JDK 17) vectorizes those, but
    // not the same loops reading one array and writing another at an offset (measured 0.3 vs 2 ns a value).
    System.arraycopy(pre, base, h, 0, size);
    for (int e = 0; e < size; e++) {
      h[e] = Math.max(h[e], 0f);
    }
    blas.gemm(false, false, n, 1, m, scale, h, 0, m, b, 0, 1, 0f, g, 0, 1); // scores f = relu(P) b/√m
    for (int i = 0; i < n; i++) {
      float label = y[row0 + i];
      g[i] = label == 0 ? 0 : (float) (loss.derivative(label * g[i]) * label / count);
    }
    for (int j = 0; j < m; j++) {
      sb[j] = scale * b[j];
    }
    // Δ = (g (b/√m)ᵀ) ∘ 1{P > 0}: the outer product natively, then one long element-wise loop.
    blas.gemm(false, false, n, m, 1, 1f, g, 0, 1, sb, 0, m, 0f, outer, 0, m);
    for (int e = 0; e < size; e++) {
      outer[e] = outer[e] * Math.min(h[e] * HUGE * HUGE, 1f);
    }
    System.arraycopy(outer, 0, pre, base, size);
  }
}
