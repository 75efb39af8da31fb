package io.github.twolayer.multitask;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.pass.Accumulator;

/**
 * What the accumulators of a Bernoulli round share (docs/collins-method.md, "Sampling"): reading rows
 * (x; y, task) (rows with the label alone, l = 1, are all of task 0), deciding which of S¹ and S² each is
 * in ({@link RoundSampling}), gathering the wanted ones into chunks and taking their pre-activations W x
 * in one product per chunk. What is summed over a chunk is each subclass's: {@link HeadSums},
 * {@link RepresentationSums}, {@link EvaluationSums}.
 *
 * <p>With a standardization z, a row's sets are chosen by a hash of its raw values (in z's exact
 * power-of-two units, {@link InputStandardization#hashKey}) and its sums are taken at the standardized
 * x' = (x − μ) ⊙ s: the same sets on every engine however it rounds μ and s, whose last bits then move x'
 * alone. A pass may hold one batch of tasks (heads[s] is task from + s; rows of other tasks are skipped),
 * so that its sums do not grow with T.
 */
abstract class SampledRows<A extends SampledRows<A>> implements Accumulator<A> {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 256;

  final int d;
  final int l;             // outputs per row: 2 (label, task id) or 1 (label; one task)
  final int m;
  final double[] w;        // m×d
  final double[] c;        // m
  final double[][] heads;  // the batch's heads, heads[s] of task from + s
  final RoundSampling sampling;
  final Loss loss;
  final InputStandardization z; // null: the rows as they are
  final Blas.Choice blas;       // resolved where the blocks are summed (a cluster's worker, too)
  final int from;
  private final int wanted;     // RoundSampling.S1 or S2: the rows gathered
  private final boolean every;  // gather every row, whatever its task and sets
  long n;
  transient double[] xs;
  transient int[] ts;
  transient double[] ys;
  transient double[] pre;
  transient boolean[] inS2;
  private transient double[] key;

  SampledRows(int d, int l, int m, double[] w, double[] c, double[][] heads, RoundSampling sampling, Loss loss,
      InputStandardization z, int from, int wanted, boolean every, Blas.Choice blas) {
    this.d = d;
    this.l = l;
    this.m = m;
    this.w = w;
    this.c = c;
    this.heads = heads;
    this.sampling = sampling;
    this.loss = loss;
    this.z = z;
    this.from = from;
    this.wanted = wanted;
    this.every = every;
    this.blas = blas;
  }

  @Override
  public long count() {
    return n;
  }

  /** A row of the batch's task in slot {@code slot} is in the sets {@code set} (called for every such row). */
  void sampled(int slot, int set) {}

  /**
   * The chunk's {@code rows} gathered rows: {@code pre} holds their W x (no biases), {@code xs} the rows,
   * {@code ys} their labels, {@code ts} their slots (−1: a task outside the batch), {@code inS2} whether in S².
   */
  abstract void take(int rows, double scale);

  @Override
  public void accept(RowBlock b) {
    if (xs == null) {
      xs = new double[CHUNK * d];
      ts = new int[CHUNK];
      ys = new double[CHUNK];
      pre = new double[CHUNK * m];
      inS2 = new boolean[CHUNK];
      key = new double[d];
    }
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
        if (every) { // not scored in this batch, but gathered all the same
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
      sampled(slot, set);
      if ((set & wanted) != 0 || every) {
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

  private void flush(int rows) {
    if (rows == 0) {
      return;
    }
    blas.implementation().multiplyByTranspose(xs, 0, d, rows, w, m, d, pre, 0, m);
    take(rows, Features.scale(m));
  }
}
