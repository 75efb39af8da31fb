package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NumpyWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV files as people write them (pandas, spreadsheets, hand-edited headers, pipes) through the command
 * line: read when they can be, else one line naming the file, the problem and a fix that exists.
 */
class CsvInputsTest {
  @TempDir
  static Path dir;

  /** generate planted's CSV: header x0..x3,y0..y2, then 20 000 noise-free rows. */
  static Path plain;
  static List<String> lines;
  /** The model recover fits on {@link #plain}, which every readable variant of it must give bit for bit. */
  static double[] plainW;

  @BeforeAll
  static void generate() throws IOException {
    plain = dir.resolve("plain.csv");
    Result g = run("generate", "planted", "--dist", "rademacher", "--d", 4, "--k", 2, "--l", 3, "--n", 20_000,
        "--noise", 0, "--seed", 3, "--out", plain, "--truth", dir.resolve("truth.json"));
    assertThat(g.code()).as(g.err()).isZero();
    lines = Files.readAllLines(plain);
    assertThat(lines.get(0)).isEqualTo("x0,x1,x2,x3,y0,y1,y2");
    plainW = recover(plain).network().W();
  }

  private static ModelFile recover(Path data, Object... options) throws IOException {
    Path model = dir.resolve(data.getFileName() + ".model.json");
    Result r = run(CliRun.concat(new Object[] {"recover", "--data", data, "--k", 2, "--out", model}, options));
    assertThat(r.code()).as(r.err()).isZero();
    return ModelFile.read(model);
  }

  /** The samples under another header line, each line changed by {@code row} (index, line). */
  private static Path rewrite(String name, String header, BiFunction<Integer, String, String> row)
      throws IOException {
    List<String> out = new ArrayList<>();
    out.add(header);
    for (int i = 1; i < lines.size(); i++) {
      out.add(row.apply(i - 1, lines.get(i)));
    }
    Path f = dir.resolve(name);
    Files.write(f, out);
    return f;
  }

  private static Path withHeader(String name, String header) throws IOException {
    return rewrite(name, header, (i, line) -> line);
  }

  /** Bad input: exit 2, one line on stderr holding {@code expected}, no model written, only the command's own flags. */
  private static Result refused(String expected, Object... args) {
    Path out = dir.resolve("refused.json");
    boolean writes = spec(String.valueOf(args[0])).findOption("--out") != null;
    Result r = run(writes ? CliRun.concat(args, new Object[] {"--out", out}) : args);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains(expected);
    assertThat(out).doesNotExist();
    assertOnlyOwnFlags(String.valueOf(args[0]), r.err());
    return r;
  }

  /** Every --flag that a message suggests is an option of the command that printed it. */
  static void assertOnlyOwnFlags(String command, String err) {
    picocli.CommandLine.Model.CommandSpec spec = spec(command);
    Matcher flag = Pattern.compile("--[a-z][a-z0-9-]*").matcher(err);
    while (flag.find()) {
      assertThat(spec.findOption(flag.group())).as(command + " has " + flag.group() + " (" + err.strip() + ")")
          .isNotNull();
    }
  }

  private static picocli.CommandLine.Model.CommandSpec spec(String command) {
    return Main.commandLine(new String[] {command}).getSubcommands().get(command).getCommandSpec();
  }

  @Test
  void aGapOrARepeatInTheHeaderIsOneLineNamingItInsteadOfColumnsDropped() throws IOException {
    // Before: exit 0 with d = 1 (x0 alone; x2.. silently dropped).
    Path gap = withHeader("gap.csv", "x0,x2,x3,x4,y0,y1,y2");
    refused(gap + ": the header has x0 then x2 (no x1); rename the columns or list them with --x-cols",
        "recover", "--data", gap, "--k", 2);
    assertThat(recover(gap, "--x-cols", "x0,x2,x3,x4").network().W()).containsExactly(plainW);
    Path yGap = withHeader("ygap.csv", "x0,x1,x2,x3,y0,y2,y3");
    refused("the header has y0 then y2 (no y1)", "train", "--data", yGap, "--k", 2);
    Path twice = withHeader("twice.csv", "x0,x1,x1,x3,y0,y1,y2");
    refused(twice + ": the header names 'x1' twice (columns 2 and 3, counting from 1); rename one of them",
        "recover", "--data", twice, "--k", 2);
    refused("names 'x1' twice", "recover", "--data", twice, "--k", 2, "--x-cols", "x0,x3");
  }

  @Test
  void csvAsPandasWritesItGivesTheSameModelAndOtherEncodingsAreRefusedInOurWords() throws IOException {
    // to_csv's defaults: the row index first, unnamed; here also a byte-order mark and a separator ending every line.
    Path pandas = rewrite("pandas.csv", "\uFEFF,x0,x1,x2,x3,y0,y1,y2,", (i, line) -> i + "," + line + ",");
    assertThat(recover(pandas).network().W()).containsExactly(plainW);
    Path unnamed = rewrite("unnamed.csv", "Unnamed: 0,x0,x1,x2,x3,y0,y1,y2", (i, line) -> i + "," + line);
    assertThat(recover(unnamed).network().W()).containsExactly(plainW);
    Path utf16 = dir.resolve("utf16.csv");
    Files.write(utf16, String.join("\n", lines.subList(0, 100)).getBytes(StandardCharsets.UTF_16));
    Result r = refused(utf16 + " is UTF-16; save it as UTF-8 (pandas: to_csv(..., encoding='utf-8'))",
        "recover", "--data", utf16, "--k", 2);
    assertThat(r.err()).doesNotContain("Input length").doesNotContain("A header name is missing");
    Path latin = dir.resolve("latin.csv");
    Files.write(latin, ("x0,x1,x2,x3,y0,y1,temp\u00e9rature\n" + lines.get(1) + "\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    refused("the header of " + latin + " is not UTF-8 text", "recover", "--data", latin, "--k", 2);
    Path quote = withHeader("quote.csv", "x0,x1,x2,x3,y0,y1,\"y2");
    refused(quote + " is not valid CSV near line ", "recover", "--data", quote, "--k", 2);
  }

  @Test
  void withOnlyOneSideChosenTheRestAreTheOtherSideAndNamesMayHaveSpaces() throws IOException {
    Path named = withHeader("named.csv", "age,height,weight,income,t0,t1,t2");
    // Before: "has no input columns x0, x1, ..." and the whole header.
    assertThat(recover(named, "--y-cols", "t0, t1, t2").network().W()).containsExactly(plainW);
    Path inputsNamed = withHeader("inputs-named.csv", "age,height,weight,income,y0,y1,y2");
    ModelFile m = recover(inputsNamed, "--x-cols", "age, height,weight , income");
    assertThat(m.network().W()).containsExactly(plainW);
    assertThat(m.provenance().get("y_cols")).isEqualTo(List.of("y0", "y1", "y2"));
    assertThat(run("recover", "--help").out().replaceAll("\\s+", " ")).contains("every column that is not an output")
        .contains("every column that is not an input");
    // A wide header without numbered columns: a message lists eight names and counts the rest.
    StringBuilder wide = new StringBuilder("id");
    for (int i = 0; i < 37; i++) {
      wide.append(",feature_").append(i);
    }
    Path f = dir.resolve("wide.csv");
    Files.writeString(f, wide + "\n" + "0,".repeat(37) + "0\n");
    Result r = refused("(its columns: id, feature_0, feature_1, feature_2, feature_3, feature_4, feature_5, "
        + "feature_6 ... and 30 more); name them so or choose them with --x-cols", "recover", "--data", f, "--k", 2);
    assertThat(r.err()).doesNotContain("feature_7");
  }

  @Test
  void aModelRemembersItsColumnsAndEvaluateReadsOtherFilesByThem() throws IOException {
    Path named = withHeader("remember.csv", "age,height,weight,income,t0,t1,t2");
    ModelFile m = recover(named, "--y-cols", "t0,t1,t2");
    assertThat(m.provenance().get("x_cols")).isEqualTo(List.of("age", "height", "weight", "income"));
    assertThat(m.provenance().get("y_cols")).isEqualTo(List.of("t0", "t1", "t2"));
    Path model = dir.resolve("remember.csv.model.json");
    double mse = run("evaluate", "--model", model, "--data", named, "--json").json().get("mse").asDouble();
    // Other data under the same names, in another column order and with a column more: read by name.
    Path shuffled = rewrite("shuffled.csv", "t2,income,note,age,t0,weight,t1,height", (i, line) -> {
      String[] v = line.split(",");
      return String.join(",", v[6], v[3], "7", v[0], v[4], v[2], v[5], v[1]);
    });
    Result e = run("evaluate", "--model", model, "--data", shuffled, "--json");
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.json().get("mse").asDouble()).isEqualTo(mse); // the same numbers in the same rows: the same sum
    // Explicit columns still win; a file without the model's names is one line that says where they came from.
    Result explicit = run("evaluate", "--model", model, "--data", plain, "--x-cols", "x0,x1,x2,x3", "--y-cols",
        "y0,y1,y2", "--json");
    assertThat(explicit.json().get("mse").asDouble()).isEqualTo(mse);
    Result missing = run("evaluate", "--model", model, "--data", plain);
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errLines()).containsExactly("error: " + plain + " has no column 'age', one of the inputs the "
        + "model was fitted on (age, height, weight, income); choose this file's columns with --x-cols");
    // Arrays have no names: none recorded.
    Path npz = dir.resolve("plain.npz");
    assertThat(run("generate", "planted", "--dist", "rademacher", "--d", 4, "--k", 2, "--l", 3, "--n", 20_000,
        "--seed", 3, "--out", npz, "--truth", dir.resolve("npz-truth.json")).code()).isZero();
    assertThat(recover(npz).provenance()).doesNotContainKeys("x_cols", "y_cols");
    Path trained = dir.resolve("trained.json");
    assertThat(run("train", "--data", named, "--y-cols", "t0,t1,t2", "--k", 2, "--iterations", 2, "--out", trained)
        .code()).isZero();
    assertThat(ModelFile.read(trained).provenance().get("x_cols")).isEqualTo(List.of("age", "height", "weight",
        "income"));
  }

  @Test
  void pretrainAndAdaptRecordTheirColumnsAndOfferOnlyFlagsTheyHave() throws IOException {
    Path tasks = dir.resolve("tasks.csv");
    Path subspace = dir.resolve("subspace.json");
    assertThat(run("generate", "multitask", "--d", 6, "--r", 2, "--tasks", 4, "--n-per-task", 200, "--seed", 2,
        "--out", tasks, "--truth", subspace).code()).isZero();
    List<String> taskLines = Files.readAllLines(tasks);
    assertThat(taskLines.get(0)).isEqualTo("x0,x1,x2,x3,x4,x5,y,task");
    // Inputs under other names: every column but y and task.
    Path named = dir.resolve("named-tasks.csv");
    List<String> renamed = new ArrayList<>(taskLines);
    renamed.set(0, "a,b,c,d,e,f,y,task");
    Files.write(named, renamed);
    for (String sampling : new String[] {"subsets", "bernoulli"}) {
      Path rep = dir.resolve("rep-" + sampling + ".json");
      Result p = run("pretrain", "--data", named, "--width", 8, "--rounds", 2, "--n1", 50, "--n2", 50, "--sampling",
          sampling, "--out", rep);
      assertThat(p.code()).as(p.err()).isZero();
      assertThat(ModelFile.read(rep).provenance().get("x_cols")).isEqualTo(List.of("a", "b", "c", "d", "e", "f"));
      assertThat(ModelFile.read(rep).provenance().get("y_cols")).isEqualTo(List.of("y", "task"));
    }
    Path rep = dir.resolve("rep-subsets.json");
    Path oneTask = dir.resolve("one-task.csv");
    assertThat(run("generate", "multitask", "--subspace", subspace, "--tasks", 1, "--n-per-task", 100, "--seed", 4,
        "--out", oneTask, "--truth", dir.resolve("one.json")).code()).isZero();
    Path adapted = dir.resolve("adapted.json");
    assertThat(run("adapt", "--model", rep, "--data", oneTask, "--out", adapted).code()).isZero();
    assertThat(ModelFile.read(adapted).provenance().get("x_cols")).isEqualTo(List.of("x0", "x1", "x2", "x3", "x4",
        "x5"));
    Result acc = run("evaluate", "--model", adapted, "--data", oneTask, "--json");
    assertThat(acc.json().has("accuracy")).as(acc.err()).isTrue();
    // An adapted model whose data were arrays keeps none of its representation's names.
    Path oneTaskNpz = dir.resolve("one-task.npz");
    assertThat(run("generate", "multitask", "--subspace", subspace, "--tasks", 1, "--n-per-task", 100, "--seed", 4,
        "--out", oneTaskNpz, "--truth", dir.resolve("one2.json")).code()).isZero();
    Path fromArrays = dir.resolve("adapted-npz.json");
    assertThat(run("adapt", "--model", rep, "--data", oneTaskNpz, "--out", fromArrays).code()).isZero();
    assertThat(ModelFile.read(fromArrays).provenance()).doesNotContainKeys("x_cols", "y_cols");
    // pretrain has no --x-cols: before, a multi-task CSV without x0 was told to pass it.
    List<String> gapLines = new ArrayList<>(taskLines);
    gapLines.set(0, "x0,x1,x3,x4,x5,x6,y,task");
    Path gap = dir.resolve("gap-tasks.csv");
    Files.write(gap, gapLines);
    refused(gap + ": the header has x1 then x3 (no x2); rename the columns x0, x1, ... without a gap",
        "pretrain", "--data", gap, "--width", 8);
    refused("has x1 then x3", "adapt", "--model", rep, "--data", gap);
    List<String> label = new ArrayList<>(taskLines);
    label.set(0, "x0,x1,x2,x3,x4,x5,label,task");
    Path noY = dir.resolve("label-tasks.csv");
    Files.write(noY, label);
    refused(noY + " has no column 'y'", "pretrain", "--data", noY, "--width", 8);
    Path onlyLabels = dir.resolve("only-labels.csv");
    Files.writeString(onlyLabels, "y,task\n1,0\n-1,0\n");
    refused("has no input columns: its only columns (y, task) are chosen as outputs", "pretrain", "--data",
        onlyLabels, "--width", 8);
  }

  @Test
  void aPipeOfCsvIsReadOnceAndArraysFromAPipeAreRefused() throws Exception {
    byte[] text = Files.readAllBytes(plain);
    Path pipe = Pipes.make(dir, "pipe.csv");
    Path model = dir.resolve("from-pipe.json");
    Thread writer = Pipes.feed(pipe, text);
    Result r = run("recover", "--data", pipe, "--k", 2, "--out", model);
    Pipes.finish(writer, pipe);
    // Before: "has a header but no samples". Three passes over what was read once: the file's model.
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(ModelFile.read(model).network().W()).containsExactly(plainW);
    Path fileModel = dir.resolve("plain.csv.model.json");
    double mse = run("evaluate", "--model", fileModel, "--data", plain, "--json").json().get("mse").asDouble();
    Thread second = Pipes.feed(pipe, text);
    Result e = run("evaluate", "--model", fileModel, "--data", pipe, "--json");
    Pipes.finish(second, pipe);
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.json().get("mse").asDouble()).isEqualTo(mse);
    // Archives and arrays are read by position: refused before anything reads the pipe (nothing writes it).
    Path npz = Pipes.make(dir, "pipe.npz");
    refused(npz + " is not a regular file (a pipe); save the data to a file first", "recover", "--data", npz,
        "--k", 2);
    refused("(a pipe); save the data to a file first", "evaluate", "--model", fileModel, "--data", npz);
    refused("(a pipe); save the data to a file first", "pretrain", "--data", npz, "--width", 4);
    Path npy = Pipes.make(dir, "X.npy");
    refused(npy + " is not a regular file (a pipe)", "train", "--x", npy, "--y", npy, "--k", 2);
  }

  private static Path npz(String name, int n, int d, int l) throws IOException {
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(new double[n * d], n, d));
    arrays.put("Y", NumpyWriter.Array.matrix(new double[n * l], n, l));
    Path f = dir.resolve(name);
    NumpyWriter.writeNpz(f, arrays);
    return f;
  }

  @Test
  void arraysWithNoColumnsOrNoRowsAreOneTrueLine() throws IOException {
    Path noX = npz("nox.npz", 50, 0, 3);
    Path noY = npz("noy.npz", 50, 4, 0);
    Path noRows = npz("norows.npz", 0, 4, 3);
    Path model = dir.resolve("plain.csv.model.json");
    for (String command : new String[] {"recover", "train"}) {
      // Before: "pass a smaller --k" (d = 0), and train wrote a model with no outputs.
      Result r = refused("X in " + noX + " has no columns (shape 50×0): the inputs need at least one column",
          command, "--data", noX, "--k", 1);
      assertThat(r.err()).doesNotContain("--k");
      refused("Y in " + noY + " has no columns (shape 50×0): the outputs need at least one column", command,
          "--data", noY, "--k", 1);
      refused(noRows + " holds no samples (0 rows); save at least one row", command, "--data", noRows, "--k", 1);
    }
    Result e = run("evaluate", "--model", model, "--data", noX);
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.errLines()).containsExactly("error: X in " + noX + " has no columns (shape 50×0): the inputs need "
        + "at least one column; save them as an (n, d) array with d ≥ 1");
  }
}
