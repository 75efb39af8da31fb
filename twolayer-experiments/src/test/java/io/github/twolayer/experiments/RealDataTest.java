package io.github.twolayer.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The real data sets ship in the jar with their documented shapes, and are prepared as the experiments say. */
class RealDataTest {
  @Test
  void theThreeDataSetsLoadFromTheClassPathWithTheirShapesAndLabels() {
    RealData.Table wine = RealData.load("wine");
    assertThat(wine.n()).isEqualTo(178);
    assertThat(wine.d()).isEqualTo(13);
    assertThat(wine.label()).isNull();
    RealData.Table cancer = RealData.load("breast-cancer");
    assertThat(cancer.n()).isEqualTo(569);
    assertThat(cancer.d()).isEqualTo(30);
    assertThat(Arrays.stream(cancer.label()).distinct().sorted().toArray()).containsExactly(0, 1);
    RealData.Table digits = RealData.load("digits");
    assertThat(digits.n()).isEqualTo(1797);
    assertThat(digits.d()).isEqualTo(64);
    assertThat(Arrays.stream(digits.label()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8,
        9);
    assertThat(digits.x()[2]).isEqualTo(5); // the first image's third pixel, as in the file
  }

  @Test
  void onlyTheColumnsThatNeverVaryAreDropped() {
    RealData.Table digits = RealData.load("digits");
    RealData.Table kept = digits.withoutConstantColumns();
    assertThat(kept.d()).isEqualTo(61); // pixels 0, 32 and 39 are blank in every image
    assertThat(kept.x()[1]).isEqualTo(digits.x()[2]); // column 1 is the old column 2
    RealData.Table wine = RealData.load("wine");
    assertThat(wine.withoutConstantColumns()).isSameAs(wine);
  }

  @Test
  void standardizedColumnsHaveMeanZeroAndUnitVariance() {
    RealData.Table wine = RealData.load("wine");
    double[] z = RealData.standardized(wine.x(), wine.n(), wine.d());
    double[] mean = RealData.means(z, wine.n(), wine.d());
    double[] second = RealData.secondMoment(z, wine.n(), wine.d());
    for (int p = 0; p < wine.d(); p++) {
      assertThat(mean[p]).isCloseTo(0, within(1e-12)); // rounding of 178 sums only
      assertThat(second[p * wine.d() + p]).isCloseTo(1, within(1e-12));
    }
  }
}
