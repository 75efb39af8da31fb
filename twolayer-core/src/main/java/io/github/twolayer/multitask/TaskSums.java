package io.github.twolayer.multitask;

import io.github.twolayer.data.Finite;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.pass.Accumulator;
import java.util.Arrays;

/**
 * The sums of one pass of data-parallel pretraining over rows (x; y, task), docs/collins-method.md; rows
 * with the label alone (l = 1) are all of task 0.
 * <ul>
 *   <li>{@link Kind#SIZES}: rows per task (N_t) and their labels +1, with the labels and task ids checked;</li>
 *   <li>{@link Kind#HEADS}: per task, Σ over S¹ of ℓ'(y b_tᵀφ) y φ (the head gradient times |S¹_t|),
 *       with |S¹_t| and |S²_t|;</li>
 *   <li>{@link Kind#REPRESENTATION}: Σ_t w_t Σ over S²_t of ℓ'(y f) y ((b_t ∘ 1{Wx + c > 0})/√m) xᵀ with
 *       weights w_t = 1/(T·|S²_t|), i.e. the round's gradient G of W;</li>
 *   <li>{@link Kind#EVALUATION} (the run's diagnostics, not a round): per task Σ over S²_t of ℓ(y f) and of
 *       1{sign f = y}, with |S²_t|; and, when asked, per unit the rows of all the data on which it fires.</li>
 * </ul>
 * With a standardization z, a row's sets are chosen by a hash of its raw values (in z's exact power-of-two
 * units, {@link InputStandardization#hashKey}) and its sums are taken at the standardized x' = (x − μ) ⊙ s:
 * the same sets on every engine however it rounds μ and s, whose last bits then move x' alone. The
 * diagnostics' passes may hold one batch of tasks at a time (heads[s] is task from + s; the rows of other
 * tasks are skipped), so that their sums do not grow with T.
 */
final class TaskSums implements Accumulator<TaskSums> {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 256;

  enum Kind {
    SIZES, HEADS, REPRESENTATION, EVALUATION
  }

  private final Kind kind;
  private final int d;
  private final int l;             // outputs per row: 2 (label, task id) or 1 (label; one task)
  private final int m;
  private final double[] w;        // m×d
  private final double[] c;        // m
  private final double[][] heads;  // T×m
  private final double[] weights;  // T (REPRESENTATION)
  private final RoundSampling sampling;
  private final Loss loss;
  private final InputStandardization z; // null: the rows as they are
  private final boolean units;          // EVALUATION: count each unit's firing rows over all the data
  private final int from;               // HEADS, EVALUATION: heads[s] is task from + s (a batch of tasks)
  private long[] sizes1;           // SIZES: N_t; else |S¹_t|
  private long[] sizes2;           // SIZES: rows labelled +1; else |S²_t|
  private final double[] sums;     // HEADS: T×m; REPRESENTATION: m×d; EVALUATION: T losses, T hits, m firings
  private long n;
  private transient double[] xs;
  private transient int[] ts;
  private transient double[] ys;
  private transient double[] pre;
  private transient boolean[] inS2; // EVALUATION: the gathered row is in S²
  private transient double[] key;   // a row's hash key (with a standardization)

  private TaskSums(Kind kind, int d, int l, int m, double[] w, double[] c, double[][] heads, double[] weights,
      RoundSampling sampling, Loss loss, InputStandardization z, boolean units, int from) {
    this.kind = kind;
    this.d = d;
    this.l = l;
    this.m = m;
    this.w = w;
    this.c = c;
    this.heads = heads;
    this.weights = weights;
    this.sampling = sampling;
    this.loss = loss;
    this.z = z;
    this.units = units;
    this.from = from;
    int tasks = heads == null ? 0 : heads.length;
    this.sizes1 = new long[tasks];
    this.sizes2 = new long[tasks];
    this.sums = switch (kind) {
      case SIZES -> new double[0];
      case HEADS -> new double[tasks * m];
      case REPRESENTATION -> new double[m * d];
      case EVALUATION -> new double[2 * tasks + m];
    };
  }

  static TaskSums sizes(int d, int l) {
    return new TaskSums(Kind.SIZES, d, l, 0, null, null, null, null, null, null, null, false, 0);
  }

  /** The head gradients' sums over S¹ ({@code z}: rows standardized by it, or null). */
  static TaskSums heads(int d, int l, int m, double[] w, double[] c, double[][] heads, RoundSampling sampling,
      Loss loss, InputStandardization z) {
    return heads(d, l, m, w, c, heads, sampling, loss, z, 0);
  }

  /** As above for the batch of tasks from {@code from} that {@code heads} holds (other rows are skipped). */
  static TaskSums heads(int d, int l, int m, double[] w, double[] c, double[][] heads, RoundSampling sampling,
      Loss loss, InputStandardization z, int from) {
    return new TaskSums(Kind.HEADS, d, l, m, w, c, heads, null, sampling, loss, z, false, from);
  }

  /** The gradient of W over S² ({@code z}: rows standardized by it, or null). */
  static TaskSums representation(int d, int l, int m, double[] w, double[] c, double[][] heads, double[] weights,
      RoundSampling sampling, Loss loss, InputStandardization z) {
    return new TaskSums(Kind.REPRESENTATION, d, l, m, w, c, heads, weights, sampling, loss, z, false, 0);
  }

  /**
   * The losses and hits over S² of the batch of tasks from {@code from} that {@code heads} holds, and with
   * {@code units} each unit's firing rows over every row ({@code z}: rows standardized by it, or null).
   */
  static TaskSums evaluation(int d, int l, int m, double[] w, double[] c, double[][] heads, RoundSampling sampling,
      Loss loss, InputStandardization z, boolean units, int from) {
    return new TaskSums(Kind.EVALUATION, d, l, m, w, c, heads, null, sampling, loss, z, units, from);
  }

  @Override
  public TaskSums empty() {
    return new TaskSums(kind, d, l, m, w, c, heads, weights, sampling, loss, z, units, from);
  }

  @Override
  public long count() {
    return n;
  }

  long[] sizes() {
    return sizes1;
  }

  long[] sizes2() {
    return sizes2;
  }

  /** SIZES: the rows of each task labelled +1 (the rest are −1). */
  long[] positives() {
    return sizes2;
  }

  double[] sums() {
    return sums;
  }

  @Override
  public void combine(TaskSums o) {
    if (o.sizes1.length > sizes1.length) {
      sizes1 = Arrays.copyOf(sizes1, o.sizes1.length);
      sizes2 = Arrays.copyOf(sizes2, o.sizes2.length);
    }
    for (int t = 0; t < o.sizes1.length; t++) {
      sizes1[t] += o.sizes1[t];
      sizes2[t] += o.sizes2[t];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += o.sums[i];
    }
    n += o.n;
  }

  @Override
  public void accept(RowBlock b) {
    if (kind == Kind.SIZES) {
      countTasks(b);
      return;
    }
    if (xs == null) {
      xs = new double[CHUNK * d];
      ts = new int[CHUNK];
      ys = new double[CHUNK];
      pre = new double[CHUNK * m];
      inS2 = new boolean[CHUNK];
      key = new double[d];
    }
    int want = kind == Kind.HEADS ? RoundSampling.S1 : RoundSampling.S2;
    boolean every = kind == Kind.EVALUATION && units;
    int gathered = 0;
    for (int r = 0; r < b.rows(); r++) {
      int xo = b.xOffset() + r * d;
      double y = b.y()[b.yOffset() + l * r];
      int t = l == 2 ? (int) b.y()[b.yOffset() + 2 * r + 1] : 0;
      if (t >= sampling.p1().length) {
        throw new IllegalArgumentException("task id " + t + " in row " + (b.firstRow() + r) + " was not seen when the "
            + "tasks were counted; the data changed between passes");
      }
      int slot = t - from; // the task's place in this pass's batch
      if (slot < 0 || slot >= heads.length) {
        if (every) { // not scored in this batch, but its units are counted
          gather(b.x(), xo, gathered, false, y, -1);
          if (++gathered == CHUNK) {
            flush(gathered);
            gathered = 0;
          }
        }
        continue;
      }
      int set;
      if (z == null) {
        set = sampling.membership(b.x(), xo, d, y, t);
      } else {
        z.hashKey(b.x(), xo, key);
        set = sampling.membership(key, 0, d, y, t);
      }
      if (kind == Kind.HEADS) {
        if ((set & RoundSampling.S1) != 0) {
          sizes1[slot]++;
        }
        if ((set & RoundSampling.S2) != 0) {
          sizes2[slot]++;
        }
      }
      if ((set & want) != 0 || every) {
        gather(b.x(), xo, gathered, (set & RoundSampling.S2) != 0, y, slot);
        if (++gathered == CHUNK) {
          flush(gathered);
          gathered = 0;
        }
      }
    }
    flush(gathered);
    n += b.rows();
  }

  /** Row {@code x[xo..]} (standardized when asked) into the chunk's place {@code i}, with its label and slot. */
  private void gather(double[] x, int xo, int i, boolean s2, double y, int slot) {
    if (z == null) {
      System.arraycopy(x, xo, xs, i * d, d);
    } else {
      z.standardize(x, xo, xs, i * d);
    }
    inS2[i] = s2;
    ys[i] = y;
    ts[i] = slot;
  }

  /** The chunk's pre-activations Wx + c, then its contribution to the sums. */
  private void flush(int rows) {
    if (rows == 0) {
      return;
    }
    Blas.current().multiplyByTranspose(xs, 0, d, rows, w, m, d, pre, 0, m);
    double scale = Features.scale(m);
    for (int i = 0; i < rows; i++) {
      if (kind == Kind.EVALUATION) {
        evaluate(i, scale);
        continue;
      }
      double[] b = heads[ts[i]];
      double f = Features.score(pre, i * m, c, b, m, scale);
      double g = loss.derivative(ys[i] * f) * ys[i];
      if (kind == Kind.HEADS) {
        int o = ts[i] * m;
        for (int j = 0; j < m; j++) {
          double p = pre[i * m + j];
          if (p > 0) {
            sums[o + j] += g * p * scale;
          }
        }
      } else {
        double gw = g * weights[ts[i]] * scale;
        for (int j = 0; j < m; j++) {
          pre[i * m + j] = pre[i * m + j] > 0 ? gw * b[j] : 0; // pre now holds the row's Δ
        }
      }
    }
    if (kind == Kind.REPRESENTATION) {
      Blas.current().accumulateOuterProducts(pre, 0, m, m, xs, 0, d, d, rows, sums, 0, d);
    }
  }

  /** One gathered row's loss and hit (when in S² of a task of the batch) and its units' firings (when counted). */
  private void evaluate(int i, double scale) {
    int tasks = heads.length;
    int t = ts[i];
    if (t >= 0 && inS2[i]) {
      double f = Features.score(pre, i * m, c, heads[t], m, scale); // pre now holds Wx + c
      sizes2[t]++;
      sums[t] += loss.value(ys[i] * f);
      sums[tasks + t] += (f >= 0 ? 1 : -1) == ys[i] ? 1 : 0; // sign(0) = +1, as Downstream scores
    } else {
      for (int j = 0; j < m; j++) {
        pre[i * m + j] += c[j];
      }
    }
    if (units) {
      for (int j = 0; j < m; j++) {
        if (pre[i * m + j] > 0) {
          sums[2 * tasks + j]++;
        }
      }
    }
  }

  private void countTasks(RowBlock b) {
    for (int r = 0; r < b.rows(); r++) {
      double y = b.y()[b.yOffset() + l * r];
      double task = l == 2 ? b.y()[b.yOffset() + 2 * r + 1] : 0;
      long row = b.firstRow() + r;
      if (y != 1 && y != -1) {
        throw new IllegalArgumentException("label y = " + y + " in row " + row + " is not −1 or +1; binary tasks "
            + "need labels ±1 (map 0/1 labels with 2y − 1)");
      }
      if (!(task >= 0) || task != Math.rint(task) || task > Integer.MAX_VALUE - 1) {
        throw new IllegalArgumentException("task id " + task + " in row " + row + " is not an integer in 0..T−1");
      }
      int t = (int) task;
      if (t >= sizes1.length) {
        sizes1 = Arrays.copyOf(sizes1, Math.max(t + 1, 2 * sizes1.length));
        sizes2 = Arrays.copyOf(sizes2, sizes1.length);
      }
      sizes1[t]++;
      if (y > 0) {
        sizes2[t]++;
      }
      Finite.require(b.x(), b.xOffset() + r * d, 1, d, row, "X");
    }
    n += b.rows();
  }
}
