package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir
  Path tmp;

  @Test
  void aModelRoundTripsBitForBit() throws IOException {
    TwoLayerNet net = PlantedNetworks.draw(PlantedNetworks.Shape.of(7, 3, 4),
        RandomSource.XO_RO_SHI_RO_128_PP.create(1));
    Path f = tmp.resolve("m.json");
    new ModelFile(net, Map.of("seed", 1), Map.of("detector_gap", Double.POSITIVE_INFINITY, "x", 0.1)).write(f);
    ModelFile back = ModelFile.read(f);
    assertThat(back.network()).isEqualTo(net); // equals compares every double exactly
    assertThat(back.diagnostics()).containsEntry("detector_gap", null).containsEntry("x", 0.1);
    String text = Files.readString(f);
    assertThat(text).contains("\"format\" : \"twolayer-model\"").contains("\"bias\" : null");
  }

  @Test
  void aRepresentationWithoutAAndWithBiasRoundTrips() throws IOException {
    TwoLayerNet rep = new TwoLayerNet(2, 2, 0, new double[] {1, 2, 3, 4}, null, new double[] {0.5, -0.5});
    Path f = tmp.resolve("r.json");
    new ModelFile(rep, Map.of(), Map.of()).write(f);
    assertThat(ModelFile.read(f).network()).isEqualTo(rep);
  }

  @Test
  void modelsAsNpzRoundTripBitForBitWithTheirProvenance() throws IOException {
    TwoLayerNet net = PlantedNetworks.draw(PlantedNetworks.Shape.of(7, 3, 4),
        RandomSource.XO_RO_SHI_RO_128_PP.create(2));
    Path f = tmp.resolve("m.npz");
    new ModelFile(net, Map.of("seed", 2), Map.of("rank_snr", 12.5)).write(f);
    ModelFile back = ModelFile.read(f);
    assertThat(back.network()).isEqualTo(net);
    assertThat(back.provenance()).containsEntry("seed", 2);
    assertThat(back.diagnostics()).containsEntry("rank_snr", 12.5);
    TwoLayerNet rep = new TwoLayerNet(2, 2, 0, new double[] {1, 2, 3, 4}, null, new double[] {0.5, -0.5});
    Path r = tmp.resolve("r.npz");
    new ModelFile(rep, Map.of(), Map.of()).write(r);
    assertThat(ModelFile.read(r).network()).isEqualTo(rep);
  }

  @Test
  void anNpzWithJustWAndAReadsAsANetworkAndBadOnesAreNamed() throws IOException {
    // As NumPy's np.savez(path, W=W, A=A) writes it: no model.json member.
    Path plain = tmp.resolve("teacher.npz");
    NumpyWriter.writeNpz(plain, Map.of("W", NumpyWriter.Array.matrix(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
        "A", NumpyWriter.Array.matrix(new double[] {1, -1}, 1, 2)));
    TwoLayerNet t = ModelFile.read(plain).network();
    assertThat(t.d()).isEqualTo(3);
    assertThat(t.k()).isEqualTo(2);
    assertThat(t.l()).isEqualTo(1);
    assertThat(t.W()).containsExactly(1, 2, 3, 4, 5, 6);
    Path noW = tmp.resolve("nw.npz");
    NumpyWriter.writeNpz(noW, Map.of("X", NumpyWriter.Array.matrix(new double[] {1}, 1, 1)));
    assertThatThrownBy(() -> ModelFile.read(noW)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no 2-D array 'W' (it holds [X])");
    Path mismatch = tmp.resolve("mm.npz");
    NumpyWriter.writeNpz(mismatch, Map.of("W", NumpyWriter.Array.matrix(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
        "A", NumpyWriter.Array.matrix(new double[] {1, 2, 3}, 1, 3)));
    assertThatThrownBy(() -> ModelFile.read(mismatch)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A must be l×k");
    Path nan = tmp.resolve("nan.npz");
    NumpyWriter.writeNpz(nan, Map.of("W", NumpyWriter.Array.matrix(new double[] {1, Double.NaN}, 1, 2)));
    assertThatThrownBy(() -> ModelFile.read(nan)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(nan + ": W[0][1] is NaN; every weight must be a finite number");
    Path junk = tmp.resolve("junk.npz");
    Files.writeString(junk, "not a zip");
    assertThatThrownBy(() -> ModelFile.read(junk)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a readable .npz archive");
  }

  @Test
  void brokenModelFilesAreNamed() throws IOException {
    Path f = tmp.resolve("bad.json");
    Files.writeString(f, "{\"format\": \"twolayer-model\", \"version\": 1, \"d\": 2, \"k\"");
    assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
    Files.writeString(f, "{\"format\": \"other\"}");
    assertThatThrownBy(() -> ModelFile.read(f)).hasMessageContaining("not a twolayer model file");
    Files.writeString(f, "{\"format\": \"twolayer-model\", \"version\": 1, \"d\": 2, \"k\": 1, \"l\": 1, "
        + "\"W\": [[1, 2, 3]], \"A\": [[1]]}");
    assertThatThrownBy(() -> ModelFile.read(f)).hasMessageContaining("row 0 of \"W\" must hold 2 numbers");
  }

  @Test
  void writingIntoAMissingFolderFailsWithoutLeavingAFile() {
    TwoLayerNet net = TwoLayerNet.of(1, 1, 1, new double[] {1}, new double[] {1});
    Path target = tmp.resolve("no/such/dir/m.json");
    assertThatThrownBy(() -> new ModelFile(net, Map.of(), Map.of()).write(target))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    assertThat(Files.exists(target)).isFalse();
  }
}
