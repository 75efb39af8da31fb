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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own network as the planted truth: teachers saved by NumPy (src/test/resources/teacher,
 * written by its make_teacher.py as a PyTorch export would be) go through generate → recover →
 * evaluate, models travel as .npz, and a teacher the method cannot recover is refused in one line.
 */
class TeacherTest {
  @TempDir
  Path dir;

  private Path fixture(String name) throws IOException {
    Path f = dir.resolve(name);
    try (InputStream in = TeacherTest.class.getResourceAsStream("/teacher/" + name)) {
      Files.copy(in, f);
    }
    return f;
  }

  @Test
  void aNumPyTeacherIsRecoveredThroughNpzFiles() throws IOException {
    for (String name : new String[] {"teacher.npz", "teacher-float32.npz"}) {
      Path teacher = fixture(name);
      Path data = dir.resolve("data.npz");
      Path truth = dir.resolve("truth.npz");
      Result g = run("generate", "planted", "--teacher", teacher, "--dist", "cube", "--n", 300_000, "--seed", 2,
          "--out", data, "--truth", truth);
      assertThat(g.code()).as(g.err()).isZero();
      // The truth is the teacher, bit for bit (float32 weights widen exactly).
      TwoLayerNet t = ModelFile.read(teacher).network();
      assertThat(ModelFile.read(truth).network().W()).containsExactly(t.W());
      Path model = dir.resolve("model.npz");
      // --k auto finds the teacher's four units (k_selected in the JSON and in the model's diagnostics).
      Result r = run("recover", "--data", data, "--k", "auto", "--out", model, "--json");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.json().get("diagnostics").get("k_selected").asInt()).isEqualTo(4);
      assertThat(ModelFile.read(model).diagnostics()).containsEntry("k_selected", 4);
      Result e = run("evaluate", "--model", model, "--truth", teacher, "--json");
      assertThat(e.code()).as(e.err()).isZero();
      // Cube inputs, d = 12, k = 4, n = 3·10⁵, no noise: planted runs of this size land near 5e-3.
      assertThat(e.json().get("w_error").asDouble()).as(name).isLessThan(0.03);
    }
  }

  private Path resource(String path) throws IOException {
    Path f = dir.resolve(Path.of(path).getFileName().toString());
    try (InputStream in = TeacherTest.class.getResourceAsStream("/" + path)) {
      Files.copy(in, f);
    }
    return f;
  }

  @Test
  void aNumPyTeacherIsRecoveredOnSymmetrizedRealInputs() throws IOException {
    Path teacher = resource("teacher/teacher-wine.npz");
    Path wine = resource("inputs/wine.csv");
    Path data = dir.resolve("wine-data.npz");
    Result g = run("generate", "planted", "--teacher", teacher, "--inputs", wine, "--symmetrize", "--n", 1_000_000,
        "--seed", 3, "--out", data, "--truth", dir.resolve("wine-truth.json"), "--json");
    assertThat(g.code()).as(g.err()).isZero();
    Path model = dir.resolve("wine-model.npz");
    Result r = run("recover", "--data", data, "--k", 4, "--out", model);
    assertThat(r.code()).as(r.err()).isZero();
    Result e = run("evaluate", "--model", model, "--truth", teacher, "--json");
    // The acceptance bound at n = 10⁶ (measured 0.005 and 0.008 for seeds 3 and 4).
    assertThat(e.json().get("w_error").asDouble()).isLessThan(0.02);
    // Inputs need the signs: without --symmetrize, one line and exit 2.
    Result plain = run("generate", "planted", "--teacher", teacher, "--inputs", wine, "--n", 100, "--out",
        dir.resolve("x.npz"), "--truth", dir.resolve("x.json"));
    assertThat(plain.code()).isEqualTo(2);
    assertThat(plain.err()).contains("--inputs needs --symmetrize");
    Result wrongWidth = run("generate", "planted", "--teacher", fixture("teacher.npz"), "--inputs", wine,
        "--symmetrize", "--n", 100, "--out", dir.resolve("x.npz"), "--truth", dir.resolve("x.json"));
    assertThat(wrongWidth.code()).isEqualTo(2);
    assertThat(wrongWidth.err()).contains("has rows of d = 13 but the teacher");
  }

  @Test
  void trainWithKAutoTrainsTheUnitsTheDataShow() throws IOException {
    Path data = dir.resolve("train.npz");
    Result g = run("generate", "planted", "--teacher", fixture("teacher.npz"), "--dist", "gaussian", "--n", 50_000,
        "--noise", 0.05, "--seed", 5, "--out", data, "--truth", dir.resolve("t.json"));
    assertThat(g.code()).as(g.err()).isZero();
    Path model = dir.resolve("trained.json");
    Result t = run("train", "--data", data, "--k", "auto", "--iterations", 20, "--out", model, "--json");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.json().get("diagnostics").get("k_selected").asInt()).isEqualTo(4);
    assertThat(t.json().get("diagnostics").get("column_scales").get("x")).hasSize(12);
    assertThat(ModelFile.read(model).network().k()).isEqualTo(4);
  }

  @Test
  void aKThatIsNotANumberIsOneLineWithExit2() throws IOException {
    Result r = run("recover", "--data", fixture("teacher.npz"), "--k", "four", "--out", dir.resolve("m.json"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--k four is not a number of hidden units: give a positive integer or auto");
  }

  @Test
  void aTeacherTheMethodCannotRecoverIsOneLineWithExit2() throws IOException {
    Path out = dir.resolve("d.npz");
    Path truth = dir.resolve("t.json");
    Result bias = run("generate", "planted", "--teacher", fixture("teacher-bias.npz"), "--out", out, "--truth", truth);
    assertThat(bias.code()).isEqualTo(2);
    assertThat(bias.err().strip().lines()).hasSize(1);
    assertThat(bias.err()).contains("has a first-layer bias");
    Result clash = run("generate", "planted", "--teacher", fixture("teacher.npz"), "--d", 5, "--out", out, "--truth",
        truth);
    assertThat(clash.code()).isEqualTo(2);
    assertThat(clash.err()).contains("--d 5 disagrees with the teacher");
    assertThat(out).doesNotExist();
    assertThat(truth).doesNotExist();
  }
}
