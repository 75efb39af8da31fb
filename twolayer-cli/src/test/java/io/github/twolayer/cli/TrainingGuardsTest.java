package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.NumpyWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training never ends silently wrong: runs that diverge end with exit 3 and one line naming the step size
 * to lower (and write nothing), data that cannot teach are refused or warned about, and the method of
 * moments refuses outputs it cannot recover (linear ones, fewer outputs than units) for a given k and
 * for --k auto alike.
 */
class TrainingGuardsTest {
  @TempDir
  static Path tmp;

  static Path tasks;
  static Path planted;

  @BeforeAll
  static void data() {
    tasks = tmp.resolve("tasks.npz");
    Result g = run("generate", "multitask", "--d", 20, "--r", 3, "--tasks", 16, "--n-per-task", 256, "--out", tasks,
        "--truth", tmp.resolve("sub.json"));
    assertThat(g.code()).as(g.err()).isZero();
    planted = tmp.resolve("planted.npz");
    Result p = run("generate", "planted", "--dist", "cube", "--d", 10, "--k", 5, "--l", 8, "--n", 20_000, "--seed", 3,
        "--out", planted, "--truth", tmp.resolve("planted-truth.json"));
    assertThat(p.code()).as(p.err()).isZero();
  }

  /** Exit 3, exactly one line on stderr starting with {@code start} and containing {@code expected}, no model. */
  private static void assertDiverged(String start, String expected, Object... args) {
    Path out = tmp.resolve("never.json");
    Result r = run(CliRun.concat(args, new Object[] {"--out", out}));
    String what = String.join(" ", Arrays.stream(args).map(String::valueOf).toList());
    assertThat(r.code()).as(what + "\n" + r.err()).isEqualTo(3);
    assertThat(r.errLines()).as(what).hasSize(1);
    assertThat(r.err()).as(what).startsWith(start).contains(expected).doesNotContain("NaN");
    assertThat(out).as(what).doesNotExist();
  }

  @Test
  void pretrainingThatDivergesOnAnyPathExitsThreeNamingTheStepSizeAndWritesNothing() {
    String diverged = "error: training diverged at round ";
    // This command once made float32 (the default) write an all-NaN model with exit 0. (Round 41 since the
    // columns are centered and scaled exactly; round 39 when they were scaled by powers of two alone.)
    assertDiverged(diverged + "41 (the head gradients are not numbers)", "the features of W are too large: lower "
        + "--lr-w (now 1000)", "pretrain", "--data", tasks, "--width", 32, "--rounds", 50, "--lr-w", 1000);
    // Online (it wrote nothing but exited 1, "SVD did not converge"), for either step size; no truth file either.
    Path truth = tmp.resolve("online-truth.json");
    assertDiverged(diverged, "lower --lr-w (now 1.00e+20)", "pretrain", "--online", "--width", 32, "--rounds", 5,
        "--lr-w", 1e20, "--truth", truth);
    assertDiverged(diverged + "1 (the heads reach ∞)", "lower --lr-head (now 1.00e+300)", "pretrain", "--online",
        "--width", 32, "--rounds", 5, "--lr-head", 1e300, "--truth", truth);
    assertThat(truth).doesNotExist();
    // float64 task by task and the data-parallel engine: W ran away in round 1, and is named, not what
    // overflowed after it.
    for (String path : new String[] {"--precision=float64", "--sampling=bernoulli"}) {
      assertDiverged(diverged + "2 (the first layer W is not a number, after it reached ", "at round 1); lower "
          + "--lr-w (now 1.00e+300)", "pretrain", "--data", tasks, "--width", 32, "--rounds", 5, "--lr-w", 1e300, path);
      assertDiverged(diverged + "2 (the heads reach ∞, after they reached ", "at round 1); lower --lr-head (now "
          + "1.00e+300)", "pretrain", "--data", tasks, "--width", 32, "--rounds", 5, "--lr-head", 1e300, path);
    }
    // Theory mode, in both precisions (η_W = lr_W·m overflows to ∞ at 1e307), and float32 heads.
    for (String precision : new String[] {"float32", "float64"}) {
      assertDiverged(diverged + "1 (the first layer W is not a number)", "lower --lr-w (now 1.00e+307)", "pretrain",
          "--data", tasks, "--width", 32, "--mode", "theory", "--lr-w", 1e307, "--precision", precision);
    }
    assertDiverged(diverged + "1 (the heads reach ∞)", "lower --lr-head (now 1.00e+300)", "pretrain", "--data", tasks,
        "--width", 32, "--mode", "theory", "--lr-head", 1e300);
  }

  @Test
  void trainingAndAdaptationThatDivergeExitThreeAndWriteNothing() throws IOException {
    // Adam at lr 1e6 never overflows (the held-out loss reaches 1e15), and its early stopping handed back
    // the untouched random start with exit 0.
    assertDiverged("error: training diverged at epoch ", "lower --lr (now 1000000)", "train", "--data", planted,
        "--k", 5, "--optimizer", "adam", "--lr", 1e6, "--iterations", 5);
    // L-BFGS from a network whose loss overflows: said at the start, not a "converged" copy of it.
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(2);
    double[] w = new double[5 * 10];
    double[] a = new double[8 * 5];
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextDouble() - 0.5;
    }
    for (int i = 0; i < a.length; i++) {
      a[i] = 1e200 * (rng.nextDouble() - 0.5);
    }
    Path huge = tmp.resolve("huge.npz");
    NumpyWriter.writeNpz(huge, Map.of("W", NumpyWriter.Array.matrix(w, 5, 10), "A", NumpyWriter.Array.matrix(a, 8, 5)));
    assertDiverged("error: training diverged at iteration 0 (loss ∞ at the start)", "start from a network of "
        + "ordinary magnitudes", "train", "--data", planted, "--k", 5, "--init", huge);
    // adapt on inputs in units of 1e200: the features' squares overflow the Newton step (exit 0 and a head of
    // NaN, accuracy 0.42, before).
    Path rep = tmp.resolve("rep.json");
    assertThat(run("pretrain", "--data", tasks, "--width", 16, "--rounds", 5, "--out", rep).code()).isZero();
    // Task 3's rows as a single task.
    MultiTaskDataset all = MultiTaskFiles.read(tasks);
    int[] rows = all.rowsOf(3);
    int d = all.d();
    double[] allX = all.x();
    double[] allY = all.y();
    double[] x = new double[rows.length * d];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int p = 0; p < d; p++) {
        x[i * d + p] = 1e200 * allX[rows[i] * d + p];
      }
      y[i] = allY[rows[i]];
    }
    Path far = tmp.resolve("far.npz");
    MultiTaskFiles.write(far, MultiTaskDataset.singleTask(rows.length, d, x, y));
    assertDiverged("error: training diverged at Newton step 1 (objective not a number, features up to ",
        "give the inputs in the units the representation was pretrained on", "adapt", "--model", rep, "--data", far);
  }

  @Test
  void multiTaskDataThatCannotTeachAreRefusedOrWarnedAbout() throws IOException {
    MultiTaskDataset data = MultiTaskFiles.read(tasks);
    double[] plus = new double[data.n()];
    Arrays.fill(plus, 1);
    double[] byTask = new double[data.n()];
    int[] byLabel = new int[data.n()];
    for (int i = 0; i < data.n(); i++) {
      byTask[i] = data.task()[i] % 2 == 0 ? 1 : -1;
      byLabel[i] = data.y()[i] > 0 ? 1 : 0; // the labels saved as the task ids
    }
    Path allPlus = tmp.resolve("all-plus.npz");
    MultiTaskFiles.write(allPlus, new MultiTaskDataset(data.n(), data.d(), data.x(), plus, data.task()));
    Path oneClassTasks = tmp.resolve("one-class-tasks.npz");
    MultiTaskFiles.write(oneClassTasks, new MultiTaskDataset(data.n(), data.d(), data.x(), byTask, data.task()));
    Path labelsAsTasks = tmp.resolve("labels-as-tasks.csv");
    MultiTaskFiles.write(labelsAsTasks, new MultiTaskDataset(data.n(), data.d(), data.x(), data.y(), byLabel));
    Path noTask = tmp.resolve("no-task.npz");
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(data.x(), data.n(), data.d()));
    arrays.put("y", NumpyWriter.Array.vector(data.y()));
    NumpyWriter.writeNpz(noTask, arrays);
    for (String sampling : new String[] {"subsets", "bernoulli"}) {
      Object[] common = {"--width", 8, "--rounds", 2, "--sampling", sampling};
      MainTest.assertBadInput(tmp.resolve("never.json"), "every label is +1 (4096 rows, 16 tasks)",
          CliRun.concat(new Object[] {"pretrain", "--data", allPlus}, common));
      MainTest.assertBadInput(tmp.resolve("never.json"), "every task has labels of one class only (task 0 all +1, "
          + "task 1 all −1, task 2 all +1, …)", CliRun.concat(new Object[] {"pretrain", "--data", oneClassTasks}, common));
      MainTest.assertBadInput(tmp.resolve("never.json"), "check that the task ids number the tasks (not the labels)",
          CliRun.concat(new Object[] {"pretrain", "--data", labelsAsTasks}, common));
      // Without task ids a file reads as one task: pretraining it was silently single-task.
      MainTest.assertBadInput(tmp.resolve("never.json"), noTask + " has no array 'task' (it holds X, y), so its rows "
          + "read as one task; pretraining needs several tasks: ",
          CliRun.concat(new Object[] {"pretrain", "--data", noTask}, common));
      // n₁, n₂ above every task (256 rows): a warning with the sizes used, on stderr and in the diagnostics.
      Path out = tmp.resolve("rep-" + sampling + ".json");
      Result big = run(CliRun.concat(new Object[] {"pretrain", "--data", tasks, "--n1", 300, "--n2", 400, "--out", out,
          "--json"}, common));
      assertThat(big.code()).as(big.err()).isZero();
      String warning = "--n1 300 and --n2 400 exceed every task's rows (the largest task has 256): each round uses "
          + "S¹ of 256 and S² of 256 rows per task";
      assertThat(big.errLines()).hasSize(1).allMatch(l -> l.startsWith("warning: " + warning));
      assertThat(big.json().get("diagnostics").get("warnings").get(0).asText()).startsWith(warning);
      assertThat((List<?>) ModelFile.read(out).diagnostics().get("warnings")).hasSize(1);
      Result fits = run(CliRun.concat(new Object[] {"pretrain", "--data", tasks, "--out", out, "--json"}, common));
      assertThat(fits.err()).isEmpty();
      assertThat(fits.json().get("diagnostics").get("warnings")).isEmpty();
    }
    // A single task is what adapt takes, and the single-task baseline pretrains on it.
    assertThat(run("pretrain", "--data", noTask, "--width", 8, "--rounds", 2, "--baseline", "single-task", "--out",
        tmp.resolve("single.json")).code()).isZero();
  }

  /** Y = B x + noise on cube inputs: linear outputs, no ReLU in them. */
  private static Path linearOutputs() throws IOException {
    int n = 100_000;
    int d = 10;
    int l = 8;
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(11);
    double[] b = new double[l * d];
    for (int i = 0; i < b.length; i++) {
      b[i] = rng.nextDouble() - 0.5;
    }
    double[] x = new double[n * d];
    double[] y = new double[n * l];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < d; p++) {
        x[i * d + p] = Math.sqrt(3) * (2 * rng.nextDouble() - 1);
      }
      for (int o = 0; o < l; o++) {
        double s = 0.1 * (rng.nextDouble() - 0.5);
        for (int p = 0; p < d; p++) {
          s += b[o * d + p] * x[i * d + p];
        }
        y[i * l + o] = s;
      }
    }
    Path file = tmp.resolve("linear.npz");
    NumpyWriter.writeNpz(file, Map.of("X", NumpyWriter.Array.matrix(x, n, d), "Y", NumpyWriter.Array.matrix(y, n, l)));
    return file;
  }

  @Test
  void recoverRefusesLinearOutputsForAGivenKAndForKAuto() throws IOException {
    // --k auto counted the 8 singular values of the full-rank linear map and wrote a k = 8 model (exit 0);
    // a given k was refused, or not, by the detector of step 6 (its null-space test does not hold at k = 1
    // nor reliably at k = min(d, l)). All now refuse (exit 3); --k auto and k = 1 hear that Y looks linear.
    Path linear = linearOutputs();
    for (Object k : new Object[] {"auto", 5, 8, 1}) {
      Path out = tmp.resolve("linear.json");
      Result r = run("recover", "--data", linear, "--k", k, "--out", out);
      assertThat(r.code()).as("--k %s: %s", k, r.err()).isEqualTo(3);
      assertThat(r.errLines()).hasSize(1);
      assertThat(r.err()).startsWith("cannot recover (");
      if (k.equals("auto") || k.equals(1)) {
        assertThat(r.err()).as("--k %s", k).startsWith("cannot recover (mean_snr): the mean of the outputs is at "
            + "the level of sampling noise").contains("Y looks linear in x");
      }
      assertThat(out).doesNotExist();
    }
    // The planted ReLU data pass the same test.
    Result relu = run("recover", "--data", planted, "--k", "auto", "--out", tmp.resolve("relu.json"), "--json");
    assertThat(relu.code()).as(relu.err()).isZero();
    assertThat(relu.json().get("diagnostics").get("k_selected").asInt()).isEqualTo(5);
  }

  @Test
  void fewerOutputsThanUnitsAreWarnedAboutWhenGeneratedAndRefusedWhenRecovered() throws IOException {
    Path data = tmp.resolve("k3l1.npz");
    Path truth = tmp.resolve("k3l1-truth.json");
    String warning = "warning: the network has k = 3 hidden units but l = 1 output: the method of moments cannot "
        + "recover a network with fewer outputs than hidden units";
    // generate planted --k 3 --l 1 was refused (exit 2); such data serve train, so they are written, with a warning.
    Result g = run("generate", "planted", "--d", 10, "--k", 3, "--l", 1, "--n", 50_000, "--out", data, "--truth", truth);
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(g.errLines()).hasSize(1).allMatch(l -> l.startsWith(warning));
    Path teacher = tmp.resolve("teacher31.npz");
    NumpyWriter.writeNpz(teacher, Map.of("W", NumpyWriter.Array.matrix(ModelFile.read(truth).network().W(), 3, 10),
        "A", NumpyWriter.Array.matrix(new double[] {1, 0.7, 0.4}, 1, 3)));
    Result t = run("generate", "planted", "--teacher", teacher, "--n", 1000, "--out", tmp.resolve("t.npz"), "--truth",
        tmp.resolve("t.json"));
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.err()).startsWith(warning);
    // recover: the data show at most one unit; --k 3 and --k auto (which chose 1 and wrote a model) refuse.
    Path out = tmp.resolve("k3l1-model.json");
    Result given = run("recover", "--data", data, "--k", 3, "--out", out);
    assertThat(given.code()).isEqualTo(3);
    assertThat(given.errLines()).hasSize(1);
    assertThat(given.err()).contains("the outputs have l = 1 dimension").contains("can show at most k = 1");
    Result auto = run("recover", "--data", data, "--k", "auto", "--out", out);
    assertThat(auto.code()).isEqualTo(3);
    assertThat(auto.errLines()).hasSize(1);
    assertThat(auto.err()).contains("data with l = 1 output can show at most k = 1");
    assertThat(out).doesNotExist();
    // A one-unit model of these data against their truth: the message says why they differ (it is the truth).
    assertThat(run("recover", "--data", data, "--k", 1, "--out", out).code()).isZero();
    Result e = run("evaluate", "--model", out, "--truth", truth);
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.errLines()).hasSize(1);
    assertThat(e.err()).contains("the truth has k = 3 hidden units but the model has 1")
        .contains("which the method of moments cannot recover").contains("train --k 3")
        .doesNotContain("use the truth of this model's data");
  }

  @Test
  void trainSaysConvergedWhenTheLossReachesItsFloor() throws IOException {
    // Noise-free planted outputs: L-BFGS takes the loss to ~1e-15 and stops there ("stalled" before).
    Result r = run("train", "--data", planted, "--k", 5, "--iterations", 2000, "--out", tmp.resolve("trained.json"),
        "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode diagnostics = r.json().get("diagnostics");
    assertThat(diagnostics.get("train_loss").asDouble()).isLessThan(1e-12);
    assertThat(diagnostics.get("stop").asText()).isEqualTo("converged");
  }

  @Test
  @Tag("acceptance")
  void float32PretrainingOfTenThousandTasksRunsInASmallHeap() throws Exception {
    // 10 000 tasks of 2 rows (3.5 MB), padded to n₁ = n₂ = 256 rows each: the stacked buffers of a round
    // took 1.1 GB; batches of at most 32 MB fit a 128 MB heap with room to spare.
    Path many = tmp.resolve("many.npz");
    Result g = run("generate", "multitask", "--d", 20, "--r", 3, "--tasks", 10_000, "--n-per-task", 2, "--out", many,
        "--truth", tmp.resolve("many.json"));
    assertThat(g.code()).as(g.err()).isZero();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "pretrain", "--data", many.toString(), "--width",
        "32", "--rounds", "2", "--out", tmp.resolve("many-rep.json").toString(), "--json"));
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    JsonNode result = new ObjectMapper().readTree(out);
    assertThat(result.get("peak_heap_mb").asDouble()).isLessThan(128);
    assertThat(Files.exists(tmp.resolve("many-rep.json"))).isTrue();
  }
}
