package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.linalg.NativeBlas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** The BLAS of a recovery is one of its options, recorded in its provenance. */
class BlasOptionTest {

  private static Dataset planted() {
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(21);
    TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(6, 3, 4), rng);
    return PlantedNetworks.sample(truth, Distributions.gaussian(6), 20_000, 0.1, rng);
  }

  @Test
  void theJavaKernelsAreRecordedAndGiveTheSameBitsForAnyThreadCount() {
    Dataset data = planted();
    RecoveryOptions java = RecoveryOptions.defaults(3).withBlas(Blas.Choice.JAVA);
    Recovery one = MomentRecovery.fit(new RecoverySource.InMemory(data), java.withThreads(1), Progress.NONE);
    Recovery two = MomentRecovery.fit(new RecoverySource.InMemory(data), java.withThreads(2), Progress.NONE);
    assertThat(two.network()).isEqualTo(one.network());
    assertThat(one.provenance()).containsEntry("blas", "java").doesNotContainKey("blas_note");
  }

  @Test
  void autoRecordsTheImplementationThatRanAndAgreesWithTheJavaKernels() {
    Dataset data = planted();
    Recovery auto = MomentRecovery.fit(new RecoverySource.InMemory(data),
        RecoveryOptions.defaults(3).withBlas(Blas.Choice.AUTO), Progress.NONE);
    Recovery java = MomentRecovery.fit(new RecoverySource.InMemory(data),
        RecoveryOptions.defaults(3).withBlas(Blas.Choice.JAVA), Progress.NONE);
    assertThat(auto.provenance().get("blas")).isEqualTo(NativeBlas.available() ? NativeBlas.instance().name() : "java");
    assertThat(auto.provenance().containsKey("blas_note")).isEqualTo(!NativeBlas.available());
    // Only the order of summation differs between the kernels: relative differences of rounding size,
    // amplified by the decompositions' conditioning (the CLI's tests accept 1e-8 likewise).
    assertThat(Matrices.maxRelativeDifference(auto.network().W(), java.network().W())).isLessThan(1e-8);
  }

  @Test
  void theDefaultIsThePropertyReadWhenTheOptionsAreMade() {
    String before = System.getProperty(Blas.PROPERTY);
    try {
      System.setProperty(Blas.PROPERTY, "java");
      RecoveryOptions options = RecoveryOptions.defaults(3);
      System.setProperty(Blas.PROPERTY, "auto"); // later changes do not reach options already made
      assertThat(options.blas()).isEqualTo(Blas.Choice.JAVA);
      System.setProperty(Blas.PROPERTY, "fortran");
      assertThatThrownBy(() -> RecoveryOptions.defaults(3)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--blas fortran is not a BLAS: use native, java or auto");
    } finally {
      if (before == null) {
        System.clearProperty(Blas.PROPERTY);
      } else {
        System.setProperty(Blas.PROPERTY, before);
      }
    }
  }
}
