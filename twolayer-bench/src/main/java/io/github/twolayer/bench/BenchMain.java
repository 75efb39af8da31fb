package io.github.twolayer.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks of this module in one go and prints a Markdown table of their times, with GFLOP/s
 * for the multiplies. Usage:
 * {@code java -jar twolayer-bench/target/benchmarks.jar-main} (see the module README), or
 * {@code java -cp twolayer-bench/target/benchmarks.jar io.github.twolayer.bench.BenchMain [regex]}.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException {
    String include = args.length > 0 ? args[0] : "io.github.twolayer.bench.*";
    Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).build()).run();
    System.out.println();
    System.out.println("| benchmark | parameters | time per op | GFLOP/s |");
    System.out.println("|---|---|---|---|");
    for (RunResult r : results) {
      var params = r.getParams();
      String name = params.getBenchmark().replaceFirst(".*\\.bench\\.", "");
      double score = r.getPrimaryResult().getScore();
      String unit = r.getPrimaryResult().getScoreUnit();
      double seconds = score * (unit.startsWith("ms") ? 1e-3 : unit.startsWith("us") ? 1e-6 : 1);
      double flops = Double.NaN;
      if (name.startsWith("DgemmBenchmark")) {
        flops = DgemmBenchmark.flops(Integer.parseInt(params.getParam("size")));
      }
      StringBuilder p = new StringBuilder();
      for (String key : params.getParamsKeys()) {
        p.append(p.length() == 0 ? "" : ", ").append(key).append('=').append(params.getParam(key));
      }
      System.out.printf(Locale.ROOT, "| %s | %s | %.3f %s | %s |%n", name, p, score, unit,
          Double.isNaN(flops) ? "" : String.format(Locale.ROOT, "%.1f", flops / seconds / 1e9));
    }
  }
}
