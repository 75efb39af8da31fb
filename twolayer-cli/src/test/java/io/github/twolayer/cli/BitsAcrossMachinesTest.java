package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.model.TwoLayerNet;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the Java kernels ({@code --blas java}) every product is strict IEEE arithmetic in a fixed order
 * (Java's float and double operations are exactly rounded, {@code Math.fma} rounds once, the engine's slots
 * combine in a fixed order), so a seeded run gives the same bits on every CPU. The checksums below were
 * made on an AVX-512 machine; the test recomputes them here, and again in JVMs whose compiler is held to
 * AVX2 and to AVX (the code HotSpot runs on those CPUs), so a CPU-dependent step fails it on any machine. The native library gives no such promise: OpenBLAS picks its kernels by CPU
 * and a float32 product's last bits move with them.
 */
class BitsAcrossMachinesTest {

  /** SHA-256 of a planted {@code recover} run's W and A (float64, moments and decompositions). */
  static final String RECOVER = "a6a634eb3092f42b5b5a13dce6558297f1d15eaf6ba8440c464498ca98da2381";

  /** SHA-256 of a float32 online pretraining run's W and bias (five rounds at d = 40, T = 16, m = 64). */
  static final String PRETRAIN = "2ddbf13b11eda297d1dfc07b6add7c3cb4dd5c47e895a503e564f244fb8f2226";

  /** The same at d = 12, T = 6, m = 32: small enough for a CPU without FMA, where {@code Math.fma} is software. */
  static final String PRETRAIN_SMALL = "2d4b3d7cb0ddd9abe91a106e349a15af592b70d65dff1a2e4cd0ed410378a10f";

  @TempDir
  Path tmp;

  static final Object[] GENERATE = {"generate", "planted", "--dist", "student-t", "--d", 8, "--k", 4, "--l", 6,
      "--n", 20_000, "--seed", 5};
  static final Object[] PRETRAIN_ARGS = {"pretrain", "--online", "--d", 40, "--r", 3, "--tasks", 16, "--width", 64,
      "--rounds", 5, "--seed", 2, "--blas", "java"};
  static final Object[] PRETRAIN_SMALL_ARGS = {"pretrain", "--online", "--d", 12, "--r", 2, "--tasks", 6,
      "--width", 32, "--rounds", 5, "--seed", 2, "--blas", "java"};

  /** SHA-256 of the bits of a network's W, A (when present) and bias (when present), in that order. */
  static String checksum(TwoLayerNet net) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (double[] part : new double[][] {net.W(), net.A(), net.bias()}) {
      if (part == null) {
        continue;
      }
      ByteBuffer b = ByteBuffer.allocate(8 * part.length);
      for (double v : part) {
        b.putLong(Double.doubleToRawLongBits(v));
      }
      sha.update(b.array());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static String model(Path file) throws Exception {
    return checksum(ModelFile.read(file).network());
  }

  static Object[] with(Object[] head, Object... tail) {
    Object[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void seededRunsOnTheJavaKernelsHaveTheCommittedBits() throws Exception {
    Path data = tmp.resolve("data.npz");
    Result g = run(with(GENERATE, "--out", data, "--truth", tmp.resolve("truth.json")));
    assertThat(g.code()).as(g.err()).isZero();
    Result r = run("recover", "--data", data, "--k", 4, "--blas", "java", "--out", tmp.resolve("m.json"));
    assertThat(r.code()).as(r.err()).isZero();
    Result p = run(with(PRETRAIN_ARGS, "--out", tmp.resolve("rep.json")));
    assertThat(p.code()).as(p.err()).isZero();
    Result s = run(with(PRETRAIN_SMALL_ARGS, "--out", tmp.resolve("small.json")));
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(model(tmp.resolve("m.json"))).isEqualTo(RECOVER);
    assertThat(model(tmp.resolve("rep.json"))).isEqualTo(PRETRAIN);
    assertThat(model(tmp.resolve("small.json"))).isEqualTo(PRETRAIN_SMALL);
  }

  /**
   * The same runs in JVMs that compile as for an AVX2 CPU and an AVX (no AVX2) CPU. JVMs held to SSE or
   * without FMA give the same bits too (checked by hand: there {@code Math.fma} is exact software
   * arithmetic, 25–50 times slower, too slow for the suite).
   */
  @Test
  @Tag("acceptance")
  void theBitsDoNotDependOnTheVectorUnitTheCompilerTargets() throws Exception {
    Path data = tmp.resolve("data.npz");
    assertThat(run(with(GENERATE, "--out", data, "--truth", tmp.resolve("truth.json"))).code()).isZero();
    for (List<String> jvm : List.of(List.of("-XX:UseAVX=2"), List.of("-XX:UseAVX=1"))) {
      String tag = String.join("", jvm).replaceAll("[^A-Za-z0-9]", "");
      Path m = tmp.resolve("m-" + tag + ".json");
      ReliabilityTest.Forked r = ReliabilityTest.Forked.run(jvm, "recover", "--data", data, "--k", 4, "--blas", "java",
          "--out", m);
      assertThat(r.code()).as(jvm + ": " + r.err()).isZero();
      assertThat(model(m)).as(jvm.toString()).isEqualTo(RECOVER);
      Path small = tmp.resolve("small-" + tag + ".json");
      ReliabilityTest.Forked s = ReliabilityTest.Forked.run(jvm, with(PRETRAIN_SMALL_ARGS, "--out", small));
      assertThat(s.code()).as(jvm + ": " + s.err()).isZero();
      assertThat(model(small)).as(jvm.toString()).isEqualTo(PRETRAIN_SMALL);
      if (jvm.get(0).equals("-XX:UseAVX=2")) {
        Path rep = tmp.resolve("rep-" + tag + ".json");
        ReliabilityTest.Forked p = ReliabilityTest.Forked.run(jvm, with(PRETRAIN_ARGS, "--out", rep));
        assertThat(p.code()).as(jvm + ": " + p.err()).isZero();
        assertThat(model(rep)).as(jvm.toString()).isEqualTo(PRETRAIN);
      }
    }
  }
}
