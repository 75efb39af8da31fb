package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.CsvSource;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.NumpySource;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same samples give the same model bits whether they are held in memory, streamed from .npy/.npz
 * or CSV block by block, or cached on the first pass: every pass is a sum over the same blocks in the
 * same order, so nothing but the storage differs.
 */
class StreamingRecoveryTest {
  @TempDir
  Path tmp;

  @Test
  void streamedCachedAndInMemorySourcesGiveTheSameBits() throws IOException {
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(4);
    TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(6, 3, 4), rng);
    Dataset data = PlantedNetworks.sample(truth, Distributions.cube(6), 30_000, 0.1, rng);
    RecoveryOptions options = RecoveryOptions.defaults(3).withBlockRows(1000);
    TwoLayerNet inMemory = MomentRecovery.fit(data, options).network();

    Path npz = tmp.resolve("d.npz");
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(data.X(), data.size(), 6));
    arrays.put("Y", NumpyWriter.Array.matrix(data.Y(), data.size(), 4));
    NumpyWriter.writeNpz(npz, arrays);
    Path x = tmp.resolve("x.npy");
    Path y = tmp.resolve("y.npy");
    NumpyWriter.writeNpy(x, arrays.get("X"));
    NumpyWriter.writeNpy(y, arrays.get("Y"));
    Path csv = tmp.resolve("d.csv");
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
      w.println("x0,x1,x2,x3,x4,x5,y0,y1,y2,y3");
      for (int r = 0; r < data.size(); r++) {
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < 6; j++) {
          line.append(j == 0 ? "" : ",").append(data.X()[r * 6 + j]);
        }
        for (int j = 0; j < 4; j++) {
          line.append(',').append(data.Y()[r * 4 + j]); // Double.toString round-trips exactly
        }
        w.println(line);
      }
    }

    RowSource cached = CachingSource.of(NumpySource.npz(npz));
    for (RowSource source : new RowSource[] {NumpySource.npz(npz), NumpySource.npyPair(x, y),
        CsvSource.open(csv, null, null), cached}) {
      assertThat(MomentRecovery.fit(source, options).network()).as(source.description()).isEqualTo(inMemory);
    }
    // The cached source's second use reads from memory and still agrees.
    assertThat(MomentRecovery.fit(cached, options).network()).isEqualTo(inMemory);
  }
}
