package io.github.twolayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment suite as CI's smoke test: every claim's direction holds on the shrunken grids (and the
 * summaries say that this is all a quick run checks), each experiment writes its CSV, plots and summary,
 * and the same seed gives the same CSV bytes.
 */
class ReproduceTest {
  @TempDir
  Path tmp;

  @Tag("acceptance")
  @Test
  void theQuickSuiteFindsTheDirectionOfEveryClaimHoldingAndWritesItsFiles() throws IOException {
    Path out = tmp.resolve("suite");
    CliRun.Result r = CliRun.run("reproduce", "all", "--quick", "--out", out, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("experiments")).extracting(e -> e.get("experiment").asText()).containsExactly("ge-e1",
        "ge-e2", "ge-e3", "ge-e4", "ge-k", "ge-real", "collins-e1", "collins-e2", "collins-e3", "collins-e4",
        "collins-e5", "collins-digits");
    String verdict = "Quick run (shrunken grid): the direction of the claim holds; the claim itself is tested by the "
        + "full grid.";
    for (JsonNode e : json.get("experiments")) {
      String name = e.get("experiment").asText();
      assertThat(e.get("holds").asBoolean()).as(name + ": " + e.get("reason").asText()).isTrue();
      assertThat(e.get("verdict").asText()).isEqualTo(verdict);
      assertThat(out.resolve(name + ".csv")).isNotEmptyFile();
      assertThat(out.resolve(name + ".md")).content().contains("**" + verdict + "**")
          .doesNotContain("supports the claim");
    }
    assertThat(out.resolve("report.html")).content().contains("direction holds").doesNotContain("Supported.");
    try (var files = Files.list(out)) {
      List<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
      assertThat(pngs).hasSizeGreaterThanOrEqualTo(12); // at least one per experiment
      for (Path png : pngs) {
        assertThat(Files.size(png)).isGreaterThan(1000);
        assertThat(out.resolve(png.getFileName().toString().replace(".png", ".svg"))).isNotEmptyFile();
      }
    }
    assertThat(out.resolve("report.html")).isNotEmptyFile();
    HeadlessChromium.assertRendersCleanly(out.resolve("report.html"));
  }

  @Test
  void aQuickRunPrintsThatTheDirectionOfTheClaimHoldsNotTheClaim() {
    CliRun.Result r = CliRun.run("reproduce", "ge-e3", "--quick", "--out", tmp.resolve("q"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("ge-e3          direction holds").doesNotContain("claim holds");
  }

  @Test
  void theSameSeedGivesTheSameCsvBytesExceptTheSecondsColumn() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    assertThat(CliRun.run("reproduce", "ge-e3", "--quick", "--out", a).code()).isZero();
    assertThat(CliRun.run("reproduce", "ge-e3", "--quick", "--out", b, "--threads", 1).code()).isZero();
    assertThat(withoutSeconds(a.resolve("ge-e3.csv"))).isEqualTo(withoutSeconds(b.resolve("ge-e3.csv")));
  }

  static List<String> withoutSeconds(Path csv) throws IOException {
    return Files.readAllLines(csv).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
  }

  @Tag("acceptance")
  @Test
  void theDemoReportRendersWithItsImages() throws IOException {
    Path out = tmp.resolve("demo");
    assertThat(CliRun.run("demo", "--n", 100_000, "--out", out).code()).isZero();
    assertThat(out.resolve("report.html")).content().contains("Weights").contains("w_error").contains("demo-w-recovered");
    HeadlessChromium.assertRendersCleanly(out.resolve("report.html"));
  }

  @Test
  void anUnknownExperimentIsNamed() {
    CliRun.Result r = CliRun.run("reproduce", "ge-e9", "--out", tmp.resolve("x"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown experiment 'ge-e9'").contains("collins-e5");
  }
}
