package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import java.io.IOException;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** The one recovery entry point: how each kind of source is run, and the caching rule of {@link RecoverySource#of}. */
class RecoverySourceTest {

  private static Dataset planted() {
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(11);
    TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(5, 3, 4), rng);
    return PlantedNetworks.sample(truth, Distributions.gaussian(5), 20_000, 0.1, rng);
  }

  /** Rows of {@code data} behind a plain source (no arrays to reach), announcing {@code n} rows. */
  private static RowSource file(Dataset data, long n) {
    return new RowSource() {
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
        return n;
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
  }

  @Test
  void aDatasetIsUsedInMemory() {
    Dataset data = planted();
    assertThat(RecoverySource.of(data)).isEqualTo(new RecoverySource.InMemory(data));
  }

  @Test
  void rowsThatFitTheHeapAreCachedAndRowsThatDoNotAreStreamed() {
    Dataset data = planted();
    assertThat(RecoverySource.of(file(data, data.n()))).isInstanceOf(RecoverySource.Cached.class)
        .extracting(s -> ((RecoverySource.Cached) s).rows()).isInstanceOf(CachingSource.class);
    // 10¹¹ rows of 9 values are 7 TB: far beyond any test heap (the rule is 0.4 of it), so they stream.
    RowSource huge = file(data, 100_000_000_000L);
    assertThat(RecoverySource.of(huge)).isEqualTo(new RecoverySource.Streamed(huge));
  }

  @Test
  void everyKindOfSourceGivesTheSameBitsAndNamesItsSamples() {
    Dataset data = planted();
    RecoveryOptions options = RecoveryOptions.defaults(3).withThreads(2);
    Recovery inMemory = MomentRecovery.fit(new RecoverySource.InMemory(data), options, Progress.NONE);
    Recovery streamed = MomentRecovery.fit(new RecoverySource.Streamed(file(data, data.n())), options, Progress.NONE);
    Recovery cached = MomentRecovery.fit(RecoverySource.of(file(data, data.n())), options, Progress.NONE);
    Recovery passes;
    try (LocalEngine engine = new LocalEngine(data, 2, LocalEngine.blockRowsFor(5, 4), Progress.NONE)) {
      passes = MomentRecovery.fit(new RecoverySource.Passes(engine), options, Progress.NONE);
    }
    assertThat(streamed.network()).isEqualTo(inMemory.network());
    assertThat(cached.network()).isEqualTo(inMemory.network());
    assertThat(passes.network()).isEqualTo(inMemory.network());
    assertThat(streamed.data()).isEqualTo("rows.bin");
    assertThat(cached.data()).isEqualTo("rows.bin");
    assertThat(inMemory.data()).isEqualTo(data.description());
  }

  @Test
  void autoKThroughTheEntryPointChoosesK() {
    Recovery r = MomentRecovery.fit(RecoverySource.of(planted()), RecoveryOptions.defaults(RecoveryOptions.AUTO_K),
        Progress.NONE);
    assertThat(r.diagnostics().kSelected()).isEqualTo(3);
  }

  @Test
  void anEngineThatIsNotOnTheClassPathIsRefusedWithTheWayToGetIt() {
    var cluster = new RecoverySource.Cluster("no-such-engine", null, "data.parquet", null, null);
    assertThatThrownBy(() -> MomentRecovery.fit(cluster, RecoveryOptions.defaults(3), Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-engine engine is not on the class path");
  }
}
