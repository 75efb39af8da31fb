package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import org.junit.jupiter.api.Test;

/**
 * Pretraining on data as it comes: columns centered and scaled, the layer mapped back with its bias, so
 * that the units and offsets of the data do not matter; Bernoulli sets hashed on the raw rows.
 */
class StandardizedPretrainingTest {
  static final int D = 6;
  static final MultiTaskDataset DATA = DataParallelPretrainingTest.planted(D, 4, 250, 21).data();
  static final PretrainingOptions OPTIONS = PretrainingOptions.defaults(12).withRounds(4).withSamples(60, 80)
      .withThreads(2).withPrecision(PretrainingOptions.Precision.FLOAT64);

  /** DATA's inputs in other units and offsets per column: x·scale + offset. */
  static MultiTaskDataset inOtherUnits(double[] scale, double[] offset) {
    double[] x = DATA.x().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i] * scale[i % D] + offset[i % D];
    }
    return new MultiTaskDataset(DATA.n(), D, x, DATA.y(), DATA.task());
  }

  /** The rows of task t as a single-task dataset. */
  static MultiTaskDataset rowsOfTask(MultiTaskDataset data, int t) {
    int[] rows = data.rowsOf(t);
    double[] x = data.x();
    double[] y = data.y();
    double[] xs = new double[rows.length * D];
    double[] ys = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * D, xs, i * D, D);
      ys[i] = y[rows[i]];
    }
    return MultiTaskDataset.singleTask(rows.length, D, xs, ys);
  }

  /** Every unit's pre-activation w·x + c on every row of {@code data}. */
  static double[] preActivations(TwoLayerNet layer, MultiTaskDataset data) {
    double[] w = layer.W();
    double[] c = layer.bias();
    int m = layer.k();
    double[] out = new double[data.n() * m];
    for (int i = 0; i < data.n(); i++) {
      for (int j = 0; j < m; j++) {
        double p = c[j];
        for (int k = 0; k < D; k++) {
          p += w[j * D + k] * data.x()[i * D + k];
        }
        out[i * m + j] = p;
      }
    }
    return out;
  }

  @Test
  void theLayerIsTheSameFunctionOfTheRowsInAnyUnitsAndOffsets() {
    double[] scale = {3.7, 1e-4, 250, 0.5, 9, 1};
    double[] offset = {100, -5, 1e3, 16, 0, 8};
    MultiTaskDataset moved = inOtherUnits(scale, offset);
    Representation a = MultiTaskPretraining.fit(new PretrainingSource.Tasks(DATA, null), OPTIONS, Progress.NONE);
    Representation b = MultiTaskPretraining.fit(new PretrainingSource.Tasks(moved, null), OPTIONS, Progress.NONE);
    // Standardized, both runs see the same x' up to one rounding of the offsets (1e3 / spread 250: a few
    // 1e-16 relative), which four float64 rounds leave far below 1e-8 of the pre-activations' size.
    double[] pa = preActivations(a.network(), DATA);
    double[] pb = preActivations(b.network(), moved);
    assertThat(Matrices.maxRelativeDifference(pa, pb)).isLessThan(1e-8);
    // Not vacuous: on the raw columns the two runs learn different layers.
    double[] ra = preActivations(MultiTaskPretraining.fit(new PretrainingSource.Tasks(DATA, null),
        OPTIONS.withStandardize(false), Progress.NONE).network(), DATA);
    double[] rb = preActivations(MultiTaskPretraining.fit(new PretrainingSource.Tasks(moved, null),
        OPTIONS.withStandardize(false), Progress.NONE).network(), moved);
    assertThat(Matrices.maxRelativeDifference(ra, rb)).isGreaterThan(0.1);
  }

  @Test
  void bernoulliRunsAreTheSameBitsInMemoryStreamedAndForAnyThreadCount() {
    PretrainingOptions options = OPTIONS.withSampling(PretrainingOptions.Sampling.BERNOULLI);
    MultiTaskDataset moved = inOtherUnits(new double[] {3, 3, 3, 3, 3, 3}, new double[] {7, 7, 7, 7, 7, 7});
    TwoLayerNet inMemory = MultiTaskPretraining.fit(new PretrainingSource.Tasks(moved, null), options, Progress.NONE)
        .network();
    TwoLayerNet rows = MultiTaskPretraining.fit(new PretrainingSource.Rows(DataParallelPretraining.rows(moved)),
        options.withThreads(1), Progress.NONE).network();
    assertThat(rows.W()).containsExactly(inMemory.W());
    assertThat(rows.bias()).containsExactly(inMemory.bias());
  }

  @Test
  void bernoulliSetsFollowTheRawRowsNotTheRoundingOfTheMeansAndScales() {
    InputStandardization z = InputStandardization.of(DATA.x(), D);
    double[] mean = z.mean();
    double[] scale = z.scale();
    for (int c = 0; c < D; c++) { // another engine's sums: the last bit of μ and s moved
      mean[c] = Math.nextUp(mean[c]);
      scale[c] = Math.nextDown(scale[c]);
    }
    InputStandardization other = new InputStandardization(mean, scale, z.unit());
    long[] sizes = {250, 250, 250, 250};
    RoundSampling sets = RoundSampling.of(5, 0, sizes, 60, 80);
    TwoLayerNet w0 = MultiTaskPretraining.initialLayer(D, OPTIONS);
    double[][] heads = new double[4][12];
    try (LocalEngine engine = new LocalEngine(DataParallelPretraining.rows(DATA), 1, 256, Progress.NONE)) {
      HeadSums one = engine.aggregate(new HeadSums(D, 2, 12, w0.W(), w0.bias(), heads, sets, Loss.LOGISTIC, z, 0,
          Blas.Choice.AUTO), "");
      HeadSums two = engine.aggregate(new HeadSums(D, 2, 12, w0.W(), w0.bias(), heads, sets, Loss.LOGISTIC, other, 0, Blas.Choice.AUTO),
          "");
      assertThat(two.sizes()).containsExactly(one.sizes());
      assertThat(two.sizes2()).containsExactly(one.sizes2());
      // The sums over those rows move by the last bits of x' alone.
      assertThat(Matrices.maxRelativeDifference(one.sums(), two.sums())).isLessThan(1e-13);
    }
  }

  @Test
  void adaptationKeepsTheUnitsOfTheRepresentationFiringWhereTheyFired() {
    MultiTaskDataset moved = inOtherUnits(new double[] {2, 0.3, 5, 1, 4, 0.1}, new double[] {10, -3, 40, 6, 2, 1});
    Representation rep = MultiTaskPretraining.fit(new PretrainingSource.Tasks(moved, null), OPTIONS, Progress.NONE);
    MultiTaskDataset task = rowsOfTask(moved, 2);
    Downstream.Adapted adapted = Downstream.fit(rep, task, Downstream.AdaptationOptions.defaults());
    double[] pretrained = preActivations(rep.network(), task);
    double[] frozen = preActivations(adapted.network(), task);
    // Rows normalized with their biases: each unit's pre-activation divided by a positive norm, so its
    // sign, where the unit fires, is unchanged (the bias c − W μ kept as is would move every unit).
    for (int e = 0; e < pretrained.length; e++) {
      assertThat(Math.signum(frozen[e])).as("entry %d", e).isEqualTo(Math.signum(pretrained[e]));
    }
  }
}
