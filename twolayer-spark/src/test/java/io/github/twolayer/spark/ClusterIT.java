package io.github.twolayer.spark;

import static io.github.twolayer.cli.CliRun.concat;
import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * twolayer on a real multi-JVM Spark cluster ({@link LocalCluster}: a standalone Master and two Workers
 * on 127.0.0.1, each executor its own JVM), driven through the command line as a user drives it:
 * results equal to the local engine's, an executor killed during the passes, a master that does not
 * exist, and an application the master removes. Runs after {@code package} (failsafe), since the
 * cluster and the commands run from the built jars.
 */
class ClusterIT {
  /** A cluster command: JVM starts, two executor launches, the passes; ~25 s here. */
  private static final Duration COMMAND = Duration.ofMinutes(3);

  private static LocalCluster cluster;
  private static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    tmp = Files.createDirectories(LocalCluster.ROOT.resolve("twolayer-spark/target/cluster-it"));
    cluster = LocalCluster.start(tmp.resolve("cluster"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
      // Every JVM it started is gone: nothing outlives the tests.
      assertThat(cluster.executors()).isEmpty();
    }
  }

  private static Path planted(String name, int n) {
    Path data = tmp.resolve(name);
    if (!Files.exists(data)) {
      Result g = run("generate", "planted", "--dist", "gaussian", "--d", 10, "--k", 4, "--l", 6, "--n", n, "--seed", 7,
          "--out", data, "--truth", tmp.resolve(name + ".truth.json"));
      assertThat(g.code()).as(g.err()).isZero();
    }
    return data;
  }

  private static void assertSameNetwork(Path expected, Path actual, boolean withA) throws Exception {
    TwoLayerNet a = ModelFile.read(expected).network();
    TwoLayerNet b = ModelFile.read(actual).network();
    // Spark sums the same terms in another order (partitions, a tree): equal up to reassociation,
    // measured ~1e-14 relative; 1e-10 leaves room and still catches any different arithmetic.
    assertThat(Matrices.maxRelativeDifference(a.W(), b.W())).isLessThan(1e-10);
    if (withA) {
      assertThat(Matrices.maxRelativeDifference(a.A(), b.A())).isLessThan(1e-10);
    }
  }

  /** Spark's INFO lines stay off; what is left on stderr is a few lines at most (no stack traces). */
  private static void assertQuiet(Result r) {
    assertThat(r.err().lines().filter(s -> !s.isBlank()).toList()).as(r.err()).hasSizeLessThanOrEqualTo(3);
    assertThat(r.err()).doesNotContain(" INFO ").doesNotContain("\tat ");
  }

  @Test
  void recoverOnTheClusterEqualsTheLocalEngine() throws Exception {
    Path data = planted("recover.csv", 100_000);
    Result local = run("recover", "--data", data, "--k", 4, "--out", tmp.resolve("recover-local.json"));
    assertThat(local.code()).as(local.err()).isZero();
    Result onCluster = LocalCluster.exec(LocalCluster.twolayer("recover", "--engine", "spark", "--master",
        cluster.masterUrl(), "--data", data, "--k", 4, "--out", tmp.resolve("recover-cluster.json"), "--json"),
        List.of(), COMMAND);
    assertThat(onCluster.code()).as(onCluster.err()).isZero();
    assertQuiet(onCluster);
    assertThat(onCluster.json().get("engine").asText()).isEqualTo("spark");
    assertSameNetwork(tmp.resolve("recover-local.json"), tmp.resolve("recover-cluster.json"), true);
    // Not vacuous: both workers' executors ran tasks of this application.
    long ran = cluster.executorLogs().stream().filter(f -> contains(f, "Running task")).count();
    assertThat(ran).isGreaterThanOrEqualTo(2);
  }

  @Test
  void pretrainThroughSparkSubmitEqualsTheLocalDataParallelRun() throws Exception {
    Path data = tmp.resolve("tasks.csv");
    Result g = run("generate", "multitask", "--d", 12, "--r", 2, "--tasks", 8, "--n-per-task", 600, "--seed", 6,
        "--out", data, "--truth", tmp.resolve("subspace.json"));
    assertThat(g.code()).as(g.err()).isZero();
    Object[] common = {"--data", data, "--width", 24, "--rounds", 4, "--n1", 100, "--n2", 150};
    Result local = run(concat(new Object[] {"pretrain", "--sampling", "bernoulli", "--out",
        tmp.resolve("rep-local.json")}, common));
    assertThat(local.code()).as(local.err()).isZero();
    // spark-submit sets the master and spark.jars (the application jar) itself.
    Result submitted = LocalCluster.exec(LocalCluster.sparkSubmit(cluster.masterUrl(), concat(
        new Object[] {"pretrain", "--engine", "spark", "--out", tmp.resolve("rep-cluster.json")}, common)),
        List.of(), COMMAND);
    assertThat(submitted.code()).as(submitted.err()).isZero();
    assertQuiet(submitted);
    assertSameNetwork(tmp.resolve("rep-local.json"), tmp.resolve("rep-cluster.json"), false);
  }

  @Test
  void anExecutorKilledDuringThePassesIsReplacedAndTheResultIsUnchanged() throws Exception {
    Path data = planted("kill.csv", 300_000);
    Result local = run("recover", "--data", data, "--k", 4, "--out", tmp.resolve("kill-local.json"));
    assertThat(local.code()).as(local.err()).isZero();
    List<Path> before = cluster.executorLogs();
    Process p = LocalCluster.launch(LocalCluster.twolayer("recover", "--engine", "spark", "--master",
        cluster.masterUrl(), "--data", data, "--k", 4, "--out", tmp.resolve("kill-cluster.json")), List.of());
    // Stage 0 reads the CSV header, stage 1 reads and caches the blocks; from stage 2 on the passes run.
    Pattern pass = Pattern.compile("Running task \\S+ in stage ([2-9]|\\d\\d)\\.");
    Optional<ProcessHandle> victim = LocalCluster.await(COMMAND, () -> {
      for (Path log : cluster.executorLogs()) {
        if (!before.contains(log) && pass.matcher(read(log)).find()) {
          long id = Long.parseLong(log.getParent().getFileName().toString());
          return cluster.executors().stream()
              .filter(e -> e.info().commandLine().orElse("").contains("--executor-id " + id + " ")).findFirst();
        }
      }
      return Optional.empty();
    });
    assertThat(victim).as("an executor running a pass").isPresent();
    victim.get().destroyForcibly(); // kill -9: no shutdown hook, its cached blocks are gone
    Result r = LocalCluster.finish(p, COMMAND);
    assertThat(victim.get().isAlive()).isFalse();
    assertThat(r.code()).as(r.err()).isZero();
    assertSameNetwork(tmp.resolve("kill-local.json"), tmp.resolve("kill-cluster.json"), true);
  }

  @Test
  void aMasterThatDoesNotExistIsOneLineAndTheEngineExitCode() throws Exception {
    Path data = planted("recover.csv", 100_000);
    Path out = tmp.resolve("never.json");
    // A port nothing listens on: the loopback's port 9 (discard), closed on these machines.
    Result r = LocalCluster.exec(LocalCluster.twolayer("recover", "--engine", "spark", "--master",
        "spark://127.0.0.1:9", "--data", data, "--k", 4, "--out", out), List.of(), COMMAND);
    assertThat(r.code()).isEqualTo(EngineException.EXIT_CODE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("cannot reach the Spark master at spark://127.0.0.1:9");
    assertThat(out).doesNotExist();
  }

  @Test
  void anApplicationTheMasterRemovesEndsInOneLineWithTheMastersReason() throws Exception {
    Path data = planted("kill.csv", 300_000);
    Path out = tmp.resolve("removed.json");
    List<String> before = cluster.activeApps();
    Process p = LocalCluster.launch(LocalCluster.twolayer("recover", "--engine", "spark", "--master",
        cluster.masterUrl(), "--data", data, "--k", 4, "--out", out), List.of());
    Optional<String> app = LocalCluster.await(COMMAND, () -> cluster.activeApps().stream()
        .filter(id -> !before.contains(id)).findFirst());
    assertThat(app).as("the application registered").isPresent();
    cluster.killApp(app.get()); // what an operator's "kill" in the master's UI does
    Result r = LocalCluster.finish(p, COMMAND);
    assertThat(r.code()).as(r.err()).isEqualTo(EngineException.EXIT_CODE);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains("Master removed our application: KILLED").doesNotContain("internal error");
    assertThat(out).doesNotExist();
  }

  @Test
  void executorsThatCannotStartEndInOneLineInsteadOfWaitingForever() throws Exception {
    Path data = planted("recover.csv", 100_000);
    Path out = tmp.resolve("no-executors.json");
    // -Xss1k: every executor JVM refuses to start ("thread stack size too small"); Spark alone would
    // relaunch them and wait forever. Ten seconds of that, then one line.
    Result r = LocalCluster.exec(LocalCluster.twolayer(List.of("-Dspark.executor.extraJavaOptions=-Xss1k",
        "-D" + Cluster.EXECUTOR_WAIT + "=10"), "recover", "--engine", "spark", "--master", cluster.masterUrl(),
        "--data", data, "--k", 4, "--out", out), List.of(), COMMAND);
    assertThat(r.code()).as(r.err()).isEqualTo(EngineException.EXIT_CODE);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains("no executor of this application started on " + cluster.masterUrl() + " within 10 s");
    assertThat(out).doesNotExist();
  }

  private static boolean contains(Path f, String s) {
    return read(f).contains(s);
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "";
    }
  }
}
