package io.github.twolayer.bench;

import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.linalg.TiledProducts;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ojalgo.matrix.store.R064Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's matrix-multiply rate, N×N by N×N (2N³ flops), measured with the same JVM and cores as
 * the moment pass: twolayer's own kernel on all cores, EJML (one thread and concurrent) and ojAlgo.
 * The fastest is the "DGEMM rate" that the moment pass is compared with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DgemmBenchmark {
  @Param({"1024"})
  public int size;

  double[] a;
  double[] b;
  double[] c;
  Parallel parallel;
  DMatrixRMaj ea;
  DMatrixRMaj eb;
  DMatrixRMaj ec;
  R064Store oa;
  R064Store ob;
  R064Store oc;

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(1);
    a = new double[size * size];
    b = new double[size * size];
    c = new double[size * size];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
      b[i] = r.nextGaussian();
    }
    parallel = Parallel.allCores();
    ea = DMatrixRMaj.wrap(size, size, a);
    eb = DMatrixRMaj.wrap(size, size, b);
    ec = new DMatrixRMaj(size, size);
    oa = R064Store.FACTORY.make(size, size);
    ob = R064Store.FACTORY.make(size, size);
    oc = R064Store.FACTORY.make(size, size);
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        oa.set(i, j, a[i * size + j]);
        ob.set(i, j, b[i * size + j]);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  /** Flops of one operation. */
  public static double flops(int size) {
    return 2.0 * size * size * size;
  }

  /** C += AᵀB with twolayer's kernel (A is read as the transposed left factor: same flops). */
  @Benchmark
  public double twolayerKernelAllCores() {
    Arrays.fill(c, 0);
    new TiledProducts(parallel).accumulateOuterProducts(a, 0, size, size, b, 0, size, size, size, c, size);
    return c[7];
  }

  @Benchmark
  public double ejmlOneThread() {
    CommonOps_DDRM.mult(ea, eb, ec);
    return ec.data[7];
  }

  @Benchmark
  public double ejmlConcurrent() {
    CommonOps_MT_DDRM.mult(ea, eb, ec);
    return ec.data[7];
  }

  @Benchmark
  public double ojalgo() {
    oc.fillByMultiplying(oa, ob);
    return oc.doubleValue(7);
  }
}
