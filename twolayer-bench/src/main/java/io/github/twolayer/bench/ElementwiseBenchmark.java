package io.github.twolayer.bench;

import io.github.twolayer.linalg.Elementwise;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The library's element-wise loops of the detector pass and the hidden layer against the variants
 * tried and dropped (docs/performance.md, "Element-wise loops"): the packing of q = vec(x̃ x̃ᵀ) and of
 * the reflected z (one chunk of 512 samples at k = dd = 10) a row at a time (the library), four rows
 * per sweep, and written out in one method; relu by the sign bit (the library) and as {@code Math.max}.
 * Default JVM flags; {@code -jvmArgsAppend -XX:TieredStopAtLevel=1} gives the client compiler.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ElementwiseBenchmark {
  private static final double SQRT2 = Math.sqrt(2);

  @Param({"10"})
  public int dd;

  @Param({"512"})
  public int chunk;

  double[] xt;
  double[] yp;
  double[] px;
  double[] qm;
  double[] zm;
  double[] pre;
  double[] hidden;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    xt = gaussian(r, dd * chunk);
    yp = gaussian(r, dd * chunk);
    px = gaussian(r, dd * chunk);
    qm = new double[dd * (dd + 1) / 2 * chunk];
    zm = new double[dd * (dd + 1) / 2 * chunk];
    pre = gaussian(r, dd * chunk);
    hidden = new double[pre.length];
  }

  private static double[] gaussian(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }

  /** q four rows per sweep: x̃_p's weighted value loaded once for four products (dropped). */
  @Benchmark
  public double[] packQFourRows() {
    int row = 0;
    for (int p = 0; p < dd; p++) {
      Elementwise.scaledProduct(qm, row * chunk, 1, xt, p * chunk, xt, p * chunk, chunk);
      int c = p + 1;
      for (; c + 4 <= dd; c += 4) {
        int o = (row + c - p) * chunk;
        int b = c * chunk;
        for (int i = 0; i < chunk; i++) {
          double v = SQRT2 * xt[p * chunk + i];
          qm[o + i] = v * xt[b + i];
          qm[o + chunk + i] = v * xt[b + chunk + i];
          qm[o + 2 * chunk + i] = v * xt[b + 2 * chunk + i];
          qm[o + 3 * chunk + i] = v * xt[b + 3 * chunk + i];
        }
      }
      for (; c < dd; c++) {
        Elementwise.scaledProduct(qm, (row + c - p) * chunk, SQRT2, xt, p * chunk, xt, c * chunk, chunk);
      }
      row += dd - p;
    }
    return qm;
  }

  /** The library's q, one packed row (p, c) at a time: w·x̃_p·x̃_c, w = 1 on the diagonal and √2 off it. */
  @Benchmark
  public double[] packQRowByRow() {
    int row = 0;
    for (int p = 0; p < dd; p++) {
      for (int c = p; c < dd; c++) {
        Elementwise.scaledProduct(qm, row++ * chunk, p == c ? 1 : SQRT2, xt, p * chunk, xt, c * chunk, chunk);
      }
    }
    return qm;
  }

  /** q with the loops written out in one method, as the formula reads. */
  @Benchmark
  public double[] packQInline() {
    int row = 0;
    for (int p = 0; p < dd; p++) {
      for (int c = p; c < dd; c++, row++) {
        double w = p == c ? 1 : SQRT2;
        for (int i = 0; i < chunk; i++) {
          qm[row * chunk + i] = w * xt[p * chunk + i] * xt[c * chunk + i];
        }
      }
    }
    return qm;
  }

  /** z four rows per sweep: y'_a and r_a loaded once for four rows (dropped). */
  @Benchmark
  public double[] packZFourRows() {
    int row = 0;
    double w = SQRT2 * 0.5;
    for (int a = 0; a < dd; a++) {
      int ya = a * chunk;
      Elementwise.scaledSymmetricProduct(zm, row * chunk, 0.5, yp, px, ya, ya, chunk);
      int c = a + 1;
      for (; c + 4 <= dd; c += 4) {
        int o = (row + c - a) * chunk;
        int b = c * chunk;
        for (int i = 0; i < chunk; i++) {
          double u = yp[ya + i];
          double v = px[ya + i];
          zm[o + i] = w * (u * px[b + i] + yp[b + i] * v);
          zm[o + chunk + i] = w * (u * px[b + chunk + i] + yp[b + chunk + i] * v);
          zm[o + 2 * chunk + i] = w * (u * px[b + 2 * chunk + i] + yp[b + 2 * chunk + i] * v);
          zm[o + 3 * chunk + i] = w * (u * px[b + 3 * chunk + i] + yp[b + 3 * chunk + i] * v);
        }
      }
      for (; c < dd; c++) {
        Elementwise.scaledSymmetricProduct(zm, (row + c - a) * chunk, w, yp, px, ya, c * chunk, chunk);
      }
      row += dd - a;
    }
    return zm;
  }

  /** The library's z, one packed row (a, c) at a time: w·(y'_a r_c + y'_c r_a), w = ½ on the diagonal and √2/2 off it. */
  @Benchmark
  public double[] packZRowByRow() {
    int row = 0;
    for (int a = 0; a < dd; a++) {
      for (int c = a; c < dd; c++) {
        Elementwise.scaledSymmetricProduct(zm, row++ * chunk, a == c ? 0.5 : SQRT2 * 0.5, yp, px, a * chunk, c * chunk,
            chunk);
      }
    }
    return zm;
  }

  /** z with the loops written out in one method. */
  @Benchmark
  public double[] packZInline() {
    int row = 0;
    for (int a = 0; a < dd; a++) {
      for (int c = a; c < dd; c++, row++) {
        double w = a == c ? 0.5 : SQRT2 * 0.5;
        for (int i = 0; i < chunk; i++) {
          zm[row * chunk + i] = w * (yp[a * chunk + i] * px[c * chunk + i] + yp[c * chunk + i] * px[a * chunk + i]);
        }
      }
    }
    return zm;
  }

  /** The library's relu, by the sign bit (after a copy, as every caller overwrites pre-activations). */
  @Benchmark
  public double[] reluSignBit() {
    System.arraycopy(pre, 0, hidden, 0, pre.length);
    Elementwise.relu(hidden, 0, hidden.length);
    return hidden;
  }

  /** relu as {@code Math.max(v, 0.0)}: the same values (−0 and negatives to +0, NaN kept). */
  @Benchmark
  public double[] reluMathMax() {
    System.arraycopy(pre, 0, hidden, 0, pre.length);
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = Math.max(hidden[i], 0.0);
    }
    return hidden;
  }
}
