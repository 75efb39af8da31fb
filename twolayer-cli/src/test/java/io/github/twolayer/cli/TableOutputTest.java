package io.github.twolayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.twolayer.data.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person reads in the human tables: every line fits a 100-column terminal, long lists are
 * summarized (their whole values stay in --json and the model file), absent values are left out.
 */
class TableOutputTest {
  @TempDir
  Path tmp;

  private static String table(Map<String, Object> rows) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      Common.printTable(out, rows);
    }
    return text.toString();
  }

  private static void assertFitsTheScreen(String out) {
    assertThat(out.lines()).as(out).isNotEmpty().allSatisfy(line -> assertThat(line.length()).as(line)
        .isLessThanOrEqualTo(Common.TABLE_WIDTH));
  }

  @Test
  void aListOfMoreThanEightNumbersIsSummarizedByItsLengthMinMedianAndMax() {
    List<Double> scales = new ArrayList<>();
    for (int j = 1; j <= 100; j++) {
      scales.add(j / 10.0); // 0.1 .. 10: median (5.0 + 5.1) / 2
    }
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("column_scales", Map.of("x", scales));
    rows.put("short", List.of(0.5, 0.25));
    assertThat(table(rows)).contains("column_scales: x  100 values, min 0.100, median 5.05, max 10.0\n")
        .contains("short             [0.500, 0.250]\n");
  }

  @Test
  void aLongListOfRecordsIsSummarizedByTheRangeOfEachField() {
    List<Map<String, Object>> evidence = new ArrayList<>();
    for (int k = 1; k <= 20; k++) {
      Map<String, Object> entry = new LinkedHashMap<>(); // in order, as the diagnostics list them
      entry.put("k", k);
      entry.put("rank_snr", 60.0 / k);
      evidence.add(entry);
    }
    assertThat(table(Map.of("k_evidence", evidence)))
        .isEqualTo("k_evidence  20 entries: k from 1 to 20, rank_snr from 3.00 to 60.0\n");
  }

  @Test
  void absentValuesAreLeftOutOfTheTable() {
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("w_error", 0.5);
    rows.put("mse", null);
    assertThat(table(rows)).isEqualTo("w_error  0.5000\n");
  }

  @Test
  void aLongValueContinuesUnderItsColumnAndALongWordIsPrintedWhole() {
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("stop_reason", "settled: " + "the held-out loss fell by little ".repeat(6).strip());
    String path = "/a" + "/very-long-folder-name".repeat(6) + "/model.json";
    rows.put("out", path);
    String out = table(rows);
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSizeGreaterThan(3);
    // Every continuation is indented to the value column ("stop_reason" and two spaces).
    assertThat(lines.subList(1, lines.size() - 1)).allSatisfy(l -> assertThat(l).startsWith(" ".repeat(13))
        .doesNotStartWith(" ".repeat(14)).hasSizeLessThanOrEqualTo(Common.TABLE_WIDTH));
    assertThat(String.join(" ", lines.subList(0, lines.size() - 1)).replaceAll(" +", " "))
        .isEqualTo("stop_reason " + rows.get("stop_reason"));
    assertThat(lines.get(lines.size() - 1)).isEqualTo("out          " + path); // a path is never broken
  }

  @Test
  void recoverAtD100FitsTheScreenAndKeepsTheFullListsInJsonAndTheModel() throws IOException {
    Path data = tmp.resolve("d.npz");
    Path model = tmp.resolve("m.json");
    CliRun.Result gen = CliRun.run("generate", "planted", "--d", 100, "--k", 10, "--l", 20, "--n", 50_000, "--out",
        data, "--truth", tmp.resolve("t.json"));
    assertThat(gen.code()).as(gen.err()).isZero();
    CliRun.Result r = CliRun.run("recover", "--data", data, "--k", 10, "--out", model);
    assertThat(r.code()).as(r.err()).isZero();
    assertFitsTheScreen(r.out());
    assertThat(r.out()).containsPattern("(?m)^column_scales: x +100 values, min \\S+, median \\S+, max \\S+$")
        .containsPattern("(?m)^column_scales: y +20 values, min ")
        .containsPattern("(?m)^k_evidence +\\d+ entries: k from 1 to \\d+, rank_snr from \\S+ to \\S+$")
        .doesNotContain("null");
    JsonNode json = CliRun.run("recover", "--data", data, "--k", 10, "--out", model, "--json").json();
    assertThat(json.get("diagnostics").get("column_scales").get("x")).hasSize(100);
    assertThat(json.get("diagnostics").get("k_evidence").size()).isGreaterThan(Common.LIST_IN_FULL);
    assertThat(ModelFile.read(model).diagnostics().get("column_scales"))
        .asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("x")
        .asList().hasSize(100);
  }

  @Test
  void pretrainAtD100FitsTheScreen() {
    Path tasks = tmp.resolve("tasks.npz");
    Path subspace = tmp.resolve("subspace.json");
    CliRun.Result gen = CliRun.run("generate", "multitask", "--d", 100, "--r", 3, "--tasks", 8, "--n-per-task", 128,
        "--out", tasks, "--truth", subspace);
    assertThat(gen.code()).as(gen.err()).isZero();
    // --rounds auto (the default) explains its stop in a sentence longer than the screen's width.
    CliRun.Result r = CliRun.run("pretrain", "--data", tasks, "--width", 16, "--out", tmp.resolve("rep.json"),
        "--subspace", subspace);
    assertThat(r.code()).as(r.err()).isZero();
    assertFitsTheScreen(r.out());
    assertThat(r.out()).containsPattern("(?m)^column_means: x +100 values, min ").contains("stop_reason");
  }

  @Test
  void evaluateWithoutDataLeavesMseOutOfTheTableButKeepsItNullInJson() throws IOException {
    Path data = tmp.resolve("d.npz");
    Path truth = tmp.resolve("t.json");
    Path model = tmp.resolve("m.json");
    assertThat(CliRun.run("generate", "planted", "--d", 10, "--k", 3, "--l", 4, "--n", 20_000, "--out", data,
        "--truth", truth).code()).isZero();
    assertThat(CliRun.run("recover", "--data", data, "--k", 3, "--out", model).code()).isZero();
    CliRun.Result table = CliRun.run("evaluate", "--model", model, "--truth", truth);
    assertThat(table.code()).as(table.err()).isZero();
    assertFitsTheScreen(table.out());
    assertThat(table.out()).contains("w_error").contains("a_error").doesNotContain("mse").doesNotContain("null");
    JsonNode json = CliRun.run("evaluate", "--model", model, "--truth", truth, "--json").json();
    assertThat(json.has("mse")).isTrue();
    assertThat(json.get("mse").isNull()).isTrue();
  }

  @Test
  void evaluateOfAWideRepresentationSummarizesItsSingularValues() {
    Path rep = tmp.resolve("rep.json");
    CliRun.Result pre = CliRun.run("pretrain", "--online", "--d", 100, "--r", 2, "--tasks", 4, "--width", 32,
        "--rounds", 2, "--out", rep);
    assertThat(pre.code()).as(pre.err()).isZero();
    CliRun.Result r = CliRun.run("evaluate", "--model", rep);
    assertThat(r.code()).as(r.err()).isZero();
    assertFitsTheScreen(r.out());
    assertThat(r.out()).containsPattern("(?m)^singular_values +32 values, min \\S+, median \\S+, max \\S+$");
  }

  @Test
  void theDemoFitsTheScreenAndStillNamesEveryFileItWrote() {
    Path out = tmp.resolve("a-folder-with-a-rather-long-name").resolve("demo");
    CliRun.Result r = CliRun.run("demo", "--n", 20_000, "--out", out);
    assertThat(r.code()).as(r.err()).isZero();
    assertFitsTheScreen(r.out());
    assertThat(r.out().replaceAll("\\s+", " ")).contains("model.json, truth.json, run.csv, demo-scree.png")
        .contains("demo-unit-errors.png, report.html");
  }
}
