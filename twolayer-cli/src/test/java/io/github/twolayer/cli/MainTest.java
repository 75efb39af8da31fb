package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.linalg.NativeBlas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user drives it: exit codes, one-line errors, files written or not. */
class MainTest {
  @TempDir
  static Path tmp;

  static Path data;
  static Path truth;

  @BeforeAll
  static void generate() {
    data = tmp.resolve("data.npz");
    truth = tmp.resolve("truth.json");
    Result r = run("generate", "planted", "--dist", "cube", "--d", 10, "--k", 5, "--l", 8, "--n", 300_000,
        "--seed", 3, "--out", data, "--truth", truth, "--json");
    assertThat(r.code()).as(r.err()).isZero();
  }

  /**
   * A machine without the natives, simulated with --blas java: recover and pretrain run as on the native
   * path and agree with it. The two differ only in the order of additions inside each product (~1e-16
   * relative per product in recover, float rounding ~1e-7 per product in pretraining), amplified by the
   * decompositions and by five rounds of training: 1e-8 and 1e-3 relative leave ample room, while any
   * real difference (a wrong product) moves the results by O(1).
   */
  @Test
  void theJavaKernelsRunEverythingAsTheNativeLibraryDoes() throws IOException {
    Path nativeModel = tmp.resolve("native.json");
    Path javaModel = tmp.resolve("java.json");
    Result n = run("recover", "--data", data, "--k", 5, "--out", nativeModel, "--json");
    Result j = run("recover", "--data", data, "--k", 5, "--out", javaModel, "--json", "--blas", "java");
    assertThat(n.code()).as(n.err()).isZero();
    assertThat(j.code()).as(j.err()).isZero();
    ModelFile a = ModelFile.read(nativeModel);
    ModelFile b = ModelFile.read(javaModel);
    assertThat(b.provenance().get("blas")).isEqualTo("java");
    assertThat((String) a.provenance().get("blas")).startsWith(
        NativeBlas.available() ? "openblas" : "java");
    assertThat(Matrices.maxRelativeDifference(a.network().W(), b.network().W()))
        .isLessThan(1e-8);
    Path repNative = tmp.resolve("rep-native.json");
    Path repJava = tmp.resolve("rep-java.json");
    Object[] pretrain = {"pretrain", "--online", "--d", 12, "--r", 2, "--tasks", 6, "--width", 32, "--rounds", 5,
        "--json", "--out"};
    assertThat(run(concat(pretrain, repNative)).code()).isZero();
    assertThat(run(concat(pretrain, repJava, "--blas", "java")).code()).isZero();
    ModelFile rn = ModelFile.read(repNative);
    ModelFile rj = ModelFile.read(repJava);
    assertThat(rn.provenance().get("precision")).isEqualTo("float32");
    assertThat(Matrices.maxRelativeDifference(rn.network().W(), rj.network().W()))
        .isLessThan(1e-3);
    // No command sets the process default, and a wrong choice is one line and exit 2.
    assertThat(System.getProperty(Blas.PROPERTY)).isNull();
    Result bad = run("recover", "--data", data, "--k", 5, "--out", tmp.resolve("x.json"), "--blas", "fortran");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("use native, java or auto");
  }

  static Object[] concat(Object[] head, Object... tail) {
    Object[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void generateRecoverEvaluateRecoversThePlantedNetwork() throws IOException {
    Path model = tmp.resolve("model.json");
    Result rec = run("recover", "--data", data, "--k", 5, "--out", model, "--json");
    assertThat(rec.code()).as(rec.err()).isZero();
    JsonNode j = rec.json();
    assertThat(j.get("out").asText()).isEqualTo(model.toString());
    assertThat(j.get("seed").asLong()).isEqualTo(1);
    assertThat(j.get("diagnostics").get("split_method").asText()).isEqualTo("joint-diagonalization");

    Result eval = run("evaluate", "--model", model, "--truth", truth, "--data", data, "--json");
    assertThat(eval.code()).as(eval.err()).isZero();
    // n = 3e5 noise-free cube: the acceptance bound at 1e5 is 0.05.
    assertThat(eval.json().get("w_error").asDouble()).isLessThan(0.05);
    assertThat(eval.json().get("a_error").asDouble()).isLessThan(0.1);
    assertThat(eval.json().get("mse").asDouble()).isLessThan(0.01);

    // evaluate reads back exactly what recover wrote: the model against itself has zero error.
    Result self = run("evaluate", "--model", model, "--truth", model, "--json");
    assertThat(self.json().get("w_error").asDouble()).isZero();
    assertThat(self.json().get("a_error").asDouble()).isZero();
    assertThat(self.json().get("mse").isNull()).isTrue();
  }

  @Test
  void theSameSeedGivesTheSameModelBits() throws IOException {
    Path m1 = tmp.resolve("m1.json");
    Path m2 = tmp.resolve("m2.json");
    assertThat(run("recover", "--data", data, "--k", 5, "--out", m1, "--threads", 1).code()).isZero();
    assertThat(run("recover", "--data", data, "--k", 5, "--out", m2, "--threads", 2).code()).isZero();
    assertThat(ModelFile.read(m1).network()).isEqualTo(ModelFile.read(m2).network());
  }

  @Test
  void theDemoPrintsItsTableAndWritesModelTruthAndCsv() throws IOException {
    Path out = tmp.resolve("demo");
    Result r = run("demo", "--out", out, "--n", 100_000, "--dist", "rademacher");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("w_error").contains("rademacher").contains("100000");
    assertThat(out.resolve("model.json")).exists();
    assertThat(out.resolve("truth.json")).exists();
    List<String> csv = Files.readAllLines(out.resolve("run.csv"));
    assertThat(csv).hasSize(2);
    assertThat(csv.get(0)).startsWith("distribution,n,d,k,l,noise,seed,w_error,a_error,mse");
    Result json = run("demo", "--out", out, "--n", 100_000, "--json");
    assertThat(json.json().get("w_error").asDouble()).isLessThan(0.1);
    assertThat(json.json().has("seconds")).isTrue();
  }

  @Test
  void theDemoWithKAutoChoosesThePlantedUnitsAndShowsTheEvidence() throws IOException {
    Path out = tmp.resolve("demo-auto");
    // The default network has 5 units with rank_snr ≥ 30 at n = 10⁵ (docs/recover.md's grid: right in 99% of runs).
    Result r = run("demo", "--out", out, "--n", 100_000, "--k", "auto", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("diagnostics").get("k_selected").asInt()).isEqualTo(5);
    assertThat(r.json().get("diagnostics").get("k_evidence")).hasSize(8); // min(d, l) candidates
    assertThat(r.json().get("w_error").asDouble()).isLessThan(0.1);
    assertThat(Files.readAllLines(out.resolve("run.csv")).get(0)).contains(",k,k_selected,");
    assertThat(out.resolve("demo-scree.png")).exists();
    assertThat(out.resolve("report.html")).content().contains("How many hidden units?").contains("demo-scree.png");
    assertBadInput(tmp.resolve("auto.npz"), "--k auto chooses k when recovering; generate plants a network",
        "generate", "planted", "--k", "auto", "--truth", tmp.resolve("auto.json"));
  }

  /** Bad input: exit 2, exactly one line on stderr containing {@code expected}, and no output file. */
  static void assertBadInput(String expected, Object... args) {
    assertBadInput(tmp.resolve("never.json"), expected, args);
  }

  /** As above, with the output file that must not appear. */
  static void assertBadInput(Path out, String expected, Object... args) {
    Object[] withOut = Stream.concat(Stream.of(args), Stream.of("--out", out)).toArray();
    Result r = run(withOut);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains(expected);
    assertThat(out).doesNotExist();
  }

  @Test
  void badInputGetsOneLineAndExitCode2AndNoOutput() throws IOException {
    assertBadInput("does not exist", "recover", "--data", tmp.resolve("missing.npz"), "--k", 2);
    assertBadInput("k ≤ d", "recover", "--data", data, "--k", 11);
    // Engines: an unknown one, --master without Spark, and Spark without twolayer-spark on the class path.
    assertBadInput("--engine flink is not known", "recover", "--data", data, "--k", 2, "--engine", "flink");
    assertBadInput("--master is for --engine spark", "recover", "--data", data, "--k", 2, "--master", "local[2]");
    assertBadInput("the spark engine is not on the class path", "recover", "--data", data, "--k", 2,
        "--engine", "spark");
    assertBadInput("not --x/--y", "recover", "--x", data, "--y", data, "--k", 2, "--engine", "spark");
    assertBadInput("--refine trains on the samples in memory", "recover", "--data", data, "--k", 2, "--engine",
        "spark", "--refine");
    assertBadInput("name them X.npy and Y.npy", "generate", "planted", "--d", 3, "--k", 2, "--l", 2, "--n", 100,
        "--y-out", tmp.resolve("Y.npy"), "--truth", tmp.resolve("t.json"));
    // More units than outputs: the data cannot show them (exit 3, one line, no model).
    Result moreUnitsThanOutputs = run("recover", "--data", data, "--k", 9, "--out", tmp.resolve("never.json"));
    assertThat(moreUnitsThanOutputs.code()).isEqualTo(3);
    assertThat(moreUnitsThanOutputs.errLines()).hasSize(1);
    assertThat(moreUnitsThanOutputs.err()).contains("k ≤ l");
    assertThat(tmp.resolve("never.json")).doesNotExist();
    assertBadInput("--k 0 is not a number of hidden units: give a positive integer or auto", "recover", "--data", data,
        "--k", 0);
    assertBadInput("--k -3 is not a number of hidden units", "recover", "--data", data, "--k", -3);
    assertBadInput("Missing required option: '--k=K|auto'", "recover", "--data", data);

    Path x = tmp.resolve("x.npy");
    Path y = tmp.resolve("y.npy");
    NumpyWriter.writeNpy(x, NumpyWriter.Array.matrix(new double[30], 10, 3));
    NumpyWriter.writeNpy(y, NumpyWriter.Array.matrix(new double[18], 9, 2));
    assertBadInput("X has 10 rows but Y has 9", "recover", "--x", x, "--y", y, "--k", 1);

    byte[] full = Files.readAllBytes(x);
    Path truncated = tmp.resolve("trunc.npy");
    Files.write(truncated, Arrays.copyOf(full, full.length - 9));
    assertBadInput("truncated", "recover", "--x", truncated, "--y", y, "--k", 1);

    double[] xs = new double[300];
    double[] ys = new double[200];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Math.sin(i);
    }
    xs[47 * 3 + 2] = Double.POSITIVE_INFINITY;
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(xs, 100, 3));
    arrays.put("Y", NumpyWriter.Array.matrix(ys, 100, 2));
    Path nan = tmp.resolve("nan.npz");
    NumpyWriter.writeNpz(nan, arrays);
    assertBadInput("row 47, column 2", "recover", "--data", nan, "--k", 1);

    Path nowhere = tmp.resolve("no/dir/m.json");
    Result missingDir = run("recover", "--data", data, "--k", 5, "--out", nowhere);
    assertThat(missingDir.code()).isEqualTo(2);
    assertThat(missingDir.errLines()).hasSize(1);
    assertThat(missingDir.err()).contains("the folder").contains("does not exist");
    assertThat(nowhere).doesNotExist();
    // Generators write data files, so the output that must not appear is an .npz.
    assertBadInput(tmp.resolve("never.npz"), "unknown distribution 'laplace'", "generate", "planted", "--dist", "laplace", "--truth",
        tmp.resolve("t.json"));
    assertBadInput(tmp.resolve("never.npz"), "k = 6 exceeds d = 5", "generate", "planted", "--d", 5, "--k", 6, "--truth", tmp.resolve("t.json"));
  }

  @Test
  void anAsymmetricDatasetIsRefusedWithCheckSymmetry() throws IOException {
    double[] xs = new double[20_000 * 2];
    double[] ys = new double[20_000 * 2];
    Random r = new Random(1);
    for (int i = 0; i < xs.length; i++) {
      xs[i] = r.nextDouble(); // uniform on [0, 1): not symmetric
      ys[i] = r.nextGaussian();
    }
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(xs, 20_000, 2));
    arrays.put("Y", NumpyWriter.Array.matrix(ys, 20_000, 2));
    Path asym = tmp.resolve("asym.npz");
    NumpyWriter.writeNpz(asym, arrays);
    assertBadInput("not symmetric", "recover", "--data", asym, "--k", 2, "--check-symmetry");
  }

  @Test
  void dataThatCannotSupportRecoveryExitsWith3() {
    Path rankTwoData = tmp.resolve("rank2.npz");
    Path t = tmp.resolve("rank2-truth.json");
    assertThat(run("generate", "planted", "--d", 6, "--k", 2, "--l", 4, "--n", 20_000, "--out", rankTwoData,
        "--truth", t).code()).isZero();
    Path out = tmp.resolve("rank.json");
    Result r = run("recover", "--data", rankTwoData, "--k", 3, "--out", out);
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("rank_snr").contains("smaller --k");
    assertThat(out).doesNotExist();
  }

  @Test
  void csvDataWorksEndToEnd() throws IOException {
    Path csv = tmp.resolve("small.csv");
    Path t = tmp.resolve("small-truth.json");
    assertThat(run("generate", "planted", "--dist", "rademacher", "--d", 4, "--k", 2, "--l", 3, "--n", 50_000,
        "--out", csv, "--truth", t).code()).isZero();
    assertThat(Files.readAllLines(csv).get(0)).isEqualTo("x0,x1,x2,x3,y0,y1,y2");
    Path model = tmp.resolve("small-model.json");
    Result rec = run("recover", "--data", csv, "--k", 2, "--out", model);
    assertThat(rec.code()).as(rec.err()).isZero();
    assertThat(rec.out()).contains("detector_gap");
    Result eval = run("evaluate", "--model", model, "--truth", t, "--json");
    assertThat(eval.json().get("w_error").asDouble()).isLessThan(0.1);
  }

  @Tag("acceptance")
  @Test
  void gradientDescentAndSpectralFineTuningTrainFromTheCommandLine() throws IOException {
    Path gd = tmp.resolve("gd.json");
    Result train = run("train", "--data", data, "--k", 5, "--restarts", 2, "--iterations", 40, "--out", gd, "--json");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.json().get("diagnostics").get("runs")).hasSize(2);
    Path refined = tmp.resolve("refined.json");
    Result rec = run("recover", "--data", data, "--k", 5, "--refine", "--out", refined, "--json");
    assertThat(rec.code()).as(rec.err()).isZero();
    assertThat(rec.json().get("diagnostics").has("detector_gap")).isTrue();
    assertThat(rec.json().get("diagnostics").has("train_loss")).isTrue();
    // Noise-free data: fine-tuning drives the moment estimate to the exact network.
    double refinedError = run("evaluate", "--model", refined, "--truth", truth, "--json").json().get("w_error").asDouble();
    assertThat(refinedError).isLessThan(1e-4);
    Path fromFile = tmp.resolve("from-file.json");
    assertThat(run("train", "--data", data, "--k", 5, "--init", refined, "--iterations", 5, "--out", fromFile).code())
        .isZero();
    assertBadInput("--optimizer sgd is not known", "train", "--data", data, "--k", 5, "--optimizer", "sgd");
    assertBadInput("4×", "train", "--data", data, "--k", 4, "--init", refined);
  }

  @Tag("acceptance")
  @Test
  void benchReportsRatesAgainstTheMatrixMultiplyOfTheSameRun() throws IOException {
    Result r = run("bench", "--n", 20_000, "--d", 8, "--k", 3, "--l", 4, "--size", 96, "--repeats", 1, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("dgemm_gflops").asDouble()).isPositive();
    assertThat(j.get("dgemm_gflops_1_thread").asDouble()).isPositive();
    assertThat(j.get("sgemm_gflops").asDouble()).isPositive();
    List<String> names = new ArrayList<>();
    JsonNode one = null;
    for (JsonNode run : j.get("runs")) {
      names.add(run.get("run").asText());
      if (run.get("run").asText().equals("moment passes n=20000, 1 thread")) {
        one = run;
      }
      if (run.has("mb_per_second")) {
        assertThat(run.get("mb_per_second").asDouble()).isPositive();
        continue;
      }
      if (run.has("speedup")) {
        assertThat(run.get("speedup").asDouble()).isPositive();
        continue;
      }
      if (run.get("run").asText().endsWith("(floor)")) { // memory traffic alone: seconds, no arithmetic rate
        assertThat(run.get("seconds").asDouble()).isPositive();
        assertThat(run.has("gflops")).isFalse();
        continue;
      }
      assertThat(run.get("seconds").asDouble()).isPositive();
      assertThat(run.get("gflops").asDouble()).isPositive();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(names).contains("the samples read 3 times, nothing summed but them, " + cores + " threads (floor)");
    assertThat(names).contains("moment passes n=20000, 1 thread", "moment passes n=20000, " + cores + " threads",
        "speed-up n=20000, " + cores + " threads over 1");
    // Both implementations' multiply rates in both precisions; the Java kernels are always there.
    assertThat(names).contains("DGEMM 96³ java float64, 1 thread", "SGEMM 96³ java float32, 1 thread");
    if (NativeBlas.available()) {
      assertThat(names).anyMatch(n -> n.startsWith("SGEMM 96³ openblas"));
    }
    assertThat(names).anyMatch(n -> n.startsWith("pretraining round") && n.contains("float32"));
    assertThat(names).anyMatch(n -> n.startsWith("CSV read"));
    assertThat(j.get("runs").get(0).get("fraction_of_dgemm").asDouble()).isEqualTo(1.0);
    // Rows per second are samples over the seconds of the passes.
    assertThat(one.get("rows_per_second").asDouble() * one.get("seconds").asDouble()).isCloseTo(20_000,
        Assertions.within(1e-6));
    assertThat(run("bench", "--repeats", 0).code()).isEqualTo(2);
    // The table prints every row, the floor's (seconds and rows/s, no rate) among them.
    Result table = run("bench", "--n", 20_000, "--d", 8, "--k", 3, "--l", 4, "--size", 96, "--repeats", 1);
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("(floor)", "moment passes n=20000, 1 thread", "CSV read", "pretraining round");
  }

  @Test
  void helpAndMissingCommands() {
    Result help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("demo").contains("recover").contains("evaluate").contains("generate");
    assertThat(run("recover", "--help").out()).contains("--check-symmetry").contains("--no-reduce");
    Result none = run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("missing command");
  }
}
