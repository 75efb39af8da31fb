package io.github.twolayer.cli;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.dist.Distributions;
import io.github.twolayer.dist.PlantedNetworks;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.dist.TaskFamily;
import io.github.twolayer.moments.Options;
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
 * {@code twolayer bench}: times the method of moments on in-memory planted data next to this machine's
 * matrix-multiply rate, measured in the same process (JMH figures: module twolayer-bench).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time the moment passes against this machine's matrix-multiply rate, measured in the same run.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "1000000", description = "Samples (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--d", defaultValue = "50", description = "Input dimension (default: ${DEFAULT-VALUE}).")
  int d;

  @Option(names = "--k", defaultValue = "10", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--l", defaultValue = "20", description = "Outputs (default: ${DEFAULT-VALUE}).")
  int l;

  @Option(names = "--size", defaultValue = "1024", description = "Matrix size of the multiply (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--repeats", defaultValue = "3", description = "Timed runs of each, after two warm-ups (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--seed", defaultValue = "" + Options.DEFAULT_SEED, description = "Seed of the data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  /** Median seconds of {@code repeats} runs after two warm-ups (so that the JIT has compiled the kernels). */
  double time(Supplier<Object> body) {
    return time(body, 2);
  }

  double time(Supplier<Object> body, int warmups) {
    for (int i = 0; i < warmups; i++) {
      body.get();
    }
    double[] s = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      body.get();
      s[i] = (System.nanoTime() - t0) * 1e-9;
    }
    Arrays.sort(s);
    return s[repeats / 2];
  }

  @Override
  public Integer call() {
    if (repeats < 1 || size < 1 || n < 1) {
      throw new IllegalArgumentException("--repeats, --size and --n must be positive");
    }
    PrintWriter out = commandSpec.commandLine().getOut();
    List<Map<String, Object>> rows = new ArrayList<>();
    double dgemmRate;
    try (Parallel parallel = Parallel.allCores()) {
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
      }, 8);
      dgemmRate = 2.0 * size * size * size / seconds / 1e9;
      rows.add(row("matrix multiply " + size + "³ (" + parallel.threads() + " threads)", seconds, dgemmRate, dgemmRate));
    }
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    TwoLayerNet net = PlantedNetworks.draw(PlantedNetworks.Shape.of(d, k, l), rng);
    Dataset data = PlantedNetworks.sample(net, Distributions.gaussian(d), n, 0, rng);
    for (boolean reduce : new boolean[] {true, false}) {
      Options options = Options.defaults(k).withReduceInput(reduce);
      double seconds = time(() -> MomentRecovery.fit(data, options));
      double rate = MomentRecovery.passFlops(n, d, k, l, reduce) / seconds / 1e9;
      rows.add(row("recover n=" + n + " d=" + d + " k=" + k + " l=" + l + (reduce ? "" : " --no-reduce"), seconds,
          rate, dgemmRate));
    }
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
    double perRound = time(() -> MultiTaskPretraining.fit(sampler, pretrain)) / roundsPerRun;
    rows.add(row("pretraining round d=" + pd + " T=" + pt + " m=" + pm + " n1=n2=256", perRound,
        MultiTaskPretraining.roundFlops(pd, pt, pm, 256, 256) / perRound / 1e9, dgemmRate));
    if (output.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dgemm_gflops", dgemmRate);
      json.put("runs", rows);
      Common.printJson(out, json);
    } else {
      out.printf("%-50s %10s %9s %9s%n", "kernel", "seconds", "GFLOP/s", "of DGEMM");
      for (Map<String, Object> row : rows) {
        out.printf("%-50s %10.3f %9.1f %8.0f%%%n", row.get("kernel"), row.get("seconds"), row.get("gflops"),
            100 * (double) row.get("fraction_of_dgemm"));
      }
    }
    return 0;
  }

  static Map<String, Object> row(String kernel, double seconds, double gflops, double dgemm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kernel", kernel);
    m.put("seconds", seconds);
    m.put("gflops", gflops);
    m.put("fraction_of_dgemm", gflops / dgemm);
    return m;
  }
}
