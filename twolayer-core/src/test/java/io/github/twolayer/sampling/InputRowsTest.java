package io.github.twolayer.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** A user's rows as inputs: centered for symmetrization, standardized and picked for task families. */
class InputRowsTest {

  @Test
  void centeringSubtractsEachColumnsMeanFromACopy() {
    double[] rows = {1, 10, 3, 20, 5, 60}; // 3 rows, 2 columns: means 3 and 30, exact in binary
    double[] centered = Distributions.centered(rows, 3, 2);
    assertThat(centered).containsExactly(-2, -20, 0, -10, 2, 30);
    assertThat(rows).containsExactly(1, 10, 3, 20, 5, 60);
  }

  @Test
  void standardizedRowsHaveMeanZeroAndRootMeanSquareOne() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(3);
    int n = 500;
    int d = 3;
    double[] rows = new double[n * d];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = 7 + (i % d + 1) * 100 * rng.nextDouble(); // offsets and scales of every size
    }
    double[] z = TaskFamily.standardizedRows(rows, n, d);
    for (int c = 0; c < d; c++) {
      double sum = 0;
      double sumSq = 0;
      for (int r = 0; r < n; r++) {
        sum += z[r * d + c];
        sumSq += z[r * d + c] * z[r * d + c];
      }
      // Rounding of 500 terms of size about 1: far below 1e-9.
      assertThat(sum / n).isCloseTo(0, within(1e-9));
      assertThat(Math.sqrt(sumSq / n)).isCloseTo(1, within(1e-9));
    }
  }

  @Test
  void aConstantColumnIsRefused() {
    double[] rows = {1, 5, 2, 5, 3, 5};
    assertThatThrownBy(() -> TaskFamily.standardizedRows(rows, 3, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column 1 of the inputs is constant: it carries no direction for the tasks; drop it");
  }

  @Test
  void rowsArePickedFromThePoolAndLabelledByTheTask() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(4);
    TaskFamily family = TaskFamily.draw(4, 2, TaskFamily.Kind.HALFSPACE, 0, rng);
    TaskFamily.Task task = family.drawTask(rng);
    double[] pool = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
    int n = 200;
    double[] x = new double[n * 4];
    double[] y = new double[n];
    family.sampleRows(task, pool, rng, n, x, 0, y, 0);
    for (int i = 0; i < n; i++) {
      double[] row = Arrays.copyOfRange(x, i * 4, i * 4 + 4);
      assertThat(row).isIn(new double[] {1, 0, 0, 0}, new double[] {0, 1, 0, 0}, new double[] {0, 0, 1, 0});
      assertThat(y[i]).isEqualTo(family.label(task, x, i * 4));
    }
  }

  @Test
  void labelNoiseOfPickedRowsFlipsTheRequestedShare() {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(5);
    double[] basis = TaskFamily.draw(3, 1, TaskFamily.Kind.HALFSPACE, 0, rng).basis();
    TaskFamily clean = TaskFamily.of(3, 1, basis, TaskFamily.Kind.HALFSPACE, 0);
    TaskFamily noisy = TaskFamily.of(3, 1, basis, TaskFamily.Kind.HALFSPACE, 0.25);
    TaskFamily.Task task = clean.drawTask(rng);
    double[] pool = new double[300];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = rng.nextDouble() - 0.5;
    }
    int n = 40_000;
    double[] x = new double[n * 3];
    double[] y = new double[n];
    noisy.sampleRows(task, pool, rng, n, x, 0, y, 0);
    int flipped = 0;
    for (int i = 0; i < n; i++) {
      flipped += y[i] != clean.label(task, x, i * 3) ? 1 : 0;
    }
    // Binomial(40 000, 0.25): standard deviation of the share 0.0022; 0.015 is about 7 of them.
    assertThat(flipped / (double) n).isCloseTo(0.25, within(0.015));
  }
}
