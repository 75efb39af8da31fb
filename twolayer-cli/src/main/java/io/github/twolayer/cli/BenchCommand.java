package io.github.twolayer.cli;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.dist.Distributions;
import io.github.twolayer.dist.PlantedNetworks;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.dist.TaskFamily;
import io.github.twolayer.moments.Options;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.TaskSampler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.commons.rng.simple.RandomSource;
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

  @Option(names = "--seed", defaultValue = "" + Options.DEFAULT_SEED, description = "Seed of the data (default: ${DEFAULT-VALUE}).")
  long seed;

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
    double dgemmOne = dgemm(1);
    double dgemmAll = dgemm(cores);
    double multiplyFlops = 2.0 * size * size * size;
    rows.add(row("matrix multiply " + size + "³, 1 thread", multiplyFlops / dgemmOne / 1e9, 0, dgemmOne, dgemmOne));
    rows.add(row("matrix multiply " + size + "³, " + cores + " threads", multiplyFlops / dgemmAll / 1e9, 0, dgemmAll,
        dgemmAll));
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    TwoLayerNet net = PlantedNetworks.draw(PlantedNetworks.Shape.of(d, k, l), rng);
    Options options = Options.defaults(k);
    for (long n : ns) {
      boolean large = n > 2_000_000;
      int warmups = large ? 0 : 2;
      int runs = large ? 1 : repeats;
      double flops = MomentRecovery.passFlops(n, d, k, l, true);
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
          Options plain = options.withReduceInput(false).withThreads(cores);
          double seconds = passSeconds(() -> MomentRecovery.fit(data, plain), 1, Math.min(runs, 1));
          rows.add(row("moment passes n=" + n + ", " + cores + " threads, --no-reduce", seconds, n,
              MomentRecovery.passFlops(n, d, k, l, false) / seconds / 1e9, dgemmAll));
        }
      }
      if (spark) {
        int parts = partitions != null ? partitions : 4 * cores;
        try (Engine cluster = io.github.twolayer.pass.EngineFactory.named("spark").generate(engine.master, n, parts,
            PlantedNetworks.generator(net, "gaussian", 0, seed))) {
          double seconds = passSeconds(() -> MomentRecovery.fit(cluster, options), large ? 1 : 2, runs);
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
      // One round of multi-task pretraining at the multi-task issue's size, online (sampling included).
      int pd = 100;
      int pt = 32;
      int pm = 256;
      var prng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
      TaskFamily family = TaskFamily.draw(pd, 3, TaskFamily.Kind.HALFSPACE, 0, prng);
      TaskSampler sampler = TaskSampler.online(family, TaskSampler.drawTasks(family, pt, prng));
      int roundsPerRun = 5;
      io.github.twolayer.multitask.Options pretrain = io.github.twolayer.multitask.Options.defaults(pm)
          .withRounds(roundsPerRun);
      double perRound = time(() -> MultiTaskPretraining.fit(sampler, pretrain), 2, repeats) / roundsPerRun;
      rows.add(row("pretraining round d=" + pd + " T=" + pt + " m=" + pm + " n1=n2=256, " + cores + " threads",
          perRound, 0, MultiTaskPretraining.roundFlops(pd, pt, pm, 256, 256) / perRound / 1e9, dgemmAll));
    }
    if (output.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dgemm_gflops_1_thread", dgemmOne);
      json.put("dgemm_gflops", dgemmAll);
      json.put("d", d);
      json.put("k", k);
      json.put("l", l);
      json.put("runs", rows);
      Common.printJson(out, json);
    } else {
      out.printf("d=%d k=%d l=%d; seconds are the passes over the samples (median of the timed runs)%n", d, k, l);
      out.printf("%-58s %9s %12s %8s %9s%n", "run", "seconds", "rows/s", "GFLOP/s", "of DGEMM");
      for (Map<String, Object> row : rows) {
        if (row.containsKey("speedup")) {
          out.printf("%-58s %9s %12s %8s %9s   %.2f×%n", row.get("run"), "", "", "", "", (double) row.get("speedup"));
          continue;
        }
        double seconds = (double) row.get("seconds");
        double rowsPerSecond = (double) row.get("rows_per_second");
        out.printf("%-58s %9.3f %12s %8.1f %8.0f%%%n", row.get("run"), seconds,
            rowsPerSecond > 0 ? String.format("%.3g", rowsPerSecond) : "", (double) row.get("gflops"),
            100 * (double) row.get("fraction_of_dgemm"));
      }
    }
    return 0;
  }

  /** GFLOP/s of our blocked C += AᵀB at size³ on {@code threads} threads. */
  double dgemm(int threads) {
    try (Parallel parallel = new Parallel(threads)) {
      java.util.Random r = new java.util.Random(seed);
      double[] a = new double[size * size];
      double[] b = new double[size * size];
      double[] c = new double[size * size];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextGaussian();
        b[i] = r.nextGaussian();
      }
      // Short runs: more warm-ups, until C2 has compiled the kernel.
      double seconds = time(() -> {
        parallel.accumulateOuterProducts(a, 0, size, size, b, 0, size, size, size, c, size);
        return c;
      }, 8, repeats);
      return 2.0 * size * size * size / seconds / 1e9;
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
}
