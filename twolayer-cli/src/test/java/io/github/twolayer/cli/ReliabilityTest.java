package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.DataFiles;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NumpySource;
import io.github.twolayer.data.NumpyWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing silent: outputs that are devices, pipes, inputs or each other; runs that fail
 * or are interrupted half-way; model files with numbers or keys that cannot be; a heap too small;
 * paths the system cannot name; mistyped commands. Each case through the command line, as a user meets
 * it.
 */
class ReliabilityTest {
  @TempDir
  static Path tmp;

  static Path data;
  static Path truth;
  static Path tasks;
  static Path representation;

  @BeforeAll
  static void files() {
    data = tmp.resolve("base.npz");
    truth = tmp.resolve("truth.json");
    ok(run("generate", "planted", "--dist", "cube", "--d", 10, "--k", 5, "--l", 8, "--n", 20_000, "--seed", 3,
        "--out", data, "--truth", truth));
    tasks = tmp.resolve("tasks.npz");
    ok(run("generate", "multitask", "--d", 20, "--r", 3, "--tasks", 16, "--n-per-task", 256, "--out", tasks,
        "--truth", tmp.resolve("sub.json")));
    representation = tmp.resolve("rep.json");
    ok(run("pretrain", "--data", tasks, "--width", 16, "--rounds", 2, "--out", representation));
  }

  static Result ok(Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r;
  }

  /** Exit 2, one line on stderr containing {@code expected}. */
  static Result refused(Result r, String expected) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(expected);
    return r;
  }

  private static List<String> names(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Path folder(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name));
  }

  // --- row 1: devices and pipes ------------------------------------------------------------------

  @Test
  @Timeout(120)
  void aPipeAsOutputReceivesTheModelAndStaysAPipe() throws Exception {
    Path dir = folder("pipe");
    Path fifo = dir.resolve("model-pipe");
    mkfifo(fifo);
    CompletableFuture<String> reader = readAll(fifo);
    ok(run("recover", "--data", data, "--k", 5, "--out", fifo));
    String model = reader.get(60, TimeUnit.SECONDS);
    assertThat(model).contains("\"format\" : \"twolayer-model\"");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(names(dir)).containsExactly("model-pipe");

    // Data written through a pipe whose name says the format.
    Path csvPipe = dir.resolve("data.csv");
    mkfifo(csvPipe);
    CompletableFuture<String> csv = readAll(csvPipe);
    ok(run("generate", "planted", "--d", 4, "--k", 2, "--l", 3, "--n", 50, "--out", csvPipe, "--truth",
        dir.resolve("t.json")));
    assertThat(csv.get(60, TimeUnit.SECONDS).lines()).hasSize(51).first().isEqualTo("x0,x1,x2,x3,y0,y1,y2");
    assertThat(Files.isRegularFile(csvPipe)).isFalse();
  }

  private static CompletableFuture<String> readAll(Path fifo) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Test
  void aCharacterDeviceAsOutputStaysTheDevice() throws Exception {
    Path dir = folder("device");
    Path device = mknod(dir.resolve("mynull"), 3); // the null device
    ok(run("recover", "--data", data, "--k", 5, "--out", device));
    assertThat(Files.isRegularFile(device)).isFalse();
    assertThat(names(dir)).containsExactly("mynull");
  }

  static void mkfifo(Path fifo) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo " + fifo).isTrue();
  }

  /** A character device of major 1 ({@code minor} 3: null, 7: full) in a test folder, never the machine's. */
  static Path mknod(Path path, int minor) throws Exception {
    Process p = new ProcessBuilder("mknod", "-m", "666", path.toString(), "c", "1", String.valueOf(minor))
        .redirectErrorStream(true).start();
    boolean made = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    Assumptions.assumeTrue(made, "mknod needs root (CAP_MKNOD); the pipe tests cover devices' path without it");
    return path;
  }

  // --- row 2: an output that is an input -------------------------------------------------------

  @Test
  void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
    Path dir = folder("same");
    Path same = Files.copy(data, dir.resolve("same.npz"));
    byte[] before = Files.readAllBytes(same);
    Path hardLink = Files.createLink(dir.resolve("link.npz"), same);
    for (Path out : List.of(same, dir.resolve(".").resolve("same.npz"), hardLink)) {
      refused(run("recover", "--data", same, "--k", 5, "--out", out), "is the same file as the input " + same);
    }
    refused(run("train", "--data", same, "--k", 5, "--out", same, "--iterations", 1), "is the same file as the input");
    assertThat(Files.readAllBytes(same)).isEqualTo(before);

    Path taskCopy = Files.copy(tasks, dir.resolve("tasks.npz"));
    refused(run("pretrain", "--data", taskCopy, "--width", 8, "--rounds", 1, "--out", taskCopy),
        "is the same file as the input");
    Path rep = Files.copy(representation, dir.resolve("rep.json"));
    refused(run("adapt", "--model", rep, "--data", taskCopy, "--out", rep), "is the same file as the input");
    refused(run("train", "--data", same, "--k", 5, "--init", truth, "--out", truth), "is the same file as the input");
    Path teacher = Files.copy(truth, dir.resolve("teacher.json"));
    refused(run("generate", "planted", "--teacher", teacher, "--n", 100, "--out", dir.resolve("d.npz"), "--truth",
        teacher), "is the same file as the input");
    assertThat(Files.readAllBytes(teacher)).isEqualTo(Files.readAllBytes(truth));

    // Two outputs naming one file.
    refused(run("generate", "planted", "--n", 100, "--out", dir.resolve("X.npy"), "--y-out", dir.resolve("X.npy"),
        "--truth", dir.resolve("t.json")), "is named as two outputs");
    refused(run("generate", "planted", "--n", 100, "--out", dir.resolve("d.npz"), "--truth", dir.resolve("./d.npz")),
        "is named as two outputs");
    assertThat(names(dir)).containsExactlyInAnyOrder("same.npz", "link.npz", "tasks.npz", "rep.json", "teacher.json");
  }

  // --- row 3: a failed run leaves every existing file as it was ---------------------------------

  @Test
  void aGenerateWhoseDataWriteFailsKeepsTheOldTruth() throws Exception {
    Path dir = folder("full");
    Path truthFile = Files.writeString(dir.resolve("truth.json"), "the old truth");
    // The full device (major 1, minor 7) refuses every write with "No space left on device": a full disk.
    Path full = mknod(dir.resolve("data.npz"), 7);
    Result r = run("generate", "planted", "--n", 1000, "--out", full, "--truth", truthFile);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("cannot write " + full).contains("no space left on device");
    assertThat(Files.readString(truthFile)).isEqualTo("the old truth");
    assertThat(names(dir)).containsExactlyInAnyOrder("truth.json", "data.npz");

    // An unwritable target is refused before anything is drawn or written.
    Result missing = run("generate", "planted", "--n", 1000, "--out", dir.resolve("no/data.npz"), "--truth",
        truthFile);
    refused(missing, "does not exist");
    assertThat(Files.readString(truthFile)).isEqualTo("the old truth");
  }

  // --- rows 4 and 5: model files that cannot be ---------------------------------------------------

  /** The truth's JSON with its first weight replaced by {@code text}. */
  private static Path truthWith(String name, String text) throws IOException {
    String json = Files.readString(truth);
    Matcher w = Pattern.compile("\"W\" : \\[ \\[ (-?[0-9.eE+-]+)").matcher(json);
    assertThat(w.find()).isTrue();
    return Files.writeString(tmp.resolve(name), json.substring(0, w.start(1)) + text + json.substring(w.end(1)));
  }

  @Test
  @Timeout(60) // evaluate used to hang in the Hungarian matching on an infinite weight
  void aModelWithAnInfiniteWeightIsRefusedWhereverAModelIsRead() throws IOException {
    Path bad = truthWith("inf.json", "1e400");
    String entry = "\"W\"[0][0] is infinite";
    refused(run("evaluate", "--model", bad, "--truth", truth), entry);
    refused(run("evaluate", "--model", truth, "--truth", bad), entry);
    refused(run("evaluate", "--model", bad, "--data", data), entry);
    refused(run("generate", "planted", "--teacher", bad, "--n", 100, "--out", tmp.resolve("never.npz"), "--truth",
        tmp.resolve("never.json")), entry);
    refused(run("train", "--data", data, "--k", 5, "--init", bad, "--out", tmp.resolve("never.json")), entry);
    assertThat(tmp.resolve("never.npz")).doesNotExist();
    assertThat(tmp.resolve("never.json")).doesNotExist();
  }

  @Test
  void aModelFromAnotherActivationDuplicateKeysOrPythonNanIsRefusedInOurWords() throws IOException {
    String json = Files.readString(truth);
    Path tanh = Files.writeString(tmp.resolve("tanh.json"), json.replace("\"activation\" : \"relu\"",
        "\"activation\" : \"tanh\""));
    refused(run("evaluate", "--model", tanh, "--truth", truth), "has activation \"tanh\"; twolayer's networks are "
        + "A·relu(W x)");
    Path twice = Files.writeString(tmp.resolve("twice.json"), json.replace("\"W\" :", "\"W\" : [[1]], \"W\" :"));
    refused(run("evaluate", "--model", twice, "--truth", truth), "the key \"W\" appears twice");
    Path nan = truthWith("nan.json", "NaN"); // what Python's json.dump writes for float('nan')
    Result r = refused(run("evaluate", "--model", nan, "--truth", truth), "\"W\"[0][0] is NaN");
    assertThat(r.err()).doesNotContain("Jackson").doesNotContain("JsonReadFeature");
  }

  // --- row 7: a heap too small --------------------------------------------------------------------

  @Test
  @Tag("acceptance")
  void aHeapTooSmallIsOneLineWithTheFigureAndTheFix() throws Exception {
    Path big = tmp.resolve("1m.npz");
    ok(run("generate", "planted", "--d", 10, "--k", 5, "--l", 8, "--n", 1_000_000, "--out", big, "--truth",
        tmp.resolve("1m.json")));
    Forked train = Forked.run(List.of("-Xmx64m"), "train", "--data", big, "--k", 5, "--out", tmp.resolve("t.json"));
    assertThat(train.code()).as(train.err()).isEqualTo(2);
    assertThat(train.errLines()).hasSize(1);
    assertThat(train.err()).contains("needs about 138 MB of memory but the Java heap holds at most")
        .contains("JAVA_OPTS=-Xmx");
    // Where the need is not known in advance (a representation of a million units): the same one line.
    Forked wide = Forked.run(List.of("-Xmx64m"), "pretrain", "--online", "--d", 20, "--width", 2_000_000, "--rounds",
        1, "--out", tmp.resolve("wide.json"));
    assertThat(wide.code()).as(wide.err()).isEqualTo(2);
    assertThat(wide.errLines()).hasSize(1);
    assertThat(wide.err()).contains("pretrain ran out of memory").contains("JAVA_OPTS=-Xmx256m");
    assertThat(tmp.resolve("t.json")).doesNotExist();
    assertThat(tmp.resolve("wide.json")).doesNotExist();
  }

  @Test
  @Tag("acceptance")
  void generateStreamsSamplesLargerThanTheHeap() throws Exception {
    Path dir = folder("stream");
    // 1.5·10⁶ × (10 + 8) doubles: 216 MB, in a 64 MB heap, to .npz and to CSV.
    for (String name : List.of("big.npz", "big.csv")) {
      Forked g = Forked.run(List.of("-Xmx64m"), "generate", "planted", "--d", 10, "--k", 5, "--l", 8, "--n",
          1_500_000, "--out", dir.resolve(name), "--truth", dir.resolve(name + ".json"));
      assertThat(g.code()).as(g.err()).isZero();
    }
    // The same samples as the .npy pair, whose blocks come from the same streams.
    ok(run("generate", "planted", "--d", 10, "--k", 5, "--l", 8, "--n", 1_500_000, "--out", dir.resolve("X.npy"),
        "--y-out", dir.resolve("Y.npy"), "--truth", dir.resolve("pair.json")));
    Dataset npz = Dataset.load(NumpySource.npz(dir.resolve("big.npz")));
    Dataset pair = Dataset.load(NumpySource.npyPair(dir.resolve("X.npy"), dir.resolve("Y.npy")));
    // isEqualTo compares arrays element by element (containsExactly's diff is quadratic in their length).
    assertThat(npz.X()).isEqualTo(pair.X());
    assertThat(npz.Y()).isEqualTo(pair.Y());
    Dataset csv = Dataset.load(DataFiles.open(dir.resolve("big.csv"), null, null));
    assertThat(csv.X()).isEqualTo(pair.X()); // round-trip decimals: the same doubles
  }

  // --- rows 14 and 15: names ------------------------------------------------------------------

  @Test
  void aLongLegalNameIsWrittenAndAModelNameWithoutAFormatIsRefused() throws IOException {
    Path dir = folder("names");
    Path longName = dir.resolve("m".repeat(250) + ".json"); // 255 bytes: the file system's limit for a name
    ok(run("recover", "--data", data, "--k", 5, "--out", longName));
    assertThat(ModelFile.read(longName).network().k()).isEqualTo(5);
    for (String name : List.of("model.npy", "model.csv", "model")) {
      refused(run("recover", "--data", data, "--k", 5, "--out", dir.resolve(name)),
          "cannot tell the model format of " + dir.resolve(name) + ": name it .json");
      refused(run("adapt", "--model", representation, "--data", tasks, "--out", dir.resolve(name)), "name it .json");
    }
    refused(run("generate", "planted", "--n", 100, "--out", dir.resolve("d.npy"), "--truth", dir.resolve("t.json")),
        "cannot tell the format of " + dir.resolve("d.npy") + ": name it FILE.npz or FILE.csv");
    refused(run("generate", "planted", "--n", 100, "--out", dir.resolve("d.npz"), "--truth", dir.resolve("t.csv")),
        "cannot tell the model format");
    assertThat(names(dir)).containsExactly(longName.getFileName().toString());
  }

  // --- row 16: the symmetry check in the data's units -----------------------------------------------

  @Test
  void theSymmetryRefusalQuotesTheMeanInTheDataUnits() throws IOException {
    Dataset base = Dataset.load(NumpySource.npz(data));
    double[] x = base.X().clone();
    for (int i = 0; i < base.size(); i++) {
      x[i * 10] = 1000 + 1000 * x[i * 10]; // column 0: uniform on [0, 2000], mean 1000
    }
    Path shifted = tmp.resolve("shifted.npz");
    NumpyWriter.writeNpz(shifted, Map.of("X", NumpyWriter.Array.matrix(x, base.size(), 10),
        "Y", NumpyWriter.Array.matrix(base.Y(), base.size(), 8)));
    Result r = refused(run("recover", "--data", shifted, "--k", 5, "--out", tmp.resolve("never.json"),
        "--check-symmetry"), "the inputs are not symmetric: E[x0] = ");
    Matcher m = Pattern.compile("E\\[x0\\] = ([0-9.]+)").matcher(r.err());
    assertThat(m.find()).isTrue();
    // 20 000 draws of a mean with standard deviation 577: the sample mean is within 1% of 1000.
    assertThat(Double.parseDouble(m.group(1))).isBetween(990.0, 1010.0);
  }

  // --- row 17: paths the system cannot name -----------------------------------------------------

  @Test
  void pathsTheSystemCannotNameGetOneTrueLine() throws Exception {
    String tooLong = "a/".repeat(2100) + "data.npz";
    refused(run("recover", "--data", tooLong, "--k", 5, "--out", tmp.resolve("m.json")), "this system takes paths of "
        + "at most 4095 bytes");
    refused(run("recover", "--data", data, "--k", 5, "--out", tmp.resolve("n".repeat(300) + ".json")),
        "is longer than 255 bytes");
    // A non-ASCII name under the C locale: the JVM cannot encode it.
    Forked c = Forked.run(List.of(), Map.of("LC_ALL", "C"), "recover", "--data", data, "--k", 5, "--out",
        tmp.resolve("modèle.json"));
    assertThat(c.code()).as(c.err()).isEqualTo(2);
    assertThat(c.errLines()).hasSize(1);
    assertThat(c.err()).contains("has characters that this system's locale").contains("LC_ALL=C.UTF-8")
        .doesNotContain("InvalidPathException");
  }

  // --- rows 18 and 19: interrupted and killed runs -------------------------------------------------

  /** A generate that writes for a long time: 4·10⁷ rows of d = 20 as an .npy pair (9.6 GB if let run). */
  private static List<Object> longGenerate(Path dir) {
    return List.of("generate", "planted", "--d", 20, "--k", 5, "--l", 10, "--n", 40_000_000, "--out",
        dir.resolve("X.npy"), "--y-out", dir.resolve("Y.npy"), "--truth", dir.resolve("t.json"));
  }

  /** Waits until the run has started writing (a temporary file of it exists in {@code dir}). */
  private static void awaitTemporaryFiles(Path dir, Process p) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (names(dir).stream().filter(n -> n.startsWith(".twolayer-")).count() >= 2) {
        return;
      }
      assertThat(p.isAlive()).as("the run ended before it wrote").isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("no temporary files in " + dir + ": " + names(dir));
  }

  @Test
  @Tag("acceptance")
  void ctrlCAndSigtermSayInterruptedAndWriteNothing() throws Exception {
    for (String signal : List.of("INT", "TERM")) {
      Path dir = folder("signal-" + signal);
      Files.writeString(dir.resolve("t.json"), "the old truth");
      Process p = Forked.start(List.of(), Map.of(), longGenerate(dir).toArray());
      awaitTemporaryFiles(dir, p);
      assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor()).isZero();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(err).isEqualTo(signal.equals("INT") ? 130 : 143);
      assertThat(err.lines().toList()).containsExactly(Main.INTERRUPTED);
      assertThat(names(dir)).containsExactly("t.json"); // no data, no temporary files, the old truth kept
      assertThat(Files.readString(dir.resolve("t.json"))).isEqualTo("the old truth");
    }
  }

  @Test
  @Tag("acceptance")
  void theTemporaryFilesOfAKilledRunAreRemovedByTheNextRun() throws Exception {
    Path dir = folder("killed");
    Process p = Forked.start(List.of(), Map.of(), longGenerate(dir).toArray());
    awaitTemporaryFiles(dir, p);
    p.destroyForcibly(); // kill -9: no shutdown hook runs, the temporary files stay
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(names(dir)).filteredOn(n -> n.startsWith(".twolayer-")).hasSizeGreaterThanOrEqualTo(2);
    ok(run("generate", "planted", "--n", 100, "--out", dir.resolve("small.npz"), "--truth", dir.resolve("s.json")));
    assertThat(names(dir)).containsExactlyInAnyOrder("small.npz", "s.json");
  }

  // --- the command line itself ------------------------------------------------------------------

  @Test
  void mistypedCommandsAndOptionsGetTheNearestOnes() {
    refused(run("recover", "--dat", data, "--k", 5, "--out", tmp.resolve("m.json")),
        "unknown option --dat; did you mean --data?");
    refused(run("recovr", "--data", data), "'recovr' is not a command; did you mean recover");
    refused(run("fit", "--data", data), "'fit' is not a command; the commands are demo, generate, recover");
    refused(run("generate", "plantd"), "'plantd' is not a kind of twolayer generate; did you mean planted?");
  }

  /** A command in a JVM of its own (for heap sizes, locales and signals). */
  record Forked(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    static Forked run(List<String> jvm, Object... args) throws Exception {
      return run(jvm, Map.of(), args);
    }

    static Forked run(List<String> jvm, Map<String, String> env, Object... args) throws Exception {
      Process p = start(jvm, env, args);
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      byte[] err = drain(p.getErrorStream());
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      return new Forked(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    }

    static Process start(List<String> jvm, Map<String, String> env, Object... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvm);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
      for (Object a : args) {
        command.add(String.valueOf(a));
      }
      ProcessBuilder b = new ProcessBuilder(command);
      b.environment().putAll(env);
      return b.start();
    }

    private static byte[] drain(InputStream in) {
      try {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
