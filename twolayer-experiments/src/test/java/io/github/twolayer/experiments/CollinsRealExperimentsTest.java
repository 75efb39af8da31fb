package io.github.twolayer.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** collins-digits' tasks: the split of pairs and images, the draws, the pixel baseline and the check. */
class CollinsRealExperimentsTest {
  static final RealData.Table DIGITS = RealData.load("digits").withoutConstantColumns();

  @Test
  void nineOfTheFortyFivePairsAreHeldOutAndNoHeldOutImageIsPretrainedOn() {
    CollinsRealExperiments.Split s = CollinsRealExperiments.split(DIGITS, 3);
    Set<String> pairs = new HashSet<>();
    s.heldOutPairs().forEach(p -> pairs.add(p[0] + "v" + p[1]));
    s.pretrainPairs().forEach(p -> pairs.add(p[0] + "v" + p[1]));
    assertThat(s.heldOutPairs()).hasSize(9);
    assertThat(s.pretrainPairs()).hasSize(36);
    assertThat(pairs).hasSize(45);
    for (int digit = 0; digit < 10; digit++) {
      Set<Integer> rows = new HashSet<>();
      for (int r : s.pretrainRows()[digit]) {
        rows.add(r);
      }
      for (int r : s.heldOutRows()[digit]) {
        assertThat(rows.add(r)).as("row %d in both halves", r).isTrue();
      }
      for (int r : rows) {
        assertThat(DIGITS.label()[r]).isEqualTo(digit);
      }
      assertThat(Math.abs(s.pretrainRows()[digit].length - s.heldOutRows()[digit].length)).isLessThanOrEqualTo(1);
    }
    // Another seed holds out other pairs.
    assertThat(CollinsRealExperiments.split(DIGITS, 4).heldOutPairs().get(0))
        .isNotEqualTo(s.heldOutPairs().get(0));
  }

  @Test
  void aPretrainingTaskIsItsFirstDigitAgainstItsSecond() {
    CollinsRealExperiments.Split s = CollinsRealExperiments.split(DIGITS, 0);
    MultiTaskDataset tasks = CollinsRealExperiments.pretrainingTasks(s);
    assertThat(tasks.tasks()).isEqualTo(36);
    int[] pair = s.pretrainPairs().get(7);
    int[] rows = tasks.rowsOf(7);
    assertThat(rows).hasSize(s.pretrainRows()[pair[0]].length + s.pretrainRows()[pair[1]].length);
    int plus = 0;
    for (int r : rows) {
      plus += tasks.y()[r] > 0 ? 1 : 0;
    }
    assertThat(plus).isEqualTo(s.pretrainRows()[pair[0]].length);
  }

  @Test
  void aDrawIsBalancedAndTheTestIsTheRestOfThePairsHeldOutImages() {
    CollinsRealExperiments.Split s = CollinsRealExperiments.split(DIGITS, 0);
    int[] pair = s.heldOutPairs().get(0);
    int total = s.heldOutRows()[pair[0]].length + s.heldOutRows()[pair[1]].length;
    for (boolean extraToFirst : new boolean[] {true, false}) {
      CollinsRealExperiments.PairSamples d = CollinsRealExperiments.draw(s, pair, 5,
          Seeds.generator(Seeds.Stream.DOWNSTREAM_SAMPLES, 1), extraToFirst);
      int plus = 0;
      for (double y : d.train().y()) {
        plus += y > 0 ? 1 : 0;
      }
      assertThat(plus).isEqualTo(extraToFirst ? 3 : 2);
      assertThat(d.testN()).isEqualTo(total - 5);
      Set<String> train = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        train.add(Arrays.toString(Arrays.copyOfRange(d.train().x(), i * DIGITS.d(),
            (i + 1) * DIGITS.d())));
      }
      int overlap = 0;
      for (int i = 0; i < d.testN(); i++) {
        overlap += train.contains(Arrays.toString(Arrays.copyOfRange(d.testX(), i * DIGITS.d(),
            (i + 1) * DIGITS.d()))) ? 1 : 0;
      }
      // Distinct images may share their pixels; the test set holds none of the drawn rows themselves.
      assertThat(overlap).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void thePixelLayerHandsTheHeadThePixelsAndAConstant() {
    TwoLayerNet layer = CollinsRealExperiments.pixels(DIGITS.d()).withUnitRows();
    double[] h = new double[DIGITS.d() + 1];
    layer.hidden(DIGITS.x(), 0, 1, h, io.github.twolayer.linalg.Blas.Choice.AUTO.implementation());
    for (int p = 0; p < DIGITS.d(); p++) {
      assertThat(h[p]).isEqualTo(DIGITS.x()[p]);
    }
    assertThat(h[DIGITS.d()]).isEqualTo(1);
  }

  static List<Row> rows(double multi, double logistic, double random, double single, double raw) {
    List<Row> rows = new ArrayList<>();
    Object[][] values = {{CollinsRealExperiments.MULTI_STANDARDIZED, multi}, {CollinsRealExperiments.LOGISTIC, logistic},
        {CollinsRealExperiments.RANDOM, random}, {CollinsRealExperiments.SINGLE_STANDARDIZED, single},
        {CollinsRealExperiments.MULTI_RAW, raw}};
    for (Object[] v : values) {
      rows.add(new Row("collins-digits", GeExperiments.params("features", v[0], "N", CollinsRealExperiments.CLAIMED_N), 0, "accuracy", (double) v[1],
          0));
    }
    return rows;
  }

  @Test
  void theCheckWantsPretrainedFeaturesAtLogisticRegressionsLevelAboveTheOthersAndRawPretrainingAtChance() {
    Experiment e = CollinsRealExperiments.digits();
    assertThat(e.check(rows(0.975, 0.98, 0.96, 0.95, 0.5), false).holds()).isTrue();
    assertThat(e.check(rows(0.965, 0.98, 0.96, 0.95, 0.5), false).holds()).isFalse(); // 0.015 behind
    assertThat(e.check(rows(0.965, 0.98, 0.96, 0.95, 0.5), true).holds()).isTrue(); // quick: 0.02 allowed
    assertThat(e.check(rows(0.975, 0.98, 0.976, 0.95, 0.5), false).holds()).isFalse(); // random features ahead
    assertThat(e.check(rows(0.975, 0.98, 0.96, 0.95, 0.9), false).holds()).isFalse(); // raw pretraining works
    assertThat(e.check(rows(0.5, 0.98, 0.96, 0.95, 0.5), false).reason())
        .contains("Not as claimed at N = 10: standardized multi-task (0.500)");
  }
}
