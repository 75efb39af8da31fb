package io.github.twolayer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import java.io.IOException;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** Spectral + fine-tune on a recovery source: the samples are loaded here, so engines are refused. */
class SpectralFineTuneSourceTest {
  // Few iterations: these tests are about where the samples come from, not about the fit.
  private static final GradientDescent.TrainingOptions TUNING = GradientDescent.TrainingOptions.defaults(3)
      .withMaxIterations(5).withThreads(2);

  private static Dataset planted() {
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(11);
    var truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(5, 3, 4), rng);
    return PlantedNetworks.sample(truth, Distributions.gaussian(5), 20_000, 0.1, rng);
  }

  @Test
  void theSamplesOfAnEngineAreRefusedBecauseTrainingNeedsThemHere() {
    var cluster = new RecoverySource.Cluster("spark", null, "data.parquet", null, null);
    assertThatThrownBy(() -> SpectralFineTune.fit(cluster, RecoveryOptions.defaults(3), TUNING, true, Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--refine trains on the samples in memory: run it with the local engine");
    Dataset data = planted();
    try (LocalEngine engine = new LocalEngine(data, 1, 1024, Progress.NONE)) {
      assertThatThrownBy(() -> SpectralFineTune.fit(new RecoverySource.Passes(engine), RecoveryOptions.defaults(3),
          TUNING, true, Progress.NONE)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void streamedRowsAreLoadedAndTunedAsTheSameSamplesInMemory() {
    Dataset data = planted();
    RowSource rows = new RowSource() {
      @Override
      public int d() {
        return data.d();
      }

      @Override
      public int l() {
        return data.l();
      }

      @Override
      public long n() {
        return data.n();
      }

      @Override
      public String description() {
        return "rows.bin";
      }

      @Override
      public void forEachBlock(int maxRows, BlockConsumer consumer) throws IOException {
        data.forEachBlock(maxRows, consumer);
      }
    };
    RecoveryOptions spectral = RecoveryOptions.defaults(3).withThreads(2);
    SpectralFineTune.Result streamed = SpectralFineTune.fit(new RecoverySource.Streamed(rows), spectral, TUNING, true,
        Progress.NONE);
    SpectralFineTune.Result inMemory = SpectralFineTune.fit(data, spectral, TUNING, data.rmsScaling(), Progress.NONE);
    assertThat(streamed.network()).isEqualTo(inMemory.network());
    assertThat(streamed.spectral().data()).isEqualTo("rows.bin");
    assertThat(inMemory.spectral().data()).isEqualTo(data.description());
  }
}
