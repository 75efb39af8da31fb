package io.github.twolayer.cli;

import static io.github.twolayer.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.cli.CliRun.Result;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.NumpySource;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.rng.simple.RandomSource;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-formed but numerically hostile data through the command line (the table of docs/reliability.md, "Any units"):
 * columns in extreme or mixed units recover the planted network, a single absurd entry and constant
 * outputs are one line with exit 2, and every command that reads samples refuses NaN naming its row
 * and column.
 */
class HostileDataTest {
  @TempDir
  static Path dir;

  static Dataset base;
  static Path truth;

  @BeforeAll
  static void data() throws IOException {
    Path file = dir.resolve("base.npz");
    truth = dir.resolve("truth.json");
    Result g = run("generate", "planted", "--dist", "cube", "--d", 10, "--k", 5, "--l", 8, "--n", 200_000, "--noise", 0,
        "--seed", 3, "--out", file, "--truth", truth);
    assertThat(g.code()).as(g.err()).isZero();
    base = Dataset.load(NumpySource.npz(file));
  }

  private static Path write(String name, double[] x, double[] y) throws IOException {
    Path file = dir.resolve(name);
    NumpyWriter.writeNpz(file, Map.of("X", NumpyWriter.Array.matrix(x, base.n(), 10),
        "Y", NumpyWriter.Array.matrix(y, base.n(), 8)));
    return file;
  }

  private static double wError(Path data, double[] dx) throws IOException {
    Path model = dir.resolve(data.getFileName() + ".model.json");
    Result r = run("recover", "--data", data, "--k", 5, "--out", model);
    assertThat(r.code()).as(r.err()).isZero();
    // The planted network in the data's units: W D⁻¹ (A unchanged: the outputs were not rescaled).
    var t = ModelFile.read(truth).network();
    double[] w = t.W();
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 10; j++) {
        w[i * 10 + j] /= dx[j];
      }
    }
    var inUnits = TwoLayerNet.of(10, 5, 8, w, t.A());
    var est = ModelFile.read(model).network();
    // The matched error after undoing the units on the estimate, so columns of 1e200 count as much as
    // the others (the metric normalizes rows of W).
    double[] we = est.W();
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 10; j++) {
        we[i * 10 + j] *= dx[j];
        w[i * 10 + j] *= dx[j];
      }
    }
    return RecoveryError.of(TwoLayerNet.of(10, 5, 8, w, t.A()),
        TwoLayerNet.of(10, 5, 8, we, est.A())).wError();
  }

  private static double[] columns(double... firstScales) {
    double[] d = new double[10];
    Arrays.fill(d, 1);
    System.arraycopy(firstScales, 0, d, 0, firstScales.length);
    return d;
  }

  private static double[] scaled(double[] dx) {
    double[] x = base.X().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= dx[i % 10];
    }
    return x;
  }

  @Test
  void columnsInExtremeOrMixedUnitsRecoverTheSameNetwork() throws IOException {
    double[] one = columns();
    double plain = wError(write("plain.npz", base.X(), base.Y()), one);
    assertThat(plain).isLessThan(0.02);
    double[] big = columns(1e200);
    double[] tiny = new double[10];
    Arrays.fill(tiny, 1e-160);
    double[] units = columns(1e6, 1e-6);
    for (double[] dx : new double[][] {big, tiny, units}) {
      double e = wError(write("scaled.npz", scaled(dx), base.Y()), dx);
      // Same data up to units: the same error to rounding (measured equal to 1e-12 relative).
      assertThat(e).isCloseTo(plain, Offset.offset(1e-9));
    }
    double[] y = base.Y().clone();
    for (int i = 0; i < y.length; i++) {
      y[i] *= 1e200;
    }
    Result r = run("recover", "--data", write("y.npz", base.X(), y), "--k", 5, "--out", dir.resolve("y.json"), "--json");
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void oneAbsurdEntryAndConstantOutputsAreOneLineWithExit2() throws IOException {
    double[] x = base.X().clone();
    x[1234 * 10 + 5] = 1e300;
    Result r = run("recover", "--data", write("entry.npz", x, base.Y()), "--k", 5, "--out", dir.resolve("e.json"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("input column 5").contains("row 1234");
    double[] y = new double[base.Y().length];
    Arrays.fill(y, 1);
    Result c = run("recover", "--data", write("flat.npz", base.X(), y), "--k", 5, "--out", dir.resolve("f.json"));
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err().strip().lines()).hasSize(1);
    assertThat(c.err()).contains("the outputs do not vary").doesNotContain("NaN");
  }

  @Test
  void everyCommandThatReadsSamplesRefusesNaNNamingRowAndColumn() throws IOException {
    double[] y = base.Y().clone();
    y[77 * 8 + 2] = Double.NaN;
    Path bad = write("nan.npz", base.X(), y);
    Path model = dir.resolve("m.json");
    String message = "Y has a non-finite value (NaN) at row 77, column 2";
    Result train = run("train", "--data", bad, "--k", 5, "--iterations", 3, "--out", model);
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains(message);
    assertThat(model).doesNotExist();
    Result recover = run("recover", "--data", bad, "--k", 5, "--out", model);
    assertThat(recover.code()).isEqualTo(2);
    assertThat(recover.err()).contains(message);
    Result ok = run("recover", "--data", write("good.npz", base.X(), base.Y()), "--k", 5, "--out", model);
    assertThat(ok.code()).as(ok.err()).isZero();
    Result evaluate = run("evaluate", "--model", model, "--data", bad);
    assertThat(evaluate.code()).isEqualTo(2);
    assertThat(evaluate.err()).contains(message);
  }

  @Test
  void pretrainingIsUnchangedByPowerOfTwoUnitsAndSaneInAnyUnits() throws IOException {
    Path tasks = dir.resolve("tasks.npz");
    Result g = run("generate", "multitask", "--d", 8, "--r", 2, "--tasks", 6, "--n-per-task", 400, "--seed", 8,
        "--out", tasks, "--truth", dir.resolve("subspace.json"));
    assertThat(g.code()).as(g.err()).isZero();
    var data = MultiTaskFiles.read(tasks);
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(4);
    double[] pow2 = new double[8];
    double[] any = new double[8];
    for (int j = 0; j < 8; j++) {
      pow2[j] = Math.scalb(1.0, -480 + rng.nextInt(961)); // 2^-480 … 2^480: about 1e-145 … 1e145
      any[j] = Math.pow(10, -150 + 300 * rng.nextDouble());
    }
    for (String sampling : new String[] {"subsets", "bernoulli"}) {
      Object[] common = {"--width", 16, "--rounds", 4, "--n1", 50, "--n2", 50, "--sampling", sampling};
      Path a = dir.resolve("rep-a.json");
      Path b = dir.resolve("rep-b.json");
      Path c = dir.resolve("rep-c.json");
      Result ra = run(CliRun.concat(new Object[] {"pretrain", "--data", tasks, "--out", a}, common));
      Result rb = run(CliRun.concat(new Object[] {"pretrain", "--data", scaledTasks(data, pow2, "pow2.npz"), "--out", b},
          common));
      Result rc = run(CliRun.concat(new Object[] {"pretrain", "--data", scaledTasks(data, any, "any.npz"), "--out", c},
          common));
      assertThat(ra.code()).as(ra.err()).isZero();
      assertThat(rb.code()).as(rb.err()).isZero();
      assertThat(rc.code()).as(rc.err()).isZero();
      double[] wa = ModelFile.read(a).network().W();
      double[] wb = inOriginalUnits(ModelFile.read(b).network().W(), pow2);
      // Power-of-two units: the standardized inputs are the same bits, so is everything after them
      // (both samplers, bernoulli's row hashes included).
      assertThat(wb).as(sampling).containsExactly(wa);
      // Other units (1e-150 … 1e150, where raw inputs overflow the first round): a finite layer.
      double[] wc = ModelFile.read(c).network().W();
      assertThat(Arrays.stream(wc).allMatch(Double::isFinite)).as(sampling).isTrue();
    }
  }

  private static Path scaledTasks(MultiTaskDataset data, double[] dx, String name)
      throws IOException {
    double[] x = data.x().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= dx[i % dx.length];
    }
    Path file = dir.resolve(name);
    MultiTaskFiles.write(file,
        new MultiTaskDataset(data.n(), data.d(), x, data.y(), data.task()));
    return file;
  }

  private static double[] inOriginalUnits(double[] w, double[] dx) {
    for (int i = 0; i < w.length; i++) {
      w[i] *= dx[i % dx.length]; // W D
    }
    return w;
  }
}
