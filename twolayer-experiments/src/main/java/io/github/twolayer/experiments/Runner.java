package io.github.twolayer.experiments;

import io.github.twolayer.data.Outputs;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs an experiment's grid over all cores (each run single-threaded: the runs are the parallelism),
 * then writes its tidy CSV, its plots (PNG and SVG) and a Markdown summary that states the claim and
 * whether the run supports it ({@link #headline}: a quick run only checks the claim's direction). Rows keep the grid's order whatever order the runs finish in, so the
 * same seed gives the same CSV bytes except the seconds column.
 */
public final class Runner {
  private Runner() {}

  /** What one experiment produced. */
  public record Result(Experiment experiment, List<Row> rows, Experiment.Verdict verdict, List<Path> plots,
      Path csv, Path summary, double seconds, Machine machine) {}

  /** Runs {@code experiment}'s grid on {@code threads} workers, the products on {@code blas}; writes into {@code dir}. */
  public static Result run(Experiment experiment, boolean quick, Path dir, int threads, Blas.Choice blas,
      Progress progress) throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(dir);
    List<Experiment.Task> tasks = experiment.tasks(quick, blas);
    List<List<Row>> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "twolayer-experiment");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<Row>>> futures = new ArrayList<>();
      for (Experiment.Task task : tasks) {
        futures.add(pool.submit(task::run));
      }
      int done = 0;
      for (Future<List<Row>> f : futures) {
        results.add(f.get());
        progress.update(experiment.name() + " runs", ++done, tasks.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<Row> rows = new ArrayList<>();
    results.forEach(rows::addAll);
    Path csv = dir.resolve(experiment.name() + ".csv");
    writeCsv(csv, rows);
    List<Path> plots = new ArrayList<>();
    for (Experiment.PlotSpec spec : experiment.plots()) {
      if (!Stats.select(rows, spec.metric(), spec.where()).isEmpty()) { // e.g. d = 200 is not in the quick grid
        plots.add(Plots.draw(spec, rows, dir));
      }
    }
    Experiment.Verdict verdict = experiment.check(rows, quick);
    Path summary = dir.resolve(experiment.name() + ".md");
    Machine machine = Machine.here(blas);
    writeSummary(summary, experiment, rows, verdict, plots, quick, machine);
    return new Result(experiment, rows, verdict, plots, csv, summary, (System.nanoTime() - start) * 1e-9, machine);
  }

  static void writeCsv(Path file, List<Row> rows) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    rows.forEach(r -> keys.addAll(r.parameters().keySet()));
    StringBuilder sb = new StringBuilder("experiment");
    keys.forEach(k -> sb.append(',').append(k));
    sb.append(",seed,metric,value,seconds\n");
    for (Row r : rows) {
      sb.append(r.experiment());
      for (String k : keys) {
        Object v = r.parameters().get(k);
        sb.append(',').append(v == null ? "" : v);
      }
      sb.append(',').append(r.seed()).append(',').append(r.metric()).append(',').append(r.value())
          .append(',').append(String.format(Locale.ROOT, "%.4f", r.seconds())).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    Outputs.writeOne(file, out -> out.write(bytes));
  }

  static void writeSummary(Path file, Experiment e, List<Row> rows, Experiment.Verdict verdict, List<Path> plots,
      boolean quick, Machine machine) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(e.name()).append(": ").append(e.title()).append("\n\n");
    sb.append("**Claim.** ").append(e.claim()).append("\n\n");
    sb.append("**").append(headline(verdict, quick)).append("** ").append(verdict.reason()).append("\n\n");
    sb.append("Command: `twolayer reproduce ").append(e.name()).append(quick ? " --quick" : "").append("`")
        .append(quick ? " (shrunken grid)" : "").append("\n\n");
    sb.append("Ran on: ").append(machine.describe()).append(".\n\n");
    for (Path p : plots) {
      sb.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n\n");
    }
    sb.append(medianTable(rows));
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    Outputs.writeOne(file, out -> out.write(bytes));
  }

  /**
   * What a verdict says about the claim. A full run tests the claim at its sizes; a quick run's grid is
   * shrunken (fewer seeds, smaller n), so it checks only the claim's direction and never supports the
   * claim itself.
   */
  public static String headline(Experiment.Verdict verdict, boolean quick) {
    if (quick) {
      return "Quick run (shrunken grid): the direction of the claim " + (verdict.holds() ? "holds" : "does NOT hold")
          + "; the claim itself is tested by the full grid.";
    }
    return "This run " + (verdict.holds() ? "supports the claim." : "does NOT support the claim.");
  }

  /** Median, 10% and 90% over seeds for every parameter combination and metric. */
  static String medianTable(List<Row> rows) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : rows) {
      groups.computeIfAbsent(r.parameters() + " " + r.metric(), k -> new ArrayList<>()).add(r);
    }
    StringBuilder sb = new StringBuilder("| parameters | metric | median | 10% | 90% | seeds |\n|---|---|---|---|---|---|\n");
    for (List<Row> g : groups.values()) {
      double[] v = g.stream().mapToDouble(Row::value).toArray();
      Row first = g.get(0);
      StringBuilder params = new StringBuilder();
      first.parameters().forEach((k, val) -> params.append(params.length() == 0 ? "" : ", ").append(k).append('=')
          .append(val));
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.4g | %.4g | %.4g | %d |%n", params, first.metric(),
          Stats.quantile(v, 0.5), Stats.quantile(v, 0.1), Stats.quantile(v, 0.9), v.length));
    }
    return sb.toString();
  }
}
