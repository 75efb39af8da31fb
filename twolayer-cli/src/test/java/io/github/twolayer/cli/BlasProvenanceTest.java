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

/** recover passes --blas to the library, which records it; the model file keeps its layout. */
class BlasProvenanceTest {
  @TempDir
  Path tmp;

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
}
