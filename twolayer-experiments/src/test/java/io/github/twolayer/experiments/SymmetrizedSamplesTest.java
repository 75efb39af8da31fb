package io.github.twolayer.experiments;

import io.github.twolayer.linalg.Blas;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.PlantedNetworks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Samples of a teacher on the symmetrized law of a few rows, made block by block. */
class SymmetrizedSamplesTest {
  static final double[] ROWS = {1, 2, -3, 0.5, 4, 1, -2, -1, 0};
  static final TwoLayerNet TEACHER = PlantedNetworks.draw(PlantedNetworks.Shape.of(3, 2, 2), Seeds.root(3));

  static List<double[]> read(SymmetrizedSamples s, int blockRows) {
    double[] x = new double[(int) s.n() * 3];
    double[] y = new double[(int) s.n() * 2];
    s.scan(blockRows, b -> {
      System.arraycopy(b.x(), b.xOffset(), x, (int) b.firstRow() * 3, b.rows() * 3);
      System.arraycopy(b.y(), b.yOffset(), y, (int) b.firstRow() * 2, b.rows() * 2);
    });
    return List.of(x, y);
  }

  @Test
  void everyPassReadsTheSameSamplesWhateverItsBlockSize() {
    SymmetrizedSamples s = new SymmetrizedSamples(ROWS, 3, TEACHER, 1000, 0.1, Blas.Choice.JAVA, 1, 2);
    List<double[]> small = read(s, 7);
    List<double[]> large = read(s, 4096);
    assertThat(small.get(0)).containsExactly(large.get(0));
    assertThat(small.get(1)).containsExactly(large.get(1));
  }

  @Test
  void eachSampleIsARowOrItsNegationWithTheTeachersOutputs() {
    SymmetrizedSamples s = new SymmetrizedSamples(ROWS, 3, TEACHER, 4000, 0, Blas.Choice.JAVA, 1, 3);
    List<double[]> xy = read(s, 100);
    double[] x = xy.get(0);
    int positive = 0;
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      int match = -1;
      for (int r = 0; r < 3 && match < 0; r++) {
        for (int sign : new int[] {1, -1}) {
          if (x[i * 3] == sign * ROWS[r * 3] && x[i * 3 + 1] == sign * ROWS[r * 3 + 1]
              && x[i * 3 + 2] == sign * ROWS[r * 3 + 2]) {
            match = r;
            positive += sign > 0 ? 1 : 0;
          }
        }
      }
      assertThat(match).as("sample %d is ± a row", i).isNotNegative();
      if (!seen.contains(match)) {
        seen.add(match);
      }
    }
    assertThat(xy.get(1)).containsExactly(TEACHER.predict(x, 0, 4000));
    assertThat(seen).hasSize(3);
    // Half the signs positive: 2000 ± 32 (one standard deviation), so 1800..2200 is over 6 of them.
    assertThat(positive).isBetween(1800, 2200);
  }
}
