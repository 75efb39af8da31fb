package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A representation exported as ONNX computes the features that adapting fits its last layer on. */
class OnnxFeaturesTest {
  @TempDir
  Path tmp;

  @Test
  void anExportedRepresentationComputesInOnnxRuntimeTheFeaturesAdaptingUses() throws Exception {
    int d = 6;
    int m = 5;
    int n = 40;
    Random rng = new Random(11);
    double[] w = new double[m * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextGaussian() * (1 + i / d); // rows of norms from ~2 to ~12: not unit rows
    }
    Arrays.fill(w, 2 * d, 3 * d, 0); // a unit with a zero row: its feature is relu(c)/√m
    double[] c = {0.5, -0.25, 0.75, 0.1, -1};
    TwoLayerNet rep = new TwoLayerNet(d, m, 0, w, null, c);
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    Path f = tmp.resolve("rep.onnx");
    new ModelFile(rep, Map.of(), Map.of()).write(f);
    double[] expected = Features.of(rep.withUnitRows(), x, n, Blas.Choice.AUTO.implementation()); // as Downstream computes them

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    double[] got;
    try (OrtSession session = env.createSession(f.toString(), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, DoubleBuffer.wrap(x), new long[] {n, d});
        OrtSession.Result result = session.run(Map.of("x", input))) {
      assertThat(session.getOutputNames()).containsExactly("features");
      DoubleBuffer out = ((OnnxTensor) result.get(0)).getDoubleBuffer();
      got = new double[out.remaining()];
      out.get(got);
    }
    assertThat(got).hasSize(n * m);
    double scale = Arrays.stream(expected).max().orElseThrow();
    assertThat(scale).isGreaterThan(0.1);
    int active = 0;
    for (int i = 0; i < got.length; i++) {
      // float64 on both sides; the graph divides by ‖w_i‖ after the product, Features divides the row
      // first: a few units of 2^-53 times d apart, far below 1e-12 of the largest feature. A missing
      // per-unit factor would be off by ‖w_i‖ (2 to 12), a scalar 1/√m alone by as much.
      assertThat(got[i]).as("feature %d", i).isCloseTo(expected[i], within(1e-12 * scale));
      active += expected[i] > 0 ? 1 : 0;
    }
    assertThat(active).isBetween(n, n * m - n); // both sides of every relu are exercised
    // And the file reads back as the representation, bit for bit.
    assertThat(ModelFile.read(f).network()).isEqualTo(rep);
  }
}
