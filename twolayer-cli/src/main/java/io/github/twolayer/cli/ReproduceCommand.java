package io.github.twolayer.cli;

import io.github.twolayer.experiments.Experiments;
import io.github.twolayer.experiments.Report;
import io.github.twolayer.experiments.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code twolayer reproduce NAME|all}: reruns the papers' experiments and writes CSV, plots and summaries. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Rerun an experiment of the papers (ge-e1..ge-e4, ge-k, ge-real, collins-e1..collins-e5, "
        + "collins-digits) or all of them: a tidy CSV, PNG and SVG plots, a Markdown summary per experiment, and "
        + "report.html for 'all'.")
final class ReproduceCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "An experiment name, or 'all'.")
  String name;

  @Option(names = "--out", defaultValue = "twolayer-out/reproduce", paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--quick", description = "Shrink every grid: a smoke test of each claim's direction, not of the "
      + "claim itself.")
  boolean quick;

  @Mixin
  Common.ThreadsOption threadsOption;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    var chosen = name.equals("all") ? Experiments.all() : List.of(Experiments.byName(name));
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the output folder " + out + " (" + e.getMessage()
          + "); choose another --out");
    }
    int workers = threadsOption.threadsOrAllCores();
    if (workers <= 0) {
      throw new IllegalArgumentException("--threads = " + workers + " must be positive");
    }
    List<Runner.Result> results = new ArrayList<>();
    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
      for (var experiment : chosen) {
        results.add(Runner.run(experiment, quick, out, workers, Main.blas(commandSpec), progress));
      }
    }
    if (name.equals("all")) {
      Report.suite(out.resolve("report.html"), results, quick);
    }
    List<Map<String, Object>> summaries = new ArrayList<>();
    boolean allHold = true;
    for (Runner.Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("experiment", r.experiment().name());
      m.put("holds", r.verdict().holds());
      m.put("verdict", Runner.headline(r.verdict(), quick));
      m.put("reason", r.verdict().reason());
      m.put("seconds", r.seconds());
      m.put("csv", r.csv().toString());
      summaries.add(m);
      allHold &= r.verdict().holds();
    }
    if (output.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("out", out.toString());
      json.put("seconds", (System.nanoTime() - start) * 1e-9);
      json.put("quick", quick);
      json.put("all_hold", allHold);
      if (!results.isEmpty()) { // the CPU and BLAS the products ran on: float32 native bits depend on them
        json.put("machine", results.get(0).machine());
      }
      json.put("experiments", summaries);
      Common.printJson(commandSpec.commandLine().getOut(), json);
    } else {
      var w = commandSpec.commandLine().getOut();
      for (Runner.Result r : results) {
        // A quick run checks only the direction of the claim (its grid is shrunken), and says so.
        String result = quick ? (r.verdict().holds() ? "direction holds" : "DIRECTION FAILS")
            : (r.verdict().holds() ? "claim holds" : "CLAIM FAILS");
        w.printf("%-14s %-15s %6.1f s  %s%n", r.experiment().name(), result, r.seconds(), r.verdict().reason());
      }
      w.println("wrote " + out + (name.equals("all") ? " (report.html)" : ""));
    }
    return 0;
  }
}
