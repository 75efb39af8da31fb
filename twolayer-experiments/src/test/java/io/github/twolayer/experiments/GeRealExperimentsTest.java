package io.github.twolayer.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** ge-real's teachers, and the check that turns its rows into a verdict. */
class GeRealExperimentsTest {
  static double teacherAngle(String data, String inputs, long seed) {
    GeRealExperiments.Inputs in = GeRealExperiments.inputs(RealData.load(data), inputs);
    TwoLayerNet t = GeRealExperiments.teacher(RealData.NAMES.indexOf(data), in.d(), seed);
    return Diagnostics.mostParallelUnits(t.W(), t.k(), t.d(), in.covariance()).angleDegrees();
  }

  @Test
  void rawColumnsOfVeryDifferentScalesPutTheSameTeachersUnitsWithinAFewDegrees() {
    for (long seed = 0; seed < 5; seed++) {
      // Proline (wine) and the areas (breast cancer) dominate the raw variance: every unit sees them only.
      assertThat(teacherAngle("wine", "raw", seed)).isLessThan(5);
      assertThat(teacherAngle("breast-cancer", "raw", seed)).isLessThan(Diagnostics.WARNED_UNIT_ANGLE_DEGREES);
      for (String data : RealData.NAMES) {
        assertThat(teacherAngle(data, "standardized", seed)).as(data).isGreaterThan(30);
      }
      assertThat(teacherAngle("digits", "raw", seed)).isGreaterThan(30); // pixels share one scale
    }
  }

  @Test
  void theSquareRootOfTheCovarianceSquaresBackToIt() {
    GeRealExperiments.Inputs in = GeRealExperiments.inputs(RealData.load("wine"), "standardized");
    int d = in.d();
    double[] r = in.sqrtCovariance();
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double v = 0;
        for (int c = 0; c < d; c++) {
          v += r[i * d + c] * r[c * d + j];
        }
        assertThat(v).isCloseTo(in.covariance()[i * d + j], Assertions.within(1e-9));
      }
    }
  }

  /** Rows of one case at one n for 2 seeds, with the given errors and, for recoveries, warnings. */
  static List<Row> runs(String c, int n, double angle, double[] errors, int[] warned) {
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < errors.length; s++) {
      Map<String, Object> p = GeExperiments.params("data", c, "inputs", "x", "case", c, "n", n);
      rows.add(new Row("ge-real", p, s, "w_error", errors[s], 0));
      rows.add(new Row("ge-real", p, s, "whitened_w_error", errors[s], 0));
      rows.add(new Row("ge-real", p, s, "min_unit_angle", angle, 0));
      rows.add(new Row("ge-real", p, s, "refused", warned[s] < 0 ? 1 : 0, 0));
      if (warned[s] >= 0) {
        rows.add(new Row("ge-real", p, s, "warned_parallel", warned[s], 0));
      }
    }
    return rows;
  }

  @Test
  void theCheckNeedsFallingErrorsWhereUnitsStandApartAndWarnedFailuresWhereTheyDoNot() {
    Experiment e = GeRealExperiments.real();
    List<Row> good = new ArrayList<>();
    good.addAll(runs("apart", 10_000, 50, new double[] {0.1, 0.1}, new int[] {0, 0}));
    good.addAll(runs("apart", 100_000, 50, new double[] {0.03, 0.03}, new int[] {0, 0}));
    good.addAll(runs("parallel", 10_000, 2, new double[] {1, 0.9}, new int[] {-1, 1}));
    good.addAll(runs("parallel", 100_000, 2, new double[] {1, 1}, new int[] {-1, -1}));
    assertThat(e.check(good, true).holds()).as(e.check(good, true).reason()).isTrue();
    assertThat(e.check(good, true).reason()).contains("parallel (units 2.0° apart): 3 of 4 runs refused; of the 1 "
        + "recovered, 1 wrong (W error above 0.5) and 1 warned of nearly parallel units");

    List<Row> silent = new ArrayList<>(good);
    silent.removeIf(r -> r.parameter("case").equals("parallel") && r.parameter("n").equals("10000"));
    silent.addAll(runs("parallel", 10_000, 2, new double[] {1, 0.9}, new int[] {-1, 0})); // wrong without a word
    assertThat(e.check(silent, true).holds()).isFalse();
    assertThat(e.check(silent, true).reason()).endsWith("not as claimed for parallel.");

    List<Row> flat = new ArrayList<>(good);
    flat.removeIf(r -> r.parameter("case").equals("apart") && r.parameter("n").equals("100000"));
    flat.addAll(runs("apart", 100_000, 50, new double[] {0.1, 0.1}, new int[] {0, 0})); // does not fall
    assertThat(e.check(flat, true).holds()).isFalse();
    // The full grid wants the 1/√n rate, not a mere fall: 0.1 → 0.07 over a decade is too slow.
    List<Row> slow = new ArrayList<>(good);
    slow.removeIf(r -> r.parameter("case").equals("apart") && r.parameter("n").equals("100000"));
    slow.addAll(runs("apart", 100_000, 50, new double[] {0.07, 0.07}, new int[] {0, 0}));
    assertThat(e.check(slow, true).holds()).isTrue();
    assertThat(e.check(slow, false).holds()).isFalse();
  }
}
