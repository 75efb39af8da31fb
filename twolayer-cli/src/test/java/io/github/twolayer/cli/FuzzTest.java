package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over every reader, through the command line's error handling: valid files
 * of each format (.npz planted, .npy pair, CSV, model JSON, multi-task .npz and CSV) are mutated —
 * bytes flipped, spans inserted, deleted or repeated, the file cut short, eight bytes overwritten with
 * a random double's bits (huge, tiny, NaN: what corrupted files decode to) — and each mutant is run
 * through the commands that read it. Every run must end in success, exit 2 (one line naming the
 * problem) or exit 3 (a failed diagnostic): never exit 1, a stack trace or a hang, and a failed run
 * never leaves its output file.
 *
 * <p>Model files are fuzzed as JSON and as .npz (read by evaluate and by generate --teacher).
 *
 * <p>{@value #DEFAULT_CASES} cases by default (seed {@value #SEED}); a longer run:
 * {@code mvn -B verify -pl twolayer-cli -am -Dtest=FuzzTest -Dtwolayer.fuzz.minutes=30
 * -Dtwolayer.fuzz.seed=7 -Dsurefire.failIfNoSpecifiedTests=false}. A failure prints the seed, the case
 * number, the command and the mutant's path (kept under the test's temporary directory) to reproduce it.
 */
class FuzzTest {
  static final int DEFAULT_CASES = 2000;
  static final long SEED = 20261129;

  @TempDir
  static Path dir;

  /** The valid files, each with the commands that read it (FILE stands for the mutant). */
  record Target(String name, byte[] bytes, List<Object[]> commands) {}

  private static final List<Target> targets = new ArrayList<>();

  @BeforeAll
  static void corpus() throws IOException {
    Path planted = dir.resolve("p.npz");
    Path truth = dir.resolve("truth.json");
    ok(run("generate", "planted", "--dist", "gaussian", "--d", 4, "--k", 2, "--l", 3, "--n", 400, "--seed", 1,
        "--out", planted, "--truth", truth));
    Path csv = dir.resolve("p.csv");
    ok(run("generate", "planted", "--dist", "cube", "--d", 4, "--k", 2, "--l", 3, "--n", 300, "--seed", 2,
        "--out", csv, "--truth", dir.resolve("truth2.json")));
    Path xs = dir.resolve("X.npy");
    Path ys = dir.resolve("Y.npy");
    ok(run("generate", "planted", "--dist", "gaussian", "--d", 4, "--k", 2, "--l", 3, "--n", 300, "--seed", 3,
        "--out", xs, "--y-out", ys, "--truth", dir.resolve("truth3.json")));
    Path model = dir.resolve("model.json");
    ok(run("recover", "--data", planted, "--k", 2, "--out", model));
    Path modelNpz = dir.resolve("model.npz");
    ok(run("recover", "--data", planted, "--k", 2, "--out", modelNpz));
    Path tasks = dir.resolve("tasks.npz");
    ok(run("generate", "multitask", "--d", 6, "--r", 2, "--tasks", 4, "--n-per-task", 60, "--seed", 4, "--out", tasks,
        "--truth", dir.resolve("subspace.json")));
    Path tasksCsv = dir.resolve("tasks.csv");
    ok(run("generate", "multitask", "--d", 6, "--r", 2, "--tasks", 4, "--n-per-task", 40, "--seed", 5, "--out",
        tasksCsv, "--truth", dir.resolve("subspace2.json")));
    Path rep = dir.resolve("rep.json");
    ok(run("pretrain", "--data", tasks, "--width", 8, "--rounds", 2, "--n1", 20, "--n2", 20, "--out", rep));
    Path task = dir.resolve("task.npz");
    ok(run("generate", "multitask", "--d", 6, "--r", 2, "--tasks", 1, "--n-per-task", 80, "--seed", 6, "--out", task,
        "--truth", dir.resolve("subspace3.json")));

    add("planted .npz", planted, List.of(
        new Object[] {"recover", "--data", "FILE", "--k", 2, "--out", "OUT"},
        new Object[] {"train", "--data", "FILE", "--k", 2, "--iterations", 5, "--out", "OUT"},
        new Object[] {"evaluate", "--model", model, "--data", "FILE"}));
    Object[] inputs = {"generate", "planted", "--inputs", "FILE", "--symmetrize", "--k", 2, "--l", 2, "--n", 200,
        "--out", "OUT.npz", "--truth", "OUT"};
    Object[] taskInputs = {"generate", "multitask", "--inputs", "FILE", "--r", 1, "--tasks", 2, "--n-per-task", 20,
        "--out", "OUT.npz", "--truth", "OUT"};
    add("planted .csv", csv, List.of(
        new Object[] {"recover", "--data", "FILE", "--k", 2, "--out", "OUT"},
        new Object[] {"evaluate", "--model", model, "--data", "FILE"}, inputs, taskInputs));
    add("X .npy", xs, List.of(new Object[] {"recover", "--x", "FILE", "--y", ys, "--k", 2, "--out", "OUT"}, inputs,
        taskInputs));
    add("Y .npy", ys, List.<Object[]>of(new Object[] {"recover", "--x", xs, "--y", "FILE", "--k", 2, "--out", "OUT"}));
    add("model .json", model, List.of(
        new Object[] {"evaluate", "--model", "FILE", "--truth", truth},
        new Object[] {"evaluate", "--model", "FILE", "--data", planted}));
    add("model .npz", modelNpz, List.of(
        new Object[] {"evaluate", "--model", "FILE", "--truth", truth},
        new Object[] {"generate", "planted", "--teacher", "FILE", "--n", 200, "--out", "OUT.npz", "--truth", "OUT"}));
    add("multi-task .npz", tasks, List.<Object[]>of(
        new Object[] {"pretrain", "--data", "FILE", "--width", 8, "--rounds", 2, "--n1", 20, "--n2", 20, "--out", "OUT"}));
    add("multi-task .csv", tasksCsv, List.<Object[]>of(
        new Object[] {"pretrain", "--data", "FILE", "--width", 8, "--rounds", 2, "--n1", 20, "--n2", 20, "--out", "OUT"}));
    add("task .npz", task, List.<Object[]>of(new Object[] {"adapt", "--model", rep, "--data", "FILE", "--out", "OUT"}));
    add("representation .json", rep, List.<Object[]>of(
        new Object[] {"adapt", "--model", "FILE", "--data", task, "--out", "OUT"}));
  }

  private static void ok(Result r) {
    assertThat(r.code()).as(r.err()).isZero();
  }

  private static void add(String name, Path file, List<Object[]> commands) throws IOException {
    targets.add(new Target(name, Files.readAllBytes(file), commands));
  }

  @Tag("acceptance")
  @Test
  void mutatedFilesEndInSuccessOrOneLineNeverAnInternalError() throws IOException {
    long seed = Long.getLong("twolayer.fuzz.seed", SEED);
    long minutes = Long.getLong("twolayer.fuzz.minutes", 0);
    int cases = minutes > 0 ? Integer.MAX_VALUE : Integer.getInteger("twolayer.fuzz.cases", DEFAULT_CASES);
    long end = minutes > 0 ? System.nanoTime() + minutes * 60_000_000_000L : Long.MAX_VALUE;
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    int[] codes = new int[4];
    for (int c = 0; c < cases && System.nanoTime() < end; c++) {
      Target t = targets.get(rng.nextInt(targets.size()));
      Object[] command = t.commands().get(rng.nextInt(t.commands().size()));
      String ext = t.name().contains(".npz") ? ".npz" : t.name().contains(".npy") ? ".npy"
          : t.name().contains(".csv") ? ".csv" : ".json";
      Path mutant = dir.resolve("case-" + c + ext);
      Files.write(mutant, mutate(t.bytes(), rng));
      Path out = dir.resolve("out-" + c + ".json");
      Object[] args = command.clone();
      for (int i = 0; i < args.length; i++) {
        args[i] = "FILE".equals(args[i]) ? mutant : "OUT".equals(args[i]) ? out
            : "OUT.npz".equals(args[i]) ? dir.resolve("out-" + c + ".npz") : args[i];
      }
      String what = "seed " + seed + ", case " + c + " (" + t.name() + "): twolayer " + String.join(" ",
          Arrays.stream(args).map(String::valueOf).toList());
      // 30 s: each case takes milliseconds; only a hang gets near it.
      Result r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(args), what);
      assertThat(r.code()).as(what + "\n" + r.err()).isIn(0, 2, 3);
      assertThat(r.err()).as(what).doesNotContain("internal error").doesNotContain("\tat ");
      // NaN only as the value a reader found in a file, never as a computed number in a message.
      assertThat(r.err().replace("non-finite value (NaN)", "")).as(what).doesNotContain("NaN");
      if (r.code() != 0) {
        assertThat(r.err().strip().lines().filter(l -> !l.startsWith("warning")).count()).as(what + "\n" + r.err())
            .isEqualTo(1);
        assertThat(out).as(what).doesNotExist();
        Files.delete(mutant); // passing cases leave nothing behind
        assertThat(dir.resolve("out-" + c + ".npz")).as(what).doesNotExist();
      } else {
        Files.deleteIfExists(mutant);
        Files.deleteIfExists(out);
        Files.deleteIfExists(dir.resolve("out-" + c + ".npz"));
      }
      codes[r.code()]++;
    }
    // Not vacuous: the mutants reach both outcomes in bulk.
    assertThat(codes[0]).isGreaterThan(50);
    assertThat(codes[2]).isGreaterThan(200);
  }

  /** One to three mutations of {@code bytes}. */
  static byte[] mutate(byte[] bytes, UniformRandomProvider rng) {
    byte[] b = bytes.clone();
    int times = 1 + rng.nextInt(3);
    for (int m = 0; m < times && b.length > 0; m++) {
      int at = rng.nextInt(b.length);
      switch (rng.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8)); // a bit flip
        case 1 -> b[at] = (byte) rng.nextInt(256); // a byte replaced
        case 2 -> b = Arrays.copyOf(b, at); // cut short
        case 3 -> { // a span deleted
          int len = Math.min(b.length - at, 1 + rng.nextInt(16));
          byte[] c = new byte[b.length - len];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + len, c, at, b.length - at - len);
          b = c;
        }
        case 4 -> { // a span inserted (random bytes or a repeat of what follows)
          int len = 1 + rng.nextInt(16);
          byte[] c = new byte[b.length + len];
          System.arraycopy(b, 0, c, 0, at);
          for (int i = 0; i < len; i++) {
            c[at + i] = rng.nextBoolean() ? (byte) rng.nextInt(256) : b[Math.min(b.length - 1, at + i)];
          }
          System.arraycopy(b, at, c, at + len, b.length - at);
          b = c;
        }
        default -> { // eight bytes become a random double: huge, tiny, subnormal or NaN
          if (b.length >= 8) {
            int p = rng.nextInt(b.length - 7);
            ByteBuffer.wrap(b, p, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(rng.nextLong());
          }
        }
      }
    }
    return b;
  }
}
