package io.github.twolayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.multitask.Downstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real data as it comes: the 1 797 8×8 digits (64 pixel columns, values 0..16, uncentered; a dozen pixels
 * nearly always 0), as 45 one-vs-one tasks (digit a +1, digit b −1). {@code pretrain --data} on 36 of the
 * pairs, then {@code adapt} on N = 20 samples of each of the 9 held-out pairs must do as well as logistic
 * regression on the raw pixels from the same 20 samples. On the raw columns most units never fire, and
 * the diagnostics say so.
 */
class DigitsPretrainingTest {
  static final int D = 64;
  static final int N = 20;
  static final int WIDTH = 256;
  static final long[] DRAW_SEEDS = {1, 2, 3};

  @TempDir
  static Path tmp;

  static double[] pixels;   // 1797×64
  static int[] digits;
  static List<int[]> pairs = new ArrayList<>(); // {a, b} with a < b, in order
  static Path tasks;

  @BeforeAll
  static void pairTasks() throws IOException {
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(DigitsPretrainingTest.class.getResourceAsStream(
        "/io/github/twolayer/experiments/data/digits.csv"), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).startsWith("x0,x1,").endsWith(",x63,digit");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(",");
        double[] x = new double[D];
        for (int p = 0; p < D; p++) {
          x[p] = Double.parseDouble(f[p]);
        }
        rows.add(x);
        labels.add(Integer.parseInt(f[D]));
      }
    }
    pixels = new double[rows.size() * D];
    digits = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, pixels, i * D, D);
      digits[i] = labels.get(i);
    }
    assertThat(digits).hasSize(1797);
    for (int a = 0; a < 10; a++) {
      for (int b = a + 1; b < 10; b++) {
        pairs.add(new int[] {a, b});
      }
    }
    StringBuilder csv = header().append(",task\n");
    int task = 0;
    for (int p = 0; p < pairs.size(); p++) {
      if (heldOut(p)) {
        continue;
      }
      for (int i = 0; i < digits.length; i++) {
        int y = label(pairs.get(p), digits[i]);
        if (y != 0) {
          row(csv, i, y).append(',').append(task).append('\n');
        }
      }
      task++;
    }
    assertThat(task).isEqualTo(36);
    tasks = tmp.resolve("digit-pairs.csv");
    Files.writeString(tasks, csv);
  }

  /** Every fifth pair is held out: (0,1), (0,6), (1,3), (1,8), (2,6), (3,5), (4,5), (5,6), (6,8). */
  static boolean heldOut(int pair) {
    return pair % 5 == 0;
  }

  /** +1 for digit a, −1 for digit b, 0 for the others. */
  static int label(int[] pair, int digit) {
    return digit == pair[0] ? 1 : digit == pair[1] ? -1 : 0;
  }

  static StringBuilder header() {
    StringBuilder s = new StringBuilder();
    for (int p = 0; p < D; p++) {
      s.append(p == 0 ? "" : ",").append('x').append(p);
    }
    return s.append(",y");
  }

  static StringBuilder row(StringBuilder s, int i, int y) {
    for (int p = 0; p < D; p++) {
      s.append((int) pixels[i * D + p]).append(',');
    }
    return s.append(y);
  }

  /** Mean accuracies over the held-out pairs and draws: {pretrained layer + adapt, logistic regression on pixels}. */
  static double[] heldOutAccuracies(Path representation, String name) throws IOException {
    double adapted = 0;
    double logistic = 0;
    int runs = 0;
    TwoLayerNet identity = new TwoLayerNet(D, D, 0, identity(), null, null); // relu(x) = x: pixels are ≥ 0
    for (int p = 0; p < pairs.size(); p++) {
      if (!heldOut(p)) {
        continue;
      }
      int[] pair = pairs.get(p);
      List<Integer> plus = new ArrayList<>();
      List<Integer> minus = new ArrayList<>();
      for (int i = 0; i < digits.length; i++) {
        int y = label(pair, digits[i]);
        if (y > 0) {
          plus.add(i);
        } else if (y < 0) {
          minus.add(i);
        }
      }
      for (long seed : DRAW_SEEDS) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed * 100 + p);
        Collections.shuffle(plus, new Random(rng.nextLong()));
        Collections.shuffle(minus, new Random(rng.nextLong()));
        List<Integer> few = new ArrayList<>(plus.subList(0, N / 2)); // balanced: 10 of each digit
        few.addAll(minus.subList(0, N / 2));
        List<Integer> rest = new ArrayList<>(plus.subList(N / 2, plus.size()));
        rest.addAll(minus.subList(N / 2, minus.size()));
        Path train = write(name + "-few-" + p + "-" + seed + ".csv", few, pair);
        Path test = write(name + "-rest-" + p + "-" + seed + ".csv", rest, pair);
        Path model = tmp.resolve(name + "-adapted-" + p + "-" + seed + ".json");
        CliRun.Result a = CliRun.run("adapt", "--model", representation, "--data", train, "--out", model);
        assertThat(a.code()).as(a.err()).isZero();
        CliRun.Result e = CliRun.run("evaluate", "--model", model, "--data", test, "--json");
        assertThat(e.code()).as(e.err()).isZero();
        adapted += e.json().get("accuracy").asDouble();
        MultiTaskDataset fewData = dataset(few, pair);
        MultiTaskDataset restData = dataset(rest, pair);
        Downstream.Adapted lr = Downstream.fit(identity, fewData, Downstream.AdaptationOptions.defaults());
        logistic += lr.accuracy(restData.x(), restData.y(), restData.n());
        runs++;
      }
    }
    return new double[] {adapted / runs, logistic / runs};
  }

  static double[] identity() {
    double[] w = new double[D * D];
    for (int p = 0; p < D; p++) {
      w[p * D + p] = 1;
    }
    return w;
  }

  static Path write(String name, List<Integer> rows, int[] pair) throws IOException {
    StringBuilder csv = header().append('\n');
    for (int i : rows) {
      row(csv, i, label(pair, digits[i])).append('\n');
    }
    Path file = tmp.resolve(name);
    Files.writeString(file, csv);
    return file;
  }

  static MultiTaskDataset dataset(List<Integer> rows, int[] pair) {
    double[] x = new double[rows.size() * D];
    double[] y = new double[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(pixels, rows.get(r) * D, x, r * D, D);
      y[r] = label(pair, digits[rows.get(r)]);
    }
    return MultiTaskDataset.singleTask(rows.size(), D, x, y);
  }

  @Test
  @Tag("acceptance")
  void pretrainingOnTheRawPixelsAdaptsAsWellAsLogisticRegressionOnThem() throws IOException {
    Path rep = tmp.resolve("digits-rep.json");
    CliRun.Result r = CliRun.run("pretrain", "--data", tasks, "--width", WIDTH, "--out", rep, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode diagnostics = r.json().get("diagnostics");
    // Measured: loss 0.678 → 0.0048, accuracy 0.913 → 0.999, no unit dead or always on.
    assertThat(diagnostics.get("tasks").asInt()).isEqualTo(36);
    assertThat(diagnostics.get("rows_per_task").get("min").asInt()).isGreaterThan(300);
    assertThat(diagnostics.get("loss_end").asDouble()).isLessThan(diagnostics.get("loss_start").asDouble());
    assertThat(diagnostics.get("inactive_units").asDouble()).isLessThan(0.5);
    assertThat(diagnostics.get("warnings")).isEmpty();
    assertThat(diagnostics.get("constant_columns")).isNotEmpty(); // pixels 0 in every image (x0, x32, x39)
    double[] accuracy = heldOutAccuracies(rep, "std");
    // Means over 9 pairs × 3 draws of about 340 test rows each. Measured: adapt 0.980, logistic regression
    // 0.975 (on the raw columns pretraining reached 0.50). The margin of 0.01 is the one asked of it.
    assertThat(accuracy[0]).as("adapt %.4f against logistic regression %.4f", accuracy[0], accuracy[1])
        .isGreaterThanOrEqualTo(accuracy[1] - 0.01);
  }

  @Test
  @Tag("acceptance")
  void onTheRawColumnsTheDiagnosticsFlagTheUnitsThatNeverFire() throws IOException {
    Path rep = tmp.resolve("digits-raw.json");
    CliRun.Result r = CliRun.run("pretrain", "--data", tasks, "--width", WIDTH, "--out", rep, "--json",
        "--no-standardize");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode diagnostics = r.json().get("diagnostics");
    // Measured: 253 of the 256 units never fire, the loss rose from 0.384 to 0.685 (accuracy 0.91 → 0.51),
    // and adapt then reaches 0.50 on the held-out pairs.
    assertThat(diagnostics.get("inactive_units").asDouble()).isGreaterThan(0.5);
    assertThat(diagnostics.get("warnings").toString()).contains("never fire on the pretraining inputs")
        .contains("drop --no-standardize");
    assertThat(r.err()).contains("warning: ").contains("never fire");
  }
}
