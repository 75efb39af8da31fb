package io.github.twolayer.cli.reproduce;

import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The demo's report.html: its table, the true and recovered weights side by side as heatmaps (units
 * matched and normalized as in the error metric), and the error of each hidden unit.
 */
public final class DemoReport {
  private DemoReport() {}

  public static void write(Path dir, Map<String, Object> table, TwoLayerNet truth, TwoLayerNet recovered)
      throws IOException {
    Files.createDirectories(dir);
    RecoveryError error = RecoveryError.of(truth, recovered);
    TwoLayerNet t = MomentRecovery.normalizeUnits(truth);
    TwoLayerNet r = MomentRecovery.normalizeUnits(recovered);
    int k = t.k();
    int d = t.d();
    int l = t.l();
    double[] matchedW = new double[k * d];
    double[] matchedA = new double[l * k];
    double[] unitError = new double[k];
    for (int i = 0; i < k; i++) {
      int j = error.permutation()[i];
      double e = 0;
      for (int p = 0; p < d; p++) {
        matchedW[i * d + p] = r.w(j, p);
        double diff = t.w(i, p) - r.w(j, p);
        e += diff * diff;
      }
      unitError[i] = Math.sqrt(e);
      for (int o = 0; o < l; o++) {
        matchedA[o * k + i] = r.a(o, j);
      }
    }
    double wScale = maxAbs(t.W());
    double aScale = maxAbs(t.A());
    List<Path> images = new ArrayList<>();
    images.add(save(heatmap("true W (unit rows)", t.W(), k, d, wScale), dir, "demo-w-true"));
    images.add(save(heatmap("recovered W", matchedW, k, d, wScale), dir, "demo-w-recovered"));
    images.add(save(heatmap("true A", t.A(), l, k, aScale), dir, "demo-a-true"));
    images.add(save(heatmap("recovered A", matchedA, l, k, aScale), dir, "demo-a-recovered"));
    CategoryChart bars = new CategoryChartBuilder().width(640).height(360).title("error of each hidden unit")
        .xAxisTitle("hidden unit").yAxisTitle("‖w_i − ŵ_π(i)‖ (unit rows)").build();
    List<Integer> units = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      units.add(i);
      errors.add(unitError[i]);
    }
    bars.addSeries("W error", units, errors);
    bars.getStyler().setLegendVisible(false);
    images.add(save(bars, dir, "demo-unit-errors"));
    StringBuilder body = new StringBuilder("<h1>twolayer demo: method of moments on a planted network</h1>\n");
    body.append("<p>Ge, Kuditipudi, Li, Wang (ICLR 2019): A and W of y = A·relu(W x) recovered from samples by "
        + "moments alone. Errors are matched relative errors (rows of W normalized, units matched by the "
        + "Hungarian algorithm, signs not forgiven).</p>\n");
    Map<String, Object> shown = new java.util.LinkedHashMap<>();
    table.forEach((key, v) -> shown.put(key, v instanceof Double x ? String.format(java.util.Locale.ROOT, "%.4g", x) : v));
    body.append(Report.table(shown));
    body.append("<h2>Weights</h2>\n<p>True and recovered side by side, on the same color scale; recovered units "
        + "matched to the true ones and rows of W normalized, as in the error metric.</p>\n");
    // True and recovered side by side, one row per matrix.
    for (int i = 0; i < images.size(); i++) {
      body.append(i % 2 == 0 ? "<div>" : "").append(Report.image(images.get(i), images.get(i).getFileName().toString()))
          .append(i % 2 == 1 || i == images.size() - 1 ? "</div>\n" : "\n");
    }
    Report.write(dir.resolve("report.html"), "twolayer demo", body.toString());
  }

  static double maxAbs(double[] a) {
    double m = 1e-12;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  static HeatMapChart heatmap(String title, double[] m, int rows, int cols, double scale) {
    HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(300, 32 * cols + 150))
        .height(Math.max(220, 30 * rows + 120)).title(title).build();
    List<Integer> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      x.add(j);
    }
    for (int i = 0; i < rows; i++) {
      y.add(i);
    }
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        cells.add(new Number[] {j, rows - 1 - i, m[i * cols + j]});
      }
    }
    chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(0x2166ac), java.awt.Color.WHITE,
        new java.awt.Color(0xb2182b)});
    chart.getStyler().setMin(-scale);
    chart.getStyler().setMax(scale);
    chart.getStyler().setShowValue(false);
    chart.getStyler().setHeatMapDecimalValueFormatter(v -> String.format(java.util.Locale.ROOT, "%.2f", v));
    chart.getStyler().setLegendVisible(true);
    chart.addSeries("weights", x, y, cells);
    return chart;
  }

  static Path save(Chart<?, ?> chart, Path dir, String name) throws IOException {
    Path png = dir.resolve(name + ".png");
    BitmapEncoder.saveBitmap(chart, dir.resolve("." + name).toString(), BitmapEncoder.BitmapFormat.PNG);
    Files.move(dir.resolve("." + name + ".png"), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return png;
  }
}
