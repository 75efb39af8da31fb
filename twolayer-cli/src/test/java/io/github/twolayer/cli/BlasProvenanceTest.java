package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.linalg.Blas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command passes --blas to the library, which records it; the model file keeps its layout. */
class BlasProvenanceTest {
  @TempDir
  Path tmp;

  /**
   * --blas is an option of the run, not a setting of the process: reproduce and the demo run on the
   * choice given while the process default ({@code -Dtwolayer.blas}) names another, record it, and leave
   * the property as it was (a library caller's default is not changed by a command run beside it).
   */
  @Test
  void reproduceAndDemoRunOnTheirOwnBlasAndLeaveTheProcessDefaultAlone() throws IOException {
    System.setProperty(Blas.PROPERTY, "native");
    try {
      Result r = run("reproduce", "ge-e3", "--quick", "--out", tmp.resolve("q"), "--blas", "java");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(tmp.resolve("q").resolve("ge-e3.md")).content().contains("BLAS java");
      assertThat(System.getProperty(Blas.PROPERTY)).isEqualTo("native");
      Result d = run("demo", "--n", 20_000, "--out", tmp.resolve("demo"), "--blas", "java");
      assertThat(d.code()).as(d.err()).isZero();
      assertThat(ModelFile.read(tmp.resolve("demo").resolve("model.json")).provenance()).containsEntry("blas", "java");
      assertThat(System.getProperty(Blas.PROPERTY)).isEqualTo("native");
    } finally {
      System.clearProperty(Blas.PROPERTY);
    }
    Result g = run("generate", "planted", "--d", 6, "--k", 3, "--l", 4, "--n", 2_000, "--out", tmp.resolve("g.npz"),
        "--truth", tmp.resolve("g.json"), "--blas", "java");
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(System.getProperty(Blas.PROPERTY)).isNull();
  }

  @Test
  void recoverRecordsTheBlasItWasGivenAfterTheVersion() throws IOException {
    Path data = tmp.resolve("d.npz");
    Result g = run("generate", "planted", "--d", 6, "--k", 3, "--l", 4, "--n", 20_000, "--out", data, "--truth",
        tmp.resolve("t.json"));
    assertThat(g.code()).as(g.err()).isZero();
    Path model = tmp.resolve("m.json");
    Result r = run("recover", "--data", data, "--k", 3, "--out", model, "--blas", "java");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> keys = new ArrayList<>(ModelFile.read(model).provenance().keySet());
    assertThat(ModelFile.read(model).provenance()).containsEntry("blas", "java");
    // Where model files have always had it: after where the samples came from and the program's version.
    assertThat(keys.subList(keys.indexOf("data"), keys.indexOf("data") + 3)).containsExactly("data", "twolayer", "blas");
    assertThat(System.getProperty(Blas.PROPERTY)).isNull();
  }

  @Test
  void trainRecordsTheBlasItWasGivenAfterTheVersion() throws IOException {
    Path data = tmp.resolve("d.npz");
    Result g = run("generate", "planted", "--d", 6, "--k", 3, "--l", 4, "--n", 2_000, "--out", data, "--truth",
        tmp.resolve("t.json"));
    assertThat(g.code()).as(g.err()).isZero();
    Path model = tmp.resolve("m.json");
    Result r = run("train", "--data", data, "--k", 3, "--iterations", 5, "--out", model, "--blas", "java");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> keys = new ArrayList<>(ModelFile.read(model).provenance().keySet());
    assertThat(ModelFile.read(model).provenance()).containsEntry("blas", "java");
    assertThat(keys.subList(keys.indexOf("data"), keys.indexOf("data") + 3)).containsExactly("data", "twolayer", "blas");
    assertThat(System.getProperty(Blas.PROPERTY)).isNull();
  }

  @Test
  void pretrainAndAdaptEachRecordTheBlasOfTheirOwnRun() throws IOException {
    Path data = tmp.resolve("m.npz");
    Path truth = tmp.resolve("mt.json");
    Result g = run("generate", "multitask", "--d", 10, "--r", 2, "--tasks", 4, "--n-per-task", 200, "--out", data,
        "--truth", truth);
    assertThat(g.code()).as(g.err()).isZero();
    Path rep = tmp.resolve("rep.json");
    Result p = run("pretrain", "--data", data, "--width", 8, "--rounds", 3, "--out", rep, "--blas", "java");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(ModelFile.read(rep).provenance()).containsEntry("blas", "java");
    Path task = tmp.resolve("a.npz");
    Result t = run("generate", "multitask", "--subspace", truth, "--tasks", 1, "--n-per-task", 100, "--out", task,
        "--truth", tmp.resolve("at.json"));
    assertThat(t.code()).as(t.err()).isZero();
    // The representation was made on the Java kernels; the adaptation runs on the default and says so,
    // not the representation's BLAS it starts from.
    Path adapted = tmp.resolve("ad.json");
    Result a = run("adapt", "--data", task, "--model", rep, "--out", adapted);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(ModelFile.read(adapted).provenance()).containsEntry("blas",
        Blas.Choice.byDefault().implementation().name());
  }
}
