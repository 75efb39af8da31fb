package io.github.twolayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.NumpySource;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.multitask.DataParallelPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.progress.Progress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recover} on .npy files larger than the JVM's whole heap: the passes stream memory-mapped row
 * blocks, and the model is the same bits as from the same samples held in memory.
 */
class OutOfCoreTest {
  static final int D = 8;
  static final int K = 3;
  static final int L = 4;
  static final int N = 1_600_000; // X 102 MB + Y 51 MB, against a 64 MB heap

  @TempDir
  Path tmp;

  @Tag("acceptance")
  @Test
  void recoverStreamsFilesLargerThanTheHeapAndMatchesTheInMemoryResult() throws Exception {
    Path x = tmp.resolve("X.npy");
    Path y = tmp.resolve("Y.npy");
    // The generator streams too: blocks of 2²⁰ samples, whatever n is.
    CliRun.Result generated = CliRun.run("generate", "planted", "--dist", "cube", "--d", D, "--k", K, "--l", L, "--n", N,
        "--noise", 0.1, "--seed", 33, "--out", x, "--y-out", y, "--truth", tmp.resolve("truth.json"));
    assertThat(generated.code()).as(generated.err()).isZero();
    assertThat(Files.size(x)).isEqualTo(128 + 8L * N * D);
    long heap = 64L << 20;
    assertThat(Files.size(x) + Files.size(y)).isGreaterThan(2 * heap);

    Path model = tmp.resolve("model.json");
    JsonNode result = runWithSmallHeap("recover", "--x", x, "--y", y, "--k", K, "--out", model, "--json");
    assertThat(result.get("n").asLong()).isEqualTo(N);
    // The heap never held the samples: the command ran in a 64 MB heap, and the peak it reports stays far
    // below the data's size (see PEAK_BOUND_MB).
    assertThat(result.get("peak_heap_mb").asDouble()).isLessThan(PEAK_BOUND_MB);

    Dataset inMemory = Dataset.load(NumpySource.npyPair(x, y));
    TwoLayerNet expected = MomentRecovery.fit(inMemory, RecoveryOptions.defaults(K)).network();
    TwoLayerNet streamed = ModelFile.read(model).network();
    // And it is the planted network (cube inputs, n = 1.6·10⁶: errors of a few 10⁻³).
    TwoLayerNet truth = ModelFile.read(tmp.resolve("truth.json")).network();
    assertThat(RecoveryError.of(truth, streamed).wError()).isLessThan(0.05);
    // Same blocks, same slots, same order of every sum: the same bits.
    assertThat(streamed.W()).containsExactly(expected.W());
    assertThat(streamed.A()).containsExactly(expected.A());
  }


  @Tag("acceptance")
  @Test
  void dataParallelPretrainingStreamsMultiTaskFilesLargerThanTheHeap() throws Exception {
    Path tasks = tmp.resolve("tasks.npz");
    // 16 tasks × 50 000 rows at d = 20: X alone is 128 MB.
    CliRun.Result generated = CliRun.run("generate", "multitask", "--d", 20, "--r", 3, "--tasks", 16, "--n-per-task",
        50_000, "--seed", 5, "--out", tasks, "--truth", tmp.resolve("subspace.json"));
    assertThat(generated.code()).as(generated.err()).isZero();
    assertThat(Files.size(tasks)).isGreaterThan(2 * (64L << 20));
    Path model = tmp.resolve("rep.json");
    JsonNode result = runWithSmallHeap("pretrain", "--data", tasks, "--sampling", "bernoulli", "--width", 32,
        "--rounds", 3, "--out", model, "--json");
    assertThat(result.get("peak_heap_mb").asDouble()).isLessThan(PEAK_BOUND_MB);
    // The same bits as the same command with the tasks held in memory (this JVM's heap holds them):
    // the same blocks, slots and order of every sum, the column scales of standardization included.
    Path cached = tmp.resolve("rep-memory.json");
    CliRun.Result inMemory = CliRun.run("pretrain", "--data", tasks, "--sampling", "bernoulli", "--width", 32,
        "--rounds", 3, "--out", cached);
    assertThat(inMemory.code()).as(inMemory.err()).isZero();
    assertThat(ModelFile.read(model).network().W()).containsExactly(ModelFile.read(cached).network().W());
    // And without standardization, the library's algorithm on the tasks in memory, bit for bit.
    JsonNode raw = runWithSmallHeap("pretrain", "--data", tasks, "--sampling", "bernoulli", "--width", 32,
        "--rounds", 3, "--out", model, "--json", "--no-standardize");
    var options = PretrainingOptions.defaults(32).withRounds(3).withSeed(raw.get("seed").asLong());
    double[] library = DataParallelPretraining.fit(
        MultiTaskFiles.read(tasks), options, Progress.NONE,
        (r, w) -> {}).network().W();
    assertThat(ModelFile.read(model).network().W()).containsExactly(library);
  }

  /** {@code twolayer ARGS} in a JVM with a 64 MB heap; its JSON result (exit code 0 asserted). */
  /**
   * peak_heap_mb adds up the peaks of the heap's pools (eden, survivor, old), which peak at different
   * times, so it can pass -Xmx64m a little (66.5 MB seen once in a pretraining run); the samples are
   * 128 MB and more, so 80 MB still shows that they were never held.
   */
  private static final double PEAK_BOUND_MB = 80;

  private static JsonNode runWithSmallHeap(Object... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    for (Object a : args) {
      command.add(String.valueOf(a));
    }
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return new ObjectMapper().readTree(out);
  }
}
