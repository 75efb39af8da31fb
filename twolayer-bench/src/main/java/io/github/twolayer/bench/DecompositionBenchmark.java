package io.github.twolayer.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EJML against ojAlgo on the dense decompositions the method of moments runs on the driver: the SVD
 * of the detector matrix (s2+… × m2 = 55 × 1275 at d = 50, k = 10 without input reduction, 55 × 55 with
 * it) and the symmetric eigen-decomposition of E[xxᵀ] (d = 50). This benchmark chose the library.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecompositionBenchmark {
  DMatrixRMaj wide;
  DMatrixRMaj square;
  DMatrixRMaj symmetric;
  R064Store oWide;
  R064Store oSquare;
  R064Store oSymmetric;

  @Setup
  public void setUp() {
    Random r = new Random(2);
    wide = random(r, 55, 1275);
    square = random(r, 55, 55);
    DMatrixRMaj g = random(r, 50, 50);
    symmetric = new DMatrixRMaj(50, 50);
    CommonOps_DDRM.multTransA(g, g, symmetric);
    oWide = copy(wide);
    oSquare = copy(square);
    oSymmetric = copy(symmetric);
  }

  static DMatrixRMaj random(Random r, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = r.nextGaussian();
    }
    return m;
  }

  static R064Store copy(DMatrixRMaj m) {
    R064Store s = R064Store.FACTORY.make(m.numRows, m.numCols);
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        s.set(i, j, m.get(i, j));
      }
    }
    return s;
  }

  @Benchmark
  public Object ejmlSvdWide() {
    var svd = DecompositionFactory_DDRM.svd(55, 1275, true, true, true);
    svd.decompose(wide.copy());
    return svd.getU(null, false);
  }

  @Benchmark
  public Object ojalgoSvdWide() {
    SingularValue<Double> svd = SingularValue.R064.make(oWide);
    svd.decompose(oWide);
    return svd.getU();
  }

  @Benchmark
  public Object ejmlSvdSquare() {
    var svd = DecompositionFactory_DDRM.svd(55, 55, true, true, true);
    svd.decompose(square.copy());
    return svd.getV(null, false);
  }

  @Benchmark
  public Object ojalgoSvdSquare() {
    SingularValue<Double> svd = SingularValue.R064.make(oSquare);
    svd.decompose(oSquare);
    return svd.getV();
  }

  @Benchmark
  public Object ejmlSymmetricEigen() {
    var eig = DecompositionFactory_DDRM.eig(50, true, true);
    eig.decompose(symmetric.copy());
    return eig.getEigenVector(0);
  }

  @Benchmark
  public Object ojalgoSymmetricEigen() {
    Eigenvalue<Double> eig = Eigenvalue.R064.make(oSymmetric, true);
    eig.decompose(oSymmetric);
    return eig.getV();
  }
}
