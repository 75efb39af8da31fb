package io.github.twolayer.spark;

import static io.github.twolayer.cli.CliRun.concat;
import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line with {@code --engine spark}, as a user with a fresh clone runs it: the embedded
 * engine (here on {@code local[2]}) writes the model the default engine writes, up to the order of
 * additions, and bad input is one line with exit code 2.
 */
class SparkCliTest {
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    // One embedded session for the class: each command finds it active and leaves it running.
    SparkEngines.session("local[2]", new boolean[1]);
  }

  @AfterAll
  static void stop() {
    SparkSession.active().stop();
  }

  @Tag("acceptance")
  @Test
  void recoverWithSparkWritesTheDefaultEnginesModel() throws IOException {
    Path data = tmp.resolve("planted.csv");
    Result g = run("generate", "planted", "--dist", "gaussian", "--d", 8, "--k", 3, "--l", 5, "--n", 80_000,
        "--seed", 4, "--out", data, "--truth", tmp.resolve("truth.json"));
    assertThat(g.code()).as(g.err()).isZero();
    Result local = run("recover", "--data", data, "--k", 3, "--out", tmp.resolve("local.json"), "--json");
    Result spark = run("recover", "--data", data, "--k", 3, "--out", tmp.resolve("spark.json"), "--engine", "spark",
        "--master", "local[2]", "--json");
    assertThat(local.code()).as(local.err()).isZero();
    assertThat(spark.code()).as(spark.err()).isZero();
    assertThat(spark.json().get("engine").asText()).isEqualTo("spark");
    assertThat(spark.json().get("n").asLong()).isEqualTo(80_000);
    TwoLayerNet a = ModelFile.read(tmp.resolve("local.json")).network();
    TwoLayerNet b = ModelFile.read(tmp.resolve("spark.json")).network();
    assertThat(Matrices.maxRelativeDifference(a.W(), b.W())).isLessThan(1e-10);
    assertThat(Matrices.maxRelativeDifference(a.A(), b.A())).isLessThan(1e-10);
    Result evaluated = run("evaluate", "--model", tmp.resolve("spark.json"), "--truth", tmp.resolve("truth.json"),
        "--json");
    assertThat(evaluated.json().get("w_error").asDouble()).isLessThan(0.1);
  }

  @Tag("acceptance")
  @Test
  void pretrainWithSparkWritesTheLocalDataParallelModel() throws IOException {
    Path data = tmp.resolve("tasks.csv");
    Result g = run("generate", "multitask", "--d", 12, "--r", 2, "--tasks", 8, "--n-per-task", 600, "--seed", 6,
        "--out", data, "--truth", tmp.resolve("subspace.json"));
    assertThat(g.code()).as(g.err()).isZero();
    Object[] common = {"--data", data, "--width", 24, "--rounds", 5, "--n1", 100, "--n2", 150, "--json"};
    Result local = run(concat(new Object[] {"pretrain", "--sampling", "bernoulli", "--out", tmp.resolve("rl.json")},
        common));
    Result spark = run(concat(new Object[] {"pretrain", "--engine", "spark", "--master", "local[2]", "--out",
        tmp.resolve("rs.json")}, common));
    assertThat(local.code()).as(local.err()).isZero();
    assertThat(spark.code()).as(spark.err()).isZero();
    double[] a = ModelFile.read(tmp.resolve("rl.json")).network().W();
    double[] b = ModelFile.read(tmp.resolve("rs.json")).network().W();
    // The same sets (rows hashed by their raw values); the columns' means and scales, and every round's
    // sums, added in each engine's order: rounding-level differences, in W and in the bias c − W μ alike.
    // Measured 1.5e-15 (W) and 1.5e-16 (bias).
    assertThat(Matrices.maxRelativeDifference(a, b)).isLessThan(1e-10);
    assertThat(Matrices.maxRelativeDifference(ModelFile.read(tmp.resolve("rl.json")).network().bias(),
        ModelFile.read(tmp.resolve("rs.json")).network().bias())).isLessThan(1e-10);
    ModelFile written = ModelFile.read(tmp.resolve("rs.json"));
    assertThat(written.provenance().get("sampling")).isEqualTo("bernoulli");
    // Not vacuous: five rounds moved W well away from its initialization.
    long seed = ((Number) written.provenance().get("seed")).longValue();
    double[] initial = MultiTaskPretraining.initialLayer(12,
        PretrainingOptions.defaults(24).withSeed(seed)).W();
    assertThat(Matrices.maxRelativeDifference(initial, b)).isGreaterThan(0.01);
  }

  @Test
  void badInputIsOneLineAndExitCode2() throws IOException {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "x0,x1,y0,y1\n1,2,3,4\n1,,3,4\n");
    Path model = tmp.resolve("never.json");
    Result r = run("recover", "--data", csv, "--k", 1, "--out", model, "--engine", "spark", "--master", "local[2]");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("'x1'");
    assertThat(model).doesNotExist();
    Result engine = run("recover", "--data", csv, "--k", 1, "--out", model, "--engine", "flink");
    assertThat(engine.code()).isEqualTo(2);
    assertThat(engine.err()).contains("--engine flink is not known");
    Result subsets = run("pretrain", "--data", csv, "--width", 4, "--out", model, "--engine", "spark",
        "--sampling", "subsets");
    assertThat(subsets.code()).isEqualTo(2);
    assertThat(subsets.err()).contains("bernoulli");
  }
}
