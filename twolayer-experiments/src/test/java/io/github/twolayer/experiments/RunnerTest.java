package io.github.twolayer.experiments;

import io.github.twolayer.linalg.Blas;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a summary and the suite's report say about a claim: a quick run checks its direction only. */
class RunnerTest {
  @TempDir
  Path tmp;

  static final Experiment E = new Experiment.Named("demo-x", "a title", "Errors fall as n grows.") {
    @Override
    public List<Task> tasks(boolean quick, Blas.Choice blas) {
      return List.of(() -> List.of(new Row(name(), GeExperiments.params("n", quick ? 10 : 100), 0, "w_error", 0.1, 0)));
    }

    @Override
    public Verdict check(List<Row> rows, boolean quick) {
      return new Verdict(true, "They fall.");
    }

    @Override
    public List<PlotSpec> plots() {
      return List.of();
    }
  };

  @Test
  void aQuickRunSaysItCheckedTheClaimsDirectionOnAShrunkenGridAndNeverThatItSupportsTheClaim() throws IOException {
    Runner.Result r = Runner.run(E, true, tmp, 1, Blas.Choice.AUTO, Progress.NONE);
    assertThat(r.summary()).content().contains("**Quick run (shrunken grid): the direction of the claim holds; the "
        + "claim itself is tested by the full grid.** They fall.").doesNotContain("supports the claim");
    assertThat(Runner.headline(new Experiment.Verdict(false, ""), true))
        .isEqualTo("Quick run (shrunken grid): the direction of the claim does NOT hold; the claim itself is tested "
            + "by the full grid.");
    Report.suite(tmp.resolve("report.html"), List.of(r), true);
    assertThat(tmp.resolve("report.html")).content().contains("<td class=\"ok\">direction holds</td>")
        .contains("<b>Quick run (shrunken grid): the direction of the claim holds;").doesNotContain("Supported.");
  }

  @Test
  void aFullRunSaysWhetherItSupportsTheClaim() throws IOException {
    Runner.Result r = Runner.run(E, false, tmp, 1, Blas.Choice.JAVA, Progress.NONE);
    assertThat(r.summary()).content().contains("**This run supports the claim.** They fall.")
        .contains("Ran on: " + Machine.here(Blas.Choice.JAVA).describe() + ".").contains("BLAS java").doesNotContain("Quick run");
    assertThat(Runner.headline(new Experiment.Verdict(false, ""), false))
        .isEqualTo("This run does NOT support the claim.");
    Report.suite(tmp.resolve("report.html"), List.of(r), false);
    assertThat(tmp.resolve("report.html")).content().contains("<td class=\"ok\">holds</td>")
        .contains("<b>This run supports the claim.</b>").contains("<p>Ran on: ")
        .contains(Report.escape(r.machine().blas()));
  }
}
