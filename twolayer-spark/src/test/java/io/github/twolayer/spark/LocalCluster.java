package io.github.twolayer.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.twolayer.cli.CliRun.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster for the tests: a Master and two Workers, each its own JVM on
 * 127.0.0.1, started by {@code scripts/local-cluster.sh} (the script users run) from the project's
 * own jars, with logs, work directories and PIDs under {@code target/}. {@link #close} stops every JVM
 * it started, executors included, by PID, also when a test failed; the JVMs are killed outright when
 * the script's stop does not end them within seconds.
 *
 * <p>Commands run as a user's would through {@code ./twolayer --engine spark}: a separate JVM with
 * twolayer-spark's jar, the command-line jar and {@code target/lib} on the class path.
 */
final class LocalCluster implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path LIB = ROOT.resolve("twolayer-spark/target/lib");
  static final Path SPARK_JAR = ROOT.resolve("twolayer-spark/target/twolayer-spark-0.1.0.jar");
  static final Path CLUSTER_JAR = ROOT.resolve("twolayer-spark/target/twolayer-spark-0.1.0-cluster.jar");
  static final Path CLI_JAR = ROOT.resolve("twolayer-cli/target/twolayer.jar");

  /** What Spark 3.5 needs to reach into the JDK on Java 17 (as in the pom and ./twolayer). */
  static final List<String> JAVA17 = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

  private final Path dir;
  private final String masterUrl;
  private final List<Long> pids = new ArrayList<>();

  private LocalCluster(Path dir, String masterUrl) throws IOException {
    this.dir = dir;
    this.masterUrl = masterUrl;
    try (Stream<Path> files = Files.list(dir.resolve("pids"))) {
      for (Path f : files.toList()) {
        pids.add(Long.parseLong(Files.readString(f).strip()));
      }
    }
  }

  /** Starts the cluster in {@code dir} (its previous contents are replaced). */
  static LocalCluster start(Path dir) throws IOException, InterruptedException {
    Result r = exec(List.of("bash", ROOT.resolve("scripts/local-cluster.sh").toString(), "start", dir.toString()),
        List.of(), Duration.ofMinutes(2));
    if (r.code() != 0) {
      // The script stops what it started when it fails; make sure.
      exec(List.of("bash", ROOT.resolve("scripts/local-cluster.sh").toString(), "stop", dir.toString()), List.of(),
          Duration.ofMinutes(1));
      throw new IllegalStateException("the local cluster did not start (exit " + r.code() + "): " + r.err());
    }
    return new LocalCluster(dir, r.out().strip());
  }

  String masterUrl() {
    return masterUrl;
  }

  Path dir() {
    return dir;
  }

  /** The executor JVMs the Workers run now (children of the Worker JVMs). */
  List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> p.descendants()
          .filter(c -> c.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(out::add));
    }
    return out;
  }

  /** The stderr logs of every executor launched so far (work/worker-N/app-*\/ID/stderr). */
  List<Path> executorLogs() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("work"))) {
      return files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList();
    }
  }

  /** The master web UI's address, from its log. */
  URI masterWebUi() throws IOException {
    Matcher m = Pattern.compile("MasterWebUI to [^,]+, and started at (http://[^\\s]+)")
        .matcher(Files.readString(dir.resolve("logs/master.log")));
    if (!m.find()) {
      throw new IllegalStateException("the master's log does not name its web UI");
    }
    return URI.create(m.group(1));
  }

  /** The ids of the applications the master lists as running. */
  List<String> activeApps() throws IOException, InterruptedException {
    String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(masterWebUi().resolve("/json/")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    var tree = new ObjectMapper().readTree(json);
    List<String> ids = new ArrayList<>();
    tree.path("activeapps").forEach(a -> ids.add(a.path("id").asText()));
    return ids;
  }

  /** Kills an application through the master's web UI, as an operator's "kill" link does. */
  void killApp(String id) throws IOException, InterruptedException {
    HttpRequest kill = HttpRequest.newBuilder(masterWebUi().resolve("/app/kill/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("id=" + id + "&terminate=true")).build();
    HttpClient.newHttpClient().send(kill, HttpResponse.BodyHandlers.discarding());
  }

  /** {@code ./twolayer ARGS} with {@code --engine spark}: the launcher's class path and JVM flags. */
  static List<String> twolayer(Object... args) {
    return twolayer(List.of(), args);
  }

  /** {@link #twolayer(Object...)} with JVM flags (JAVA_OPTS for the launcher). */
  static List<String> twolayer(List<String> javaOpts, Object... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx1g"));
    cmd.addAll(JAVA17);
    cmd.addAll(javaOpts);
    cmd.addAll(List.of("-cp", SPARK_JAR + ":" + CLI_JAR + ":" + LIB + "/*", "io.github.twolayer.cli.Main"));
    for (Object a : args) {
      cmd.add(String.valueOf(a));
    }
    return cmd;
  }

  /** spark-submit's way: SparkSubmit with the cluster jar as the application. */
  static List<String> sparkSubmit(String master, Object... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx1g"));
    cmd.addAll(JAVA17);
    cmd.addAll(List.of("-cp", LIB + "/*", "org.apache.spark.deploy.SparkSubmit", "--master", master,
        "--conf", "spark.driver.host=127.0.0.1", "--class", "io.github.twolayer.cli.Main", CLUSTER_JAR.toString()));
    for (Object a : args) {
      cmd.add(String.valueOf(a));
    }
    return cmd;
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a command to its end (at most {@code limit}), capturing its exit code, stdout and stderr. */
  static Result exec(List<String> cmd, List<String> env, Duration limit) throws IOException, InterruptedException {
    Process p = launch(cmd, env);
    return finish(p, limit);
  }

  static Process launch(List<String> cmd, List<String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Path out = Files.createTempFile("twolayer-it", ".out");
    Path err = Files.createTempFile("twolayer-it", ".err");
    out.toFile().deleteOnExit();
    err.toFile().deleteOnExit();
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    OUTPUTS.put(p.pid(), new Path[] {out, err});
    return p;
  }

  private static final Map<Long, Path[]> OUTPUTS = new ConcurrentHashMap<>();

  static Result finish(Process p, Duration limit) throws IOException, InterruptedException {
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
      Path[] files = OUTPUTS.remove(p.pid());
      throw new IllegalStateException("a command did not end within " + limit + "; its stderr: "
          + Files.readString(files[1], StandardCharsets.UTF_8));
    }
    Path[] files = OUTPUTS.remove(p.pid());
    Result r = new Result(p.exitValue(), Files.readString(files[0], StandardCharsets.UTF_8),
        Files.readString(files[1], StandardCharsets.UTF_8));
    Files.deleteIfExists(files[0]);
    Files.deleteIfExists(files[1]);
    return r;
  }

  /** Waits until {@code condition} holds (polling every 50 ms) or {@code limit} passes. */
  static <T> Optional<T> await(Duration limit, Callable<Optional<T>> condition) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      Optional<T> v = condition.call();
      if (v.isPresent()) {
        return v;
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    List<ProcessHandle> all = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.descendants().forEach(all::add);
        all.add(p);
      });
    }
    try {
      exec(List.of("bash", ROOT.resolve("scripts/local-cluster.sh").toString(), "stop", dir.toString()), List.of(),
          Duration.ofSeconds(30));
    } finally {
      for (ProcessHandle h : all) {
        h.destroyForcibly();
      }
      for (ProcessHandle h : all) {
        h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
      }
    }
  }
}
