package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.NumpySource;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.EngineFactory;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.rng.simple.RandomSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moment sums as mergeable accumulators: the local engine's result does not depend on the thread
 * count at all (same bits), and splitting the samples differently changes only the order of additions,
 * within the bound of floating-point reassociation.
 */
class AccumulatorTest {
  private static final int D = 7;
  private static final int L = 4;
  private static final int N = 50_000;

  private static Dataset data() {
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(17);
    TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(D, 3, L), rng);
    return PlantedNetworks.sample(truth, Distributions.gaussian(D), N, 0.1, rng);
  }

  private static SecondMoments pass(Dataset data, int threads, int blockRows) {
    try (LocalEngine engine = new LocalEngine(data, threads, blockRows, Progress.NONE)) {
      return engine.aggregate(new SecondMoments(D, L, true, Blas.Choice.AUTO), "pass 1");
    }
  }

  @Test
  void theLocalEngineGivesTheSameBitsForAnyThreadCount() {
    Dataset data = data();
    double[] one = pass(data, 1, 1000).secondMoment();
    for (int threads : new int[] {2, 3, 5}) {
      assertThat(pass(data, threads, 1000).secondMoment()).as("%d threads", threads).containsExactly(one);
    }
  }

  @Test
  void aPipelinedPassOverAnNpzFileGivesTheSameBitsAndStopsAtTheFirstBadRow(@TempDir
      Path dir) throws IOException {
    Dataset data = data();
    Path file = dir.resolve("d.npz");
    NumpyWriter.writeNpz(file, Map.of(
        "X", NumpyWriter.Array.matrix(data.X(), N, D),
        "Y", NumpyWriter.Array.matrix(data.Y(), N, L)));
    var npz = NumpySource.npz(file);
    // 50 super-blocks of 8 × 125 rows: the source alternates its two buffers while the workers sum.
    assertThat(npz.blocksOutliveNextCall()).isTrue();
    double[] reference = pass(data, 1, 125).secondMoment();
    for (int threads : new int[] {1, 2, 3}) {
      try (LocalEngine engine = new LocalEngine(npz, threads, 125, Progress.NONE)) {
        assertThat(engine.aggregate(new SecondMoments(D, L, true, Blas.Choice.AUTO), "pass 1").secondMoment())
            .as("%d threads", threads).containsExactly(reference);
      }
    }
    // A NaN late in the file: the failure raised on a worker reaches the caller as the reader's message.
    double[] x = data.X().clone();
    x[41_234 * D + 5] = Double.NaN;
    NumpyWriter.writeNpz(file, Map.of(
        "X", NumpyWriter.Array.matrix(x, N, D),
        "Y", NumpyWriter.Array.matrix(data.Y(), N, L)));
    try (LocalEngine engine = new LocalEngine(NumpySource.npz(file), 2, 125, Progress.NONE)) {
      Assertions.assertThatThrownBy(() -> engine.aggregate(new SecondMoments(D, L, true, Blas.Choice.AUTO), "p"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("X has a non-finite value (NaN) at row 41234, column 5");
    }
  }

  @Test
  void anotherSplitOfTheSamplesDiffersOnlyByReassociation() {
    Dataset data = data();
    double[] byEngine = pass(data, 2, 1000).secondMoment();
    // One accumulator over everything, in a single block: a different summation order.
    SecondMoments single = new SecondMoments(D, L, true, Blas.Choice.AUTO);
    single.accept(new RowBlock(0, N, data.X(), 0, data.Y(), 0));
    // Three pieces of uneven length, combined: a third order, as a cluster would produce.
    SecondMoments a = new SecondMoments(D, L, true, Blas.Choice.AUTO);
    SecondMoments b = a.empty();
    SecondMoments c = a.empty();
    a.accept(new RowBlock(0, 123, data.X(), 0, data.Y(), 0));
    b.accept(new RowBlock(123, 30_000, data.X(), 123 * D, data.Y(), 123 * L));
    c.accept(new RowBlock(30_123, N - 30_123, data.X(), 30_123 * D, data.Y(), 30_123 * L));
    c.combine(a);
    c.combine(b);
    assertThat(c.count()).isEqualTo(N);
    for (double[] other : new double[][] {single.secondMoment(), c.secondMoment()}) {
      for (int i = 0; i < D; i++) {
        for (int j = 0; j < D; j++) {
          // Any order of summing N terms differs from another by at most 2(N−1)ε Σ|terms| (the
          // standard bound for recursive summation, taken twice), and Σ|x_i x_j| ≤ √(Σx_i² Σx_j²)
          // by Cauchy–Schwarz: the diagonal of E[xxᵀ] bounds every entry.
          double bound = 2.0 * (N - 1) * 0x1p-53 * Math.sqrt(byEngine[i * D + i] * byEngine[j * D + j]);
          assertThat(Math.abs(other[i * D + j] - byEngine[i * D + j])).isLessThanOrEqualTo(bound);
        }
      }
    }
    // Not vacuous: the orders really differ somewhere.
    assertThat(c.secondMoment()).isNotEqualTo(byEngine);
  }

  @Test
  void anAccumulatorTravelsAsItsSumsOnly() throws IOException, ClassNotFoundException {
    Dataset data = data();
    DetectorMoments zero = new DetectorMoments(D, L, null, D, identityColumns(L, 3),
        new double[3 * D], 3, true, Blas.Choice.AUTO);
    DetectorMoments used = zero.empty();
    used.accept(new RowBlock(0, 1000, data.X(), 0, data.Y(), 0));
    // Serialized as Spark ships it: the sums and parameters, not the scratch buffers.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(used);
    }
    int sums = (SymmetricPacking.size(3) + 1) * SymmetricPacking.size(D);
    assertThat(bytes.size()).isLessThan(8 * (sums + 4 * D * D) + 2000);
    DetectorMoments back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (DetectorMoments) in.readObject();
    }
    // The copy keeps accumulating exactly as the original does.
    back.accept(new RowBlock(1000, 1000, data.X(), 1000 * D, data.Y(), 1000 * L));
    used.accept(new RowBlock(1000, 1000, data.X(), 1000 * D, data.Y(), 1000 * L));
    assertThat(back.projectedTranspose()).containsExactly(used.projectedTranspose());
  }

  @Test
  void aSourceThatDeliversFewerRowsThanItAnnouncedIsRefused() {
    Dataset data = data();
    // A file truncated or rewritten while a pass reads it: it announces N rows but ends early.
    RowSource shrinking = new RowSource() {
      @Override
      public int d() {
        return D;
      }

      @Override
      public int l() {
        return L;
      }

      @Override
      public long n() {
        return N;
      }

      @Override
      public String description() {
        return "shrinking.npy";
      }

      @Override
      public void forEachBlock(int maxRows, BlockConsumer consumer) {
        consumer.accept(new RowBlock(0, 1000, data.X(), 0, data.Y(), 0));
      }
    };
    try (LocalEngine engine = new LocalEngine(shrinking, 2, 256, Progress.NONE)) {
      Assertions.assertThatThrownBy(() -> engine.aggregate(new SecondMoments(D, L, false, Blas.Choice.AUTO), "p"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("shrinking.npy announced 50000 rows but delivered 1000");
    }
    Assertions.assertThatThrownBy(() -> EngineFactory.named("flink"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flink engine is not on the class path");
  }

  private static double[] identityColumns(int rows, int cols) {
    double[] q = new double[rows * cols];
    for (int i = 0; i < cols; i++) {
      q[i * cols + i] = 1;
    }
    return q;
  }
}
