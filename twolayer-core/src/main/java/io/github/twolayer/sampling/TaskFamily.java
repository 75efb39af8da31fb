package io.github.twolayer.sampling;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.ColumnScales;
import io.github.twolayer.linalg.Matrices;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The binary tasks of Collins et al. (2024), docs/collins-method.md ("Tasks"): x ~ N(0, I_d), and every label depends
 * on x only through its projection Mᵀx onto an unknown r-dimensional subspace (M: d×r, orthonormal
 * columns). Task t draws its own parameters; {@link #label} evaluates y_t(x) ∈ {−1, +1}.
 */
public final class TaskFamily {
  /** The kinds of task (docs/collins-method.md, "Tasks"). */
  public enum Kind {
    /** sign(a_tᵀ Mᵀ x), a_t uniform on the unit sphere of R^r (the default). */
    HALFSPACE("halfspace"),
    /** sign(a_tᵀ Mᵀ x + β_t), β_t ~ N(0, 0.25). */
    BIASED_HALFSPACE("biased-halfspace"),
    /** sign(Σ_j v_tj relu(u_tjᵀ Mᵀ x + c_tj)), a random r-dimensional ReLU teacher of width 2r. */
    RELU_TEACHER("relu-teacher");

    public final String label;

    Kind(String label) {
      this.label = label;
    }

    public static Kind of(String name) {
      for (Kind k : values()) {
        if (k.label.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown task family '" + name
          + "': use halfspace, biased-halfspace or relu-teacher");
    }
  }

  private final int d;
  private final int r;
  private final double[] m; // d×r
  private final Kind kind;
  private final double labelNoise;

  private TaskFamily(int d, int r, double[] m, Kind kind, double labelNoise) {
    this.d = d;
    this.r = r;
    this.m = m;
    this.kind = kind;
    this.labelNoise = labelNoise;
  }

  /** A family with a fresh subspace M (QR of a Gaussian matrix, drawn from {@code rng}). */
  public static TaskFamily draw(int d, int r, Kind kind, double labelNoise, UniformRandomProvider rng) {
    return of(d, r, Matrices.randomOrthogonal(rng, d, r), kind, labelNoise);
  }

  /** A family on a given subspace M (d×r, orthonormal columns). */
  public static TaskFamily of(int d, int r, double[] m, Kind kind, double labelNoise) {
    if (d <= 0 || r <= 0 || r > d) {
      throw new IllegalArgumentException("d = " + d + ", r = " + r + ": need 0 < r ≤ d");
    }
    if (m.length != d * r) {
      throw new IllegalArgumentException("M must hold d×r = " + d * r + " numbers, got " + m.length);
    }
    if (!(labelNoise >= 0 && labelNoise < 0.5)) {
      throw new IllegalArgumentException("--label-noise = " + labelNoise + " must be in [0, 0.5)");
    }
    return new TaskFamily(d, r, m.clone(), kind, labelNoise);
  }

  public int d() {
    return d;
  }

  public int r() {
    return r;
  }

  /** The subspace basis M, d×r row-major. */
  public double[] basis() {
    return m.clone();
  }

  public Kind kind() {
    return kind;
  }

  public double labelNoise() {
    return labelNoise;
  }

  /** One task: its parameters in the r-dimensional latent space. */
  public record Task(double[] direction, double offset, double[] teacherIn, double[] teacherBias, double[] teacherOut) {}

  /** Draws the parameters of a new task. */
  public Task drawTask(UniformRandomProvider rng) {
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] a = unit(g, r);
    return switch (kind) {
      case HALFSPACE -> new Task(a, 0, null, null, null);
      case BIASED_HALFSPACE -> new Task(a, 0.5 * g.sample(), null, null, null);
      case RELU_TEACHER -> {
        int width = 2 * r;
        double[] in = new double[width * r];
        double[] bias = new double[width];
        double[] out = new double[width];
        for (int j = 0; j < width; j++) {
          double[] u = unit(g, r);
          System.arraycopy(u, 0, in, j * r, r);
          bias[j] = 0.5 * g.sample();
          out[j] = g.sample();
        }
        // Center the teacher so that both labels occur: subtract its value at the origin.
        double atZero = 0;
        for (int j = 0; j < width; j++) {
          atZero += out[j] * Math.max(0, bias[j]);
        }
        yield new Task(null, -atZero, in, bias, out);
      }
    };
  }

  private static double[] unit(ContinuousSampler g, int r) {
    double[] a = new double[r];
    double norm = 0;
    while (norm == 0) {
      norm = 0;
      for (int i = 0; i < r; i++) {
        a[i] = g.sample();
        norm += a[i] * a[i];
      }
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < r; i++) {
      a[i] /= norm;
    }
    return a;
  }

  /** The noiseless label y_t(x) for x at {@code x[off..off+d)}; sign(0) = +1. */
  public double label(Task task, double[] x, int off) {
    double[] z = new double[r];
    for (int p = 0; p < d; p++) {
      double xp = x[off + p];
      for (int i = 0; i < r; i++) {
        z[i] += m[p * r + i] * xp;
      }
    }
    double score;
    if (kind == Kind.RELU_TEACHER) {
      score = task.offset();
      for (int j = 0; j < task.teacherOut().length; j++) {
        double pre = task.teacherBias()[j];
        for (int i = 0; i < r; i++) {
          pre += task.teacherIn()[j * r + i] * z[i];
        }
        score += task.teacherOut()[j] * Math.max(0, pre);
      }
    } else {
      score = task.offset();
      for (int i = 0; i < r; i++) {
        score += task.direction()[i] * z[i];
      }
    }
    return score >= 0 ? 1 : -1;
  }

  /**
   * Fills {@code rows} samples of a task: x ~ N(0, I_d) into {@code x[xOff..]}, labels (with label
   * noise: flipped with probability {@link #labelNoise()}) into {@code y[yOff..]}. For the halfspace
   * kinds the score a_tᵀMᵀx + β_t is one dot product with v = M a_t, computed once per call; the
   * random stream is consumed exactly as {@link #label} row by row would (d Gaussians, then the flip).
   */
  public void sample(Task task, UniformRandomProvider rng, int rows, double[] x, int xOff, double[] y, int yOff) {
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] v = kind != Kind.RELU_TEACHER ? direction(task) : null;
    for (int i = 0; i < rows; i++) {
      int o = xOff + i * d;
      for (int p = 0; p < d; p++) {
        x[o + p] = g.sample();
      }
      double label = v != null ? (dot(v, x, o) + task.offset() >= 0 ? 1 : -1) : label(task, x, o);
      y[yOff + i] = withLabelNoise(label, rng);
    }
  }

  /** {@code label} flipped with probability {@link #labelNoise} (one draw of {@code rng} when there is noise). */
  private double withLabelNoise(double label, UniformRandomProvider rng) {
    if (labelNoise > 0 && rng.nextDouble() < labelNoise) {
      return -label;
    }
    return label;
  }

  /**
   * As {@link #sample} with the inputs picked from {@code pool} (rows of d values, e.g. {@link
   * #standardizedRows} of a user's data) uniformly with replacement instead of drawn from N(0, I_d); the
   * labels are the task's, with the family's label noise.
   */
  public void sampleRows(Task task, double[] pool, UniformRandomProvider rng, int rows, double[] x, int xOff,
      double[] y, int yOff) {
    int n = pool.length / d;
    for (int i = 0; i < rows; i++) {
      System.arraycopy(pool, rng.nextInt(n) * d, x, xOff + i * d, d);
      y[yOff + i] = withLabelNoise(label(task, x, xOff + i * d), rng);
    }
  }

  /**
   * The rows (n×d) with each column centered and scaled to root-mean-square 1 (a copy), the law the
   * family assumes of its inputs; a column that is constant is refused.
   */
  public static double[] standardizedRows(double[] rows, int n, int d) {
    double[] out = Distributions.centered(rows, n, d);
    double[] scale = Dataset.rmsScales(out, d);
    ColumnScales.scaleColumns(out, 0, n, scale, out);
    for (int c = 0; c < d; c++) {
      boolean constant = true;
      for (int r = 0; r < n && constant; r++) {
        constant = out[r * d + c] == 0;
      }
      if (constant) {
        throw new IllegalArgumentException("column " + c + " of the inputs is constant: it carries no direction for "
            + "the tasks; drop it");
      }
    }
    return out;
  }

  /**
   * {@link #sample} straight into float rows of stride {@code stride} (d inputs, then a 1 in column d):
   * the same random stream, the same doubles rounded to float, and the same labels (each row is kept in
   * double for {@link #dot}), without a whole double array in between. Only for the halfspace
   * kinds; false (nothing written) for the others, which the caller then samples in double.
   */
  public boolean sampleFloat(Task task, UniformRandomProvider rng, int rows, float[] x, int xOff, int stride,
      float[] y, int yOff) {
    if (kind == Kind.RELU_TEACHER) {
      return false;
    }
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    double[] v = direction(task);
    double[] row = new double[d]; // one row in double: the label is the same dot product as in sample()
    for (int i = 0; i < rows; i++) {
      int o = xOff + i * stride;
      for (int p = 0; p < d; p++) {
        row[p] = g.sample();
        x[o + p] = (float) row[p];
      }
      x[o + d] = 1f;
      double label = dot(v, row, 0) + task.offset() >= 0 ? 1 : -1;
      y[yOff + i] = (float) withLabelNoise(label, rng);
    }
    return true;
  }

  /** v = M a_t: the halfspace direction in input coordinates. */
  private double[] direction(Task task) {
    double[] v = new double[d];
    for (int p = 0; p < d; p++) {
      double s = 0;
      for (int i = 0; i < r; i++) {
        s += m[p * r + i] * task.direction()[i];
      }
      v[p] = s;
    }
    return v;
  }

  /** vᵀx over d coordinates with four independent partial sums (four times the throughput of one chain). */
  private double dot(double[] v, double[] x, int off) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int p = 0;
    for (; p + 4 <= d; p += 4) {
      s0 = Math.fma(v[p], x[off + p], s0);
      s1 = Math.fma(v[p + 1], x[off + p + 1], s1);
      s2 = Math.fma(v[p + 2], x[off + p + 2], s2);
      s3 = Math.fma(v[p + 3], x[off + p + 3], s3);
    }
    for (; p < d; p++) {
      s0 = Math.fma(v[p], x[off + p], s0);
    }
    return (s0 + s1) + (s2 + s3);
  }
}
