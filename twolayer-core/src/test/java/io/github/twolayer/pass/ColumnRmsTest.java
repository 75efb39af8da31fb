package io.github.twolayer.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.ColumnScales;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.progress.Progress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The columns' root-mean-square, by an engine's passes and in memory, and the scales made from it. */
class ColumnRmsTest {
  @Test
  void anEngineReadingOneBlockGivesTheArraysRootMeanSquareBitForBit() {
    int n = 1000;
    int d = 3;
    Random rng = new Random(7);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian() * Math.pow(10, 3 * (i % d) - 3); // columns in units 1e-3, 1, 1e3
    }
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextGaussian();
    }
    Dataset data = new Dataset(n, d, 1, x, y);
    double[][] passes;
    try (LocalEngine engine = new LocalEngine(data, 1, n, Progress.NONE)) {
      passes = ColumnRms.of(engine);
    }
    // One block holds every row: the same additions in the same order as the array's two passes.
    assertThat(passes[0]).containsExactly(ColumnScales.rms(x, d));
    assertThat(passes[1]).containsExactly(ColumnScales.rms(y, 1));
    ColumnScaling scaling = data.rmsScaling();
    assertThat(scaling.sx()).containsExactly(ColumnScales.reciprocals(passes[0]));
    assertThat(scaling.sy()).containsExactly(ColumnScales.reciprocals(passes[1]));
  }

  @Test
  void rmsScalesRefuseANonFiniteValueNamingItsRowAndColumn() {
    double[] rows = {1, 2, Double.NaN, 4};
    assertThatThrownBy(() -> Dataset.rmsScales(rows, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1, column 0");
  }

  @Test
  void aScaledDatasetHasEveryColumnMultipliedByItsScale() {
    Dataset data = new Dataset(2, 2, 1, new double[] {1, 2, 3, 4}, new double[] {5, 6});
    Dataset scaled = data.scaled(new ColumnScaling(new double[] {2, 0.5}, new double[] {-1}));
    assertThat(scaled.X()).containsExactly(2, 1, 6, 2);
    assertThat(scaled.Y()).containsExactly(-5, -6);
    assertThat(data.X()).containsExactly(1, 2, 3, 4); // a copy: the original is unchanged
  }
}
