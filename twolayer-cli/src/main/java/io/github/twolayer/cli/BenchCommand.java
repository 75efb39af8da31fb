package io.github.twolayer.cli;

import io.github.twolayer.data.CsvSource;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.JavaBlas;
import io.github.twolayer.linalg.NativeBlas;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.pass.Accumulator;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineFactory;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.sampling.TaskFamily;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code twolayer bench}: times the method of moments' passes next to this machine's matrix-multiply
 * rate, measured in the same process: on one thread, on all cores, and (with {@code --engine spark})
 * on Spark, at each {@code --n}. JMH figures for the kernels alone: module twolayer-bench.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time the moment passes (one thread, all cores, optionally Spark) against this machine's "
        + "matrix-multiply rate, measured in the same run.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "1000000", split = ",", description = "Samples, one or more (default: "
      + "${DEFAULT-VALUE}; 10000000 needs about 8 GB of heap: JAVA_OPTS=-Xmx14g).")
  List<Long> ns;

  @Option(names = "--d", defaultValue = "50", description = "Input dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--k", defaultValue = "10", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--l", defaultValue = "20", description = "Outputs (default: ${DEFAULT-VALUE}).")
  int l;

  @Option(names = "--size", defaultValue = "1024", description = "Matrix size of the multiply (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--repeats", defaultValue = "3", description = "Timed runs of each, after warm-ups; runs over more "
      + "than 2 million samples are timed once (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--partitions", description = "Spark partitions (default: 4 per core).")
  Integer partitions;

  @Mixin
  Common.SeedOption seedOption;

  @Mixin
  Common.EngineOptions engine;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  /** Median seconds of the timed runs after warm-ups (so that the JIT has compiled the kernels). */
  double time(Supplier<Object> body, int warmups, int runs) {
    for (int i = 0; i < warmups; i++) {
      body.get();
    }
    double[] s = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      body.get();
      s[i] = (System.nanoTime() - t0) * 1e-9;
    }
    Arrays.sort(s);
    return s[runs / 2];
  }

  /** Seconds in the passes of {@code a} and {@code b}, run alternately (a, b, a, b, ...) after warm-ups of both. */
  static double[][] alternating(Supplier<Recovery> a, Supplier<Recovery> b, int warmups, int runs) {
    for (int i = 0; i < warmups; i++) {
      a.get();
      b.get();
    }
    double[][] s = new double[2][runs];
    for (int i = 0; i < runs; i++) {
      s[0][i] = passTotal(a.get());
      s[1][i] = passTotal(b.get());
    }
    return s;
  }

  static double passTotal(Recovery r) {
    return r.passSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Median over runs of the seconds spent in the passes over the samples (the driver's steps excluded). */
  double passSeconds(Supplier<Recovery> body, int warmups, int runs) {
    for (int i = 0; i < warmups; i++) {
      body.get();
    }
    double[] s = new double[runs];
    for (int i = 0; i < runs; i++) {
      s[i] = passTotal(body.get());
    }
    return median(s);
  }

  @Override
  public Integer call() {
    if (repeats < 1 || size < 1 || ns.stream().anyMatch(v -> v < 1)) {
      throw new IllegalArgumentException("--repeats, --size and --n must be positive");
    }
    boolean spark = engine.spark();
    int cores = Runtime.getRuntime().availableProcessors();
    PrintWriter out = commandSpec.commandLine().getOut();
    List<Map<String, Object>> rows = new ArrayList<>();
    Blas.Choice choice = Main.blas(commandSpec);
    Blas blas = choice.implementation();
    double multiplyFlops = 2.0 * size * size * size;
    // The multiply rates of both implementations in both precisions, 1 thread and all cores; the passes
    // and the pretraining round are compared with the rate of the implementation that runs them.
    Map<String, Double> rates = new LinkedHashMap<>();
    List<Blas> implementations = new ArrayList<>();
    if (NativeBlas.available()) {
      implementations.add(NativeBlas.instance());
    }
    implementations.add(JavaBlas.instance());
    for (Blas b : implementations) {
      for (boolean single : new boolean[] {false, true}) {
        for (int threads : cores == 1 ? new int[] {1} : new int[] {1, cores}) {
          double gflops = multiplyRate(b, single, threads);
          String key = b.name() + (single ? " float32" : " float64") + ", " + threads + (threads == 1 ? " thread" : " threads");
          rates.put(key, gflops);
          rows.add(row((single ? "SGEMM " : "DGEMM ") + size + "³ " + key, multiplyFlops / gflops / 1e9, 0, gflops,
              gflops));
        }
      }
    }
    double dgemmOne = rates.get(blas.name() + " float64, 1 thread");
    double dgemmAll = rates.get(blas.name() + " float64, " + cores + (cores == 1 ? " thread" : " threads"));
    double sgemmAll = rates.get(blas.name() + " float32, " + cores + (cores == 1 ? " thread" : " threads"));
    if (choice.fallbackNote() != null) {
      commandSpec.commandLine().getErr().println("note: " + choice.fallbackNote());
    }
    var rng = Seeds.root(seedOption.seed);
    TwoLayerNet net = PlantedNetworks.draw(PlantedNetworks.Shape.of(d, k, l), rng);
    RecoveryOptions options = RecoveryOptions.defaults(k);
    for (long n : ns) {
      boolean large = n > 2_000_000;
      int warmups = large ? 0 : 2;
      int runs = large ? 1 : repeats;
      double flops = passFlops(n, d, k, l, true);
      double one = Double.NaN;
      double all = Double.NaN;
      long bytes = n * (d + l) * 8L;
      if (bytes > 0.7 * Runtime.getRuntime().maxMemory() || n * Math.max(d, l) > Integer.MAX_VALUE - 16) {
        commandSpec.commandLine().getErr().printf("skipping the local engine at n = %d: its %.1f GB of samples need "
            + "more heap (JAVA_OPTS=-Xmx%dg)%n", n, bytes / 1e9, (long) Math.ceil(bytes / 0.6e9));
      } else {
        Dataset data = PlantedNetworks.sample(net, Distributions.gaussian(d), (int) n, 0, rng);
        // One thread and all cores alternate, so that a slow spell of the machine hits both alike.
        double[][] both = alternating(() -> MomentRecovery.fit(data, options.withThreads(1)),
            () -> MomentRecovery.fit(data, options.withThreads(cores)), warmups, runs);
        one = median(both[0]);
        all = median(both[1]);
        rows.add(row("moment passes n=" + n + ", 1 thread", one, n, flops / one / 1e9, dgemmOne));
        rows.add(row("moment passes n=" + n + ", " + cores + " threads", all, n, flops / all / 1e9, dgemmAll));
        if (n == ns.get(0)) {
          RecoveryOptions plain = options.withReduceInput(false).withThreads(cores);
          double seconds = passSeconds(() -> MomentRecovery.fit(data, plain), 1, Math.min(runs, 1));
          rows.add(row("moment passes n=" + n + ", " + cores + " threads, --no-reduce", seconds, n,
              passFlops(n, d, k, l, false) / seconds / 1e9, dgemmAll));
          // The floor under the passes: the three passes' reads of the samples with no arithmetic but a
          // sum (memory traffic alone), and the passes' rate on the time above that floor.
          int blockRows = LocalEngine.blockRowsFor(d, l);
          double floor = time(() -> {
            try (LocalEngine e = new LocalEngine(data, cores, blockRows, Progress.NONE)) {
              for (int pass = 0; pass < 3; pass++) {
                e.aggregate(new ReadOnly(d, l), "read");
              }
            }
            return null;
          }, 1, runs);
          Map<String, Object> floorRow = new LinkedHashMap<>();
          floorRow.put("run", "the samples read 3 times, nothing summed but them, " + cores + " threads (floor)");
          floorRow.put("seconds", floor);
          floorRow.put("rows_per_second", n / floor);
          rows.add(floorRow);
          if (all > floor) { // at small n the two timings are within each other's noise
            rows.add(row("moment passes above that floor, " + cores + " threads", all - floor, n,
                flops / (all - floor) / 1e9, dgemmAll));
          }
        }
      }
      if (spark) {
        int parts = partitions != null ? partitions : 4 * cores;
        try (Engine cluster = EngineFactory.named("spark").generate(engine.master, n, parts,
            PlantedNetworks.generator(net, "gaussian", 0, seedOption.seed))) {
          double seconds = passSeconds(
              () -> MomentRecovery.fit(new RecoverySource.Passes(cluster), options, Progress.NONE), large ? 1 : 2, runs);
          rows.add(row("moment passes n=" + n + ", Spark " + (engine.master == null ? "local[*]" : engine.master)
              + " (" + parts + " partitions)", seconds, n, flops / seconds / 1e9, dgemmAll));
        }
      }
      if (!Double.isNaN(one)) {
        Map<String, Object> scaling = new LinkedHashMap<>();
        scaling.put("run", "speed-up n=" + n + ", " + cores + " threads over 1");
        scaling.put("speedup", one / all);
        rows.add(scaling);
      }
    }
    if (ns.get(0) <= 2_000_000) {
      // One round of multi-task pretraining at the acceptance size (d = 100, T = 32), online (sampling included).
      int pd = 100;
      int pt = 32;
      int pm = 256;
      var prng = Seeds.root(seedOption.seed);
      TaskFamily family = TaskFamily.draw(pd, 3, TaskFamily.Kind.HALFSPACE, 0, prng);
      TaskSampler sampler = TaskSampler.online(family, TaskSampler.drawTasks(family, pt, prng));
      int roundsPerRun = 5;
      PretrainingOptions pretrain = PretrainingOptions.defaults(pm)
          .withRounds(roundsPerRun);
      double perRound = time(() -> MultiTaskPretraining.fit(sampler, pretrain), 2, repeats) / roundsPerRun;
      rows.add(row("pretraining round d=" + pd + " T=" + pt + " m=" + pm + " n1=n2=256, float32, " + cores
          + " threads (of SGEMM)", perRound, 0, roundFlops(pd, pt, pm, 256, 256) / perRound / 1e9,
          sgemmAll));
      double perRound64 = time(() -> MultiTaskPretraining.fit(sampler,
          pretrain.withPrecision(PretrainingOptions.Precision.FLOAT64)), 1, repeats) / roundsPerRun;
      rows.add(row("pretraining round, float64, " + cores + " threads", perRound64, 0,
          roundFlops(pd, pt, pm, 256, 256) / perRound64 / 1e9, dgemmAll));
      rows.add(csvRate());
    }
    if (output.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("blas", blas.name());
      json.put("dgemm_gflops_1_thread", dgemmOne);
      json.put("dgemm_gflops", dgemmAll);
      json.put("sgemm_gflops", sgemmAll);
      json.put("multiply_gflops", rates);
      json.put("d", d);
      json.put("k", k);
      json.put("l", l);
      json.put("runs", rows);
      Common.printJson(out, json);
    } else {
      out.printf("blas: %s; d=%d k=%d l=%d; seconds are the passes over the samples (median of the timed runs)%n",
          blas.name(), d, k, l);
      out.printf("%-58s %9s %12s %8s %9s%n", "run", "seconds", "rows/s", "GFLOP/s", "of DGEMM");
      for (Map<String, Object> row : rows) {
        if (row.containsKey("mb_per_second")) {
          out.printf("%-58s %9.3f %12s %8s %9s   %.0f MB/s%n", row.get("run"), (double) row.get("seconds"), "", "", "",
              (double) row.get("mb_per_second"));
          continue;
        }
        if (row.containsKey("speedup")) {
          out.printf("%-58s %9s %12s %8s %9s   %.2f×%n", row.get("run"), "", "", "", "", (double) row.get("speedup"));
          continue;
        }
        double seconds = (double) row.get("seconds");
        double rowsPerSecond = (double) row.get("rows_per_second");
        if (!row.containsKey("gflops")) { // the floor: memory traffic alone, no arithmetic rate
          out.printf("%-58s %9.3f %12.3g%n", row.get("run"), seconds, rowsPerSecond);
          continue;
        }
        out.printf("%-58s %9.3f %12s %8.1f %8.0f%%%n", row.get("run"), seconds,
            rowsPerSecond > 0 ? String.format("%.3g", rowsPerSecond) : "", (double) row.get("gflops"),
            100 * (double) row.get("fraction_of_dgemm"));
      }
    }
    return 0;
  }

  /**
   * GFLOP/s of C += AᵀB at size³ on {@code threads} threads with one implementation and precision: the
   * rows of C are cut into one band per thread, each band one call, as our own parallel loops do.
   */
  double multiplyRate(Blas blas, boolean single, int threads) {
    try (Parallel parallel = new Parallel(threads)) {
      Random r = new Random(seedOption.seed);
      int n = size;
      double[] a = new double[n * n];
      double[] b = new double[n * n];
      double[] c = new double[n * n];
      float[] fa = new float[n * n];
      float[] fb = new float[n * n];
      float[] fc = new float[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextGaussian();
        b[i] = r.nextGaussian();
        fa[i] = (float) a[i];
        fb[i] = (float) b[i];
      }
      int band = (n + threads - 1) / threads;
      double seconds = time(() -> {
        parallel.forEachTile(threads, t -> {
          int from = t * band;
          int rows = Math.min(band, n - from);
          if (single) {
            blas.gemm(true, false, rows, n, n, 1f, fa, from, n, fb, 0, n, 1f, fc, from * n, n);
          } else {
            blas.gemm(true, false, rows, n, n, 1.0, a, from, n, b, 0, n, 1.0, c, from * n, n);
          }
        });
        return c;
      }, blas.isNative() ? 3 : 8, repeats); // more warm-ups for the Java kernels: until C2 has compiled them
      return 2.0 * n * n * n / seconds / 1e9;
    }
  }

  /** MB/s of reading a CSV file of 200 000 rows × 28 columns (about 17 significant digits), index and parse. */
  Map<String, Object> csvRate() {
    try {
      Path file = Files.createTempFile("twolayer-bench", ".csv");
      try {
        Random r = new Random(seedOption.seed);
        try (var w = Files.newBufferedWriter(file)) {
          StringBuilder header = new StringBuilder();
          for (int j = 0; j < 28; j++) {
            header.append(j == 0 ? "" : ",").append(j < 20 ? "x" + j : "y" + (j - 20));
          }
          w.write(header + "\n");
          for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < 28; j++) {
              line.append(j == 0 ? "" : ",").append(r.nextGaussian()); // shortest round-trip form, ~17 digits
            }
            w.write(line.append('\n').toString());
          }
        }
        long bytes = Files.size(file);
        double seconds = time(() -> {
          try {
            RowSource s = CsvSource.open(file, null, null);
            s.scan(8 * 4096, block -> { });
            return s;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, 2, repeats);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", "CSV read, 200000 rows × 28 columns, " + Runtime.getRuntime().availableProcessors() + " threads");
        m.put("seconds", seconds);
        m.put("mb_per_second", bytes / seconds / 1e6);
        return m;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A pass that adds up every value and nothing else: the memory traffic of a moment pass. */
  static final class ReadOnly implements Accumulator<ReadOnly> {
    private static final long serialVersionUID = 1L;
    private final int d;
    private final int l;
    double sum;
    long count;

    ReadOnly(int d, int l) {
      this.d = d;
      this.l = l;
    }

    @Override
    public void accept(RowBlock b) {
      double s = 0;
      for (int i = 0, o = b.xOffset(); i < b.rows() * d; i++) {
        s += b.x()[o + i];
      }
      for (int i = 0, o = b.yOffset(); i < b.rows() * l; i++) {
        s += b.y()[o + i];
      }
      sum += s;
      count += b.rows();
    }

    @Override
    public void combine(ReadOnly o) {
      sum += o.sum;
      count += o.count;
    }

    @Override
    public ReadOnly empty() {
      return new ReadOnly(d, l);
    }

    @Override
    public long count() {
      return count;
    }
  }

  static Map<String, Object> row(String run, double seconds, long n, double gflops, double dgemm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", run);
    m.put("seconds", seconds);
    m.put("rows_per_second", n > 0 ? n / seconds : 0.0);
    m.put("gflops", gflops);
    m.put("fraction_of_dgemm", gflops / dgemm);
    return m;
  }

  /**
   * Floating-point operations of the three sample passes, for reporting GFLOP/s: E[xxᵀ] (upper
   * triangle, n·d(d+1)) and E[yxᵀ] (2n·l·d); the detector product (2n·m2·(s2+1)) with its per-sample
   * maps x̃ = Rᵀx, y' = Qᵀy, P'x̃; and the least-squares pass (relu(Ŵx), HᵀH, HᵀY).
   */
  static double passFlops(long n, int d, int k, int l, boolean reduce) {
    int dd = reduce && d > k ? k : d;
    double m2 = packedSize(dd);
    double s2 = packedSize(k);
    double pass1 = (double) n * d * (d + 1) + 2.0 * n * l * d;
    double maps = 2.0 * ((dd == d ? 0 : d * dd) + l * k + dd * k);
    double pass2 = n * (2 * m2 * (s2 + 1) + maps);
    double pass3 = n * (2.0 * k * d + k * (k + 1) + 2.0 * k * l);
    return pass1 + pass2 + pass3;
  }

  /** Entries of a packed symmetric n × n matrix, n(n+1)/2. */
  private static double packedSize(int n) {
    return n * (n + 1) / 2.0;
  }

  /**
   * Floating-point operations of one round's matrix products, for reporting GFLOP/s: per task the
   * features of S¹ and S² (2n·d·m each) and the W-gradient Δᵀ X over S² (2n₂·m·d).
   */
  static double roundFlops(int d, int tasks, int m, int n1, int n2) {
    return 2.0 * d * m * tasks * (n1 + 2.0 * n2);
  }
}
