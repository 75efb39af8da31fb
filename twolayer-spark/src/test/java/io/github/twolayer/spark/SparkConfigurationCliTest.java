package io.github.twolayer.spark;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.pass.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark configuration that cannot work, through the command line: one line on stderr with the exit
 * code of whose fault it is (2: the value given, 4: the engine), nothing of Spark's log on the
 * console, and no model written. The master URL and the data's format are checked before any Spark
 * session starts; a cluster manager that fails as the session starts is the one case that starts Spark
 * (the tests' stand-in for Spark's Kubernetes support, which cannot reach a cluster).
 */
class SparkConfigurationCliTest {
  @TempDir
  static Path tmp;

  static Path csv;
  static Path npz;

  private CapturedLog console;

  @BeforeAll
  static void data() {
    csv = tmp.resolve("d.csv");
    npz = tmp.resolve("d.npz");
    for (Path out : List.of(csv, npz)) {
      Result g = run("generate", "planted", "--d", 10, "--k", 5, "--l", 8, "--n", 2000, "--seed", 3, "--out", out,
          "--truth", tmp.resolve("t.json"));
      assertThat(g.code()).as(g.err()).isZero();
    }
  }

  @BeforeEach
  void capture() {
    console = new CapturedLog();
  }

  @AfterEach
  void release() {
    console.close();
  }

  /** Exactly one line on stderr, the exit code, nothing on the console from Spark, no model file. */
  private void assertOneLine(Result r, int code, Path out) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("internal error");
    assertThat(console.lines()).isEmpty();
    assertThat(out).doesNotExist();
  }

  private static boolean noSession() {
    return SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
  }

  @Test
  void aMasterUrlSparkDoesNotTakeIsOneLineAndExitCode2BeforeSparkStarts() {
    Path out = tmp.resolve("never.json");
    for (String master : List.of("bogus://x", "local[0]", "local[-1]", "spark://host", "spark://host:70000")) {
      Result r = run("recover", "--engine", "spark", "--master", master, "--data", csv, "--k", 5, "--out", out);
      assertOneLine(r, 2, out);
      assertThat(r.err()).as(master).contains("--master " + master + " is not a Spark master URL")
          .contains("local[N,F]").contains("spark://HOST:PORT").contains("yarn").contains("k8s://");
      assertThat(noSession()).as(master).isTrue();
    }
  }

  @Test
  void yarnWithoutSparksYarnSupportIsOneLineAndExitCode4() {
    Path out = tmp.resolve("never.json");
    Result r = run("recover", "--engine", "spark", "--master", "yarn", "--data", csv, "--k", 5, "--out", out);
    assertOneLine(r, EngineException.EXIT_CODE, out);
    assertThat(r.err()).contains("--master yarn needs Spark's YARN support").contains("spark-submit --master yarn");
    assertThat(noSession()).isTrue();
  }

  @Tag("acceptance")
  @Test
  void aClusterManagerThatCannotReachItsClusterIsOneLineAndExitCode4() {
    Path out = tmp.resolve("never.json");
    // A cluster session ships twolayer's cluster jar, which the tests' class path (target/classes) does
    // not have; any existing jar does for a session that never reaches an executor.
    String jarsBefore = System.getProperty("spark.jars");
    System.setProperty("spark.jars", SparkContext.class.getProtectionDomain().getCodeSource()
        .getLocation().getPath());
    Result r;
    try {
      // SparkContext logs "Error initializing SparkContext." with the stack trace at ERROR before it
      // throws; the console must not show it.
      r = run("recover", "--engine", "spark", "--master", "k8s://https://127.0.0.1:9", "--data", csv, "--k", 5,
          "--out", out);
    } finally {
      if (jarsBefore == null) {
        System.clearProperty("spark.jars");
      } else {
        System.setProperty("spark.jars", jarsBefore);
      }
    }
    assertOneLine(r, EngineException.EXIT_CODE, out);
    assertThat(r.err()).startsWith("error: Spark did not start on k8s://https://127.0.0.1:9: ")
        .contains("ConnectException: Connection refused");
  }

  @Test
  void numpyDataAreOneLineAndExitCode2BeforeSparkStarts() {
    Path out = tmp.resolve("never.json");
    Result r = run("recover", "--engine", "spark", "--data", npz, "--k", 5, "--out", out);
    assertOneLine(r, 2, out);
    assertThat(r.err().strip()).isEqualTo("error: --engine spark reads Parquet or CSV; " + npz + " is NumPy: drop "
        + "--engine spark (the local engine reads .npz), or convert it to Parquet");
    Result tasks = run("pretrain", "--engine", "spark", "--data", npz, "--width", 8, "--out", out);
    assertOneLine(tasks, 2, out);
    assertThat(tasks.err()).contains(npz + " is NumPy");
    assertThat(noSession()).isTrue();
  }

  @Test
  void aFileWithoutExtensionThatIsNotParquetIsOneLineAndExitCode2() throws Exception {
    Path plain = Files.copy(csv, tmp.resolve("samples"));
    Path out = tmp.resolve("never.json");
    Result r = run("recover", "--engine", "spark", "--data", plain, "--k", 5, "--out", out);
    assertOneLine(r, 2, out);
    assertThat(r.err()).contains(plain + " is neither a Parquet file (those begin with PAR1) nor named as CSV: if it "
        + "is CSV, name it *.csv");
    assertThat(noSession()).isTrue();
  }
}
