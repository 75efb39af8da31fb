package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models as ONNX through the command line: every command that writes a model writes .onnx when the
 * name says so, every one that reads a model reads it, and networks exported by PyTorch
 * (src/test/resources/teacher, written by its make_onnx_teacher.py with torch.onnx.export) plant data
 * or are refused in one line.
 */
class OnnxCliTest {
  @TempDir
  Path dir;

  private Path fixture(String name) throws IOException {
    Path f = dir.resolve(name);
    try (InputStream in = OnnxCliTest.class.getResourceAsStream("/teacher/" + name)) {
      Files.copy(in, f);
    }
    return f;
  }

  @Test
  void recoverWritesOnnxThatEvaluateScoresAgainstTheTruth() throws IOException {
    Path data = dir.resolve("data.npz");
    Path truthJson = dir.resolve("truth.json");
    Result g = run("generate", "planted", "--d", 8, "--k", 3, "--l", 4, "--dist", "gaussian", "--n", 100_000,
        "--seed", 4, "--out", data, "--truth", truthJson);
    assertThat(g.code()).as(g.err()).isZero();
    Path model = dir.resolve("m.onnx");
    Result r = run("recover", "--data", data, "--k", 3, "--out", model, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    // The same run written as JSON: the .onnx holds the same network (recover is deterministic for a
    // seed), provenance but for the time taken, and diagnostics.
    Path json = dir.resolve("m.json");
    assertThat(run("recover", "--data", data, "--k", 3, "--out", json).code()).isZero();
    ModelFile m = ModelFile.read(model);
    ModelFile j = ModelFile.read(json);
    assertThat(m.network()).isEqualTo(j.network());
    Map<String, Object> onnxProvenance = new HashMap<>(m.provenance());
    Map<String, Object> jsonProvenance = new HashMap<>(j.provenance());
    assertThat(onnxProvenance.remove("seconds")).isInstanceOf(Double.class);
    jsonProvenance.remove("seconds");
    assertThat(onnxProvenance).isEqualTo(jsonProvenance).containsEntry("seed", 1).containsEntry("k", 3);
    assertThat(m.diagnostics()).isEqualTo(j.diagnostics()).containsKeys("detector_gap", "k_evidence");

    Result e = run("evaluate", "--model", model, "--truth", truthJson, "--data", data, "--json");
    assertThat(e.code()).as(e.err()).isZero();
    // Gaussian inputs, d = 8, k = 3, n = 10⁵, no noise: the recovered rows are within a few hundredths.
    assertThat(e.json().get("w_error").asDouble()).isLessThan(0.1);
    assertThat(e.json().get("mse").isNumber()).isTrue();

    // The truth as .onnx is the same network as the truth as JSON, bit for bit.
    Path truthOnnx = dir.resolve("truth.onnx");
    Result g2 = run("generate", "planted", "--d", 8, "--k", 3, "--l", 4, "--dist", "gaussian", "--n", 1000,
        "--seed", 4, "--out", dir.resolve("small.npz"), "--truth", truthOnnx);
    assertThat(g2.code()).as(g2.err()).isZero();
    assertThat(ModelFile.read(truthOnnx).network()).isEqualTo(ModelFile.read(truthJson).network());
    Result e2 = run("evaluate", "--model", model, "--truth", truthOnnx, "--json");
    assertThat(e2.code()).as(e2.err()).isZero();
    assertThat(e2.json().get("w_error").asDouble()).isEqualTo(e.json().get("w_error").asDouble());
  }

  @Test
  void aPyTorchExportPlantsTheNetworkItHolds() throws IOException {
    Path teacher = fixture("teacher-torch.onnx");
    Path truth = dir.resolve("truth.json");
    Result g = run("generate", "planted", "--teacher", teacher, "--dist", "cube", "--n", 20_000, "--seed", 2,
        "--out", dir.resolve("data.npz"), "--truth", truth);
    assertThat(g.code()).as(g.err()).isZero();
    // The same weights saved by NumPy as W (k×d) and A (l×k): the MatMul's transposed initializers read
    // in twolayer's orientation, and float32 widens exactly, so the networks are equal bit for bit.
    TwoLayerNet expected = ModelFile.read(fixture("teacher-torch.npz")).network();
    assertThat(expected.d()).isEqualTo(12);
    assertThat(ModelFile.read(teacher).network()).isEqualTo(expected);
    assertThat(ModelFile.read(truth).network()).isEqualTo(expected);
  }

  @Test
  void aPyTorchExportTheMethodCannotUseIsOneLineWithExit2() throws IOException {
    Path out = dir.resolve("d.npz");
    Path truth = dir.resolve("t.json");
    Result bias = run("generate", "planted", "--teacher", fixture("teacher-torch-bias.onnx"), "--out", out,
        "--truth", truth);
    assertThat(bias.code()).isEqualTo(2);
    assertThat(bias.err().strip().lines()).hasSize(1);
    assertThat(bias.err()).contains("teacher-torch-bias.onnx has a first-layer bias");
    Path sigmoid = fixture("teacher-torch-sigmoid.onnx");
    Result s = run("generate", "planted", "--teacher", sigmoid, "--out", out, "--truth", truth);
    assertThat(s.code()).isEqualTo(2);
    assertThat(s.err().strip().lines()).hasSize(1);
    assertThat(s.err()).contains(sigmoid + ": node 2 (/1/Sigmoid) is Sigmoid; twolayer reads A·relu(W x) graphs: "
        + "Gemm → Relu → Gemm");
    Result e = run("evaluate", "--model", sigmoid, "--data", out);
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.err()).contains("is Sigmoid");
    assertThat(Files.exists(out)).isFalse();
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model, but text");
    Result j = run("evaluate", "--model", junk, "--truth", truth);
    assertThat(j.code()).isEqualTo(2);
    assertThat(j.err().strip().lines()).hasSize(1);
    assertThat(j.err()).contains(junk.toString());
  }

  @Test
  void pretrainAdaptAndTrainWriteAndReadOnnx() throws IOException {
    Path rep = dir.resolve("rep.onnx");
    Result p = run("pretrain", "--online", "--d", 10, "--r", 2, "--tasks", 4, "--width", 16, "--rounds", 2, "--out",
        rep);
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(ModelFile.read(rep).network().l()).isZero();
    Result spectrum = run("evaluate", "--model", rep, "--json");
    assertThat(spectrum.code()).as(spectrum.err()).isZero();
    assertThat(spectrum.json().get("singular_values")).hasSize(10);

    Path task = dir.resolve("task.npz");
    Result t = run("generate", "multitask", "--d", 10, "--r", 2, "--tasks", 1, "--n-per-task", 400, "--out", task,
        "--truth", dir.resolve("task.json"));
    assertThat(t.code()).as(t.err()).isZero();
    Path adapted = dir.resolve("adapted.onnx");
    Result a = run("adapt", "--model", rep, "--data", task, "--out", adapted);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(ModelFile.read(adapted).network().l()).isEqualTo(1);
    Result acc = run("evaluate", "--model", adapted, "--data", task, "--json");
    assertThat(acc.code()).as(acc.err()).isZero();
    assertThat(acc.json().get("accuracy").asDouble()).isBetween(0.0, 1.0);

    Path data = dir.resolve("planted.npz");
    Path truth = dir.resolve("truth.onnx");
    Result g = run("generate", "planted", "--d", 5, "--k", 2, "--l", 2, "--n", 2000, "--out", data, "--truth", truth);
    assertThat(g.code()).as(g.err()).isZero();
    Path trained = dir.resolve("trained.onnx");
    Result tr = run("train", "--data", data, "--k", 2, "--init", truth, "--iterations", 3, "--out", trained);
    assertThat(tr.code()).as(tr.err()).isZero();
    assertThat(ModelFile.read(trained).network().k()).isEqualTo(2);
  }

  @Test
  void aModelNameWithoutAFormatListsOnnx() throws IOException {
    Result r = run("recover", "--data", fixture("teacher-torch.npz"), "--k", 4, "--out", dir.resolve("m.npy"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot tell the model format").contains(".json").contains(".npz")
        .contains(".onnx (an ONNX graph)");
  }
}
