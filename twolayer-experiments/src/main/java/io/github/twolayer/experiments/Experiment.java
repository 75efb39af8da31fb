package io.github.twolayer.experiments;

import io.github.twolayer.linalg.Blas;
import java.util.List;
import java.util.Map;

/**
 * One experiment of the papers: a grid of runs (each a few seeds), a plot, and a claim checked on the
 * results. Runs are independent tasks, so the runner spreads them over the cores.
 */
public interface Experiment {
  /** The name used by {@code reproduce NAME}, e.g. "ge-e1". */
  String name();

  /** One line: what the experiment shows. */
  String title();

  /** The claim, as a sentence the summary states. */
  String claim();

  /**
   * The runs of the grid; {@code quick} shrinks it for a smoke test. Every product of the runs goes
   * through {@code blas}, which they record nowhere: the runner records it once for the experiment.
   */
  List<Task> tasks(boolean quick, Blas.Choice blas);

  /** Whether the rows support the claim, with a sentence saying why. */
  Verdict check(List<Row> rows, boolean quick);

  /** The plots to draw from the rows. */
  List<PlotSpec> plots();

  /** An experiment whose name, title and claim are fixed at construction. */
  abstract class Named implements Experiment {
    private final String name;
    private final String title;
    private final String claim;

    protected Named(String name, String title, String claim) {
      this.name = name;
      this.title = title;
      this.claim = claim;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String title() {
      return title;
    }

    @Override
    public String claim() {
      return claim;
    }
  }

  /** One run: returns its rows (one per metric). */
  @FunctionalInterface
  interface Task {
    List<Row> run();
  }

  record Verdict(boolean holds, String reason) {}

  /**
   * A plot: metric against parameter {@code x}, one line per value of {@code series} (may be null), the
   * median over seeds with its 10–90% band; log axes where the quantity spans decades.
   */
  record PlotSpec(String file, String title, String metric, String x, String series, boolean logX, boolean logY,
      String yLabel, Map<String, Object> where) {
    public PlotSpec {
      where = Map.copyOf(where);
    }

    /** A plot of all rows. */
    public PlotSpec(String file, String title, String metric, String x, String series, boolean logX, boolean logY,
        String yLabel) {
      this(file, title, metric, x, series, logX, logY, yLabel, Map.of());
    }

    /** The same plot restricted to rows whose parameters match {@code only}. */
    public PlotSpec restrictedTo(String file, String newTitle, Map<String, Object> only) {
      return new PlotSpec(file, newTitle, metric, x, series, logX, logY, yLabel, only);
    }
  }
}
