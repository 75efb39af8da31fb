package io.github.twolayer.experiments;

import io.github.twolayer.data.Outputs;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.KSelection;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's report.html: its table, the scree plot (the evidence for k), the true and recovered
 * weights side by side as heatmaps (units matched and normalized as in the error metric), and the error
 * of each hidden unit.
 */
public final class DemoReport {
  private DemoReport() {}

  public static void write(Outputs outputs, Path dir, Map<String, Object> table, TwoLayerNet truth,
      Recovery recovery) throws IOException {
    Image scree = save(outputs, scree(recovery.diagnostics().rankSnrs(), truth.k(), recovery.network().k()), dir, "demo-scree");
    StringBuilder body = new StringBuilder("<h1>twolayer demo: method of moments on a planted network</h1>\n");
    body.append("<p>Ge, Kuditipudi, Li, Wang (ICLR 2019): A and W of y = A·relu(W x) recovered from samples by "
        + "moments alone. Errors are matched relative errors (rows of W normalized, units matched by the "
        + "Hungarian algorithm, signs not forgiven).</p>\n");
    Map<String, Object> shown = new LinkedHashMap<>();
    table.forEach((key, v) -> shown.put(key, v instanceof Double x ? String.format(Locale.ROOT, "%.4g", x) : v));
    body.append(Report.table(shown));
    body.append("<h2>How many hidden units?</h2>\n<p>The singular values of the whitened linear part P = A·W "
        + "(for symmetric inputs, twice the correlation of outputs with inputs times the inverse second moment of the "
        + "inputs, whitened as P Σx^½), each against the level sampling noise alone would give it (rank_snr). P "
        + "has rank k: "
        + "k values stand out, the rest lie near the noise level. <code>--k auto</code> counts the values from "
        + KSelection.SIGNAL + " × the noise level up, and refuses when one falls between " + KSelection.NOISE + " and "
        + KSelection.SIGNAL + ".</p>\n");
    body.append(Report.image(scree.png(), scree.file().getFileName().toString())).append("\n");
    TwoLayerNet recovered = recovery.network();
    if (recovered.k() != truth.k()) {
      body.append("<p class=\"bad\">k = ").append(recovered.k()).append(" was chosen but the planted network has ")
          .append(truth.k()).append(" hidden units: no weights to compare.</p>\n");
      Report.write(outputs, dir.resolve("report.html"), "twolayer demo", body.toString());
      return;
    }
    RecoveryError error = RecoveryError.of(truth, recovered);
    TwoLayerNet t = truth.withUnitRows();
    TwoLayerNet r = recovered.withUnitRows();
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
    List<Image> images = new ArrayList<>();
    images.add(save(outputs, heatmap("true W (unit rows)", t.W(), k, d, wScale, W_AXES), dir, "demo-w-true"));
    images.add(save(outputs, heatmap("recovered W", matchedW, k, d, wScale, W_AXES), dir, "demo-w-recovered"));
    images.add(save(outputs, heatmap("true A", t.A(), l, k, aScale, A_AXES), dir, "demo-a-true"));
    images.add(save(outputs, heatmap("recovered A", matchedA, l, k, aScale, A_AXES), dir, "demo-a-recovered"));
    CategoryChart bars = new CategoryChartBuilder().width(640).height(360).title("error of each hidden unit")
        .xAxisTitle("hidden unit i").yAxisTitle("‖w_i − ŵ_π(i)‖ (unit rows)").build();
    List<Integer> units = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      units.add(i);
      errors.add(unitError[i]);
    }
    bars.addSeries("W error", units, errors);
    bars.getStyler().setLegendVisible(false);
    bars.getStyler().setYAxisDecimalPattern("0.####"); // 0.003, not .003
    images.add(save(outputs, bars, dir, "demo-unit-errors"));
    body.append("<h2>Weights</h2>\n<p>True and recovered side by side, on the same color scale; recovered units "
        + "matched to the true ones and rows of W normalized, as in the error metric.</p>\n");
    // True and recovered side by side, one row per matrix.
    for (int i = 0; i < images.size(); i++) {
      body.append(i % 2 == 0 ? "<div>" : "").append(Report.image(images.get(i).png(), images.get(i).file().getFileName().toString()))
          .append(i % 2 == 1 || i == images.size() - 1 ? "</div>\n" : "\n");
    }
    Report.write(outputs, dir.resolve("report.html"), "twolayer demo", body.toString());
  }

  /**
   * rank_snr of every candidate k on a log scale, with the noise level (1) and the threshold from which
   * --k auto counts a unit; the planted k (and the recovered one, when it differs) marked.
   */
  private static final double SCREE_FLOOR = 1e-3;

  static XYChart scree(List<Double> rankSnrs, int plantedK, int recoveredK) {
    XYChart chart = new XYChartBuilder().width(720).height(500).title("singular values against the sampling noise")
        .xAxisTitle("candidate k").yAxisTitle("rank_snr (× noise level)").build();
    List<Integer> ks = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    boolean floored = false;
    for (int j = 0; j < rankSnrs.size(); j++) {
      ks.add(j + 1);
      // Log axis: noiseless outputs make P exactly rank k (y lies in the span of A), so the values
      // past k can be 0 to rounding; they are drawn at a floor, and the legend says so.
      floored |= rankSnrs.get(j) < SCREE_FLOOR;
      values.add(Math.max(SCREE_FLOOR, rankSnrs.get(j)));
    }
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    // One entry per line: side by side, the four labels are wider than the figure and the last is cut off.
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    chart.getStyler().setXAxisDecimalPattern("0");
    XYSeries s = chart.addSeries("s_k of P Σx^½ / noise level" + (floored ? " (below 10⁻³ drawn at 10⁻³)" : ""),
        ks, values);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setLineColor(new Color(0x1f77b4));
    s.setMarkerColor(new Color(0x1f77b4));
    List<Integer> ends = List.of(1, Math.max(2, rankSnrs.size()));
    XYSeries signal = chart.addSeries("a hidden unit from here (" + KSelection.SIGNAL + ")", ends,
        List.of(KSelection.SIGNAL, KSelection.SIGNAL));
    signal.setMarker(SeriesMarkers.NONE);
    signal.setLineColor(new Color(0x2ca02c));
    signal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        10f, new float[] {6f, 4f}, 0f));
    XYSeries noise = chart.addSeries("noise level (" + KSelection.NOISE + ")", ends,
        List.of(KSelection.NOISE, KSelection.NOISE));
    noise.setMarker(SeriesMarkers.NONE);
    noise.setLineColor(Color.GRAY);
    XYSeries planted = chart.addSeries("planted k = " + plantedK
        + (recoveredK != plantedK ? " (chosen: " + recoveredK + ")" : ""), List.of(plantedK),
        List.of(Math.max(SCREE_FLOOR, rankSnrs.get(Math.min(plantedK, rankSnrs.size()) - 1))));
    planted.setMarker(SeriesMarkers.DIAMOND);
    planted.setMarkerColor(new Color(0xd62728));
    planted.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    return chart;
  }

  /**
   * The colour scale's end: the largest magnitude rounded up to 3 significant digits (XChart prints the
   * ends of a heat map's colour bar as raw doubles, so a rounded end keeps the legend short).
   */
  static double maxAbs(double[] a) {
    double m = 1e-12;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return new BigDecimal(m).round(new MathContext(3, RoundingMode.UP)).doubleValue();
  }

  /** The axis titles of a weight heatmap: columns (x), then rows (y). */
  static final String[] W_AXES = {"input j", "hidden unit i"};
  static final String[] A_AXES = {"hidden unit i", "output"};

  /**
   * A matrix as a heatmap, row 0 at the top as it is printed, each axis titled ({@code axes}: columns,
   * rows) and ticked with the row and column numbers.
   */
  static HeatMapChart heatmap(String title, double[] m, int rows, int cols, double scale, String[] axes) {
    HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(300, 32 * cols + 150))
        .height(Math.max(240, 30 * rows + 140)).title(title).xAxisTitle(axes[0]).yAxisTitle(axes[1]).build();
    List<String> x = new ArrayList<>();
    List<String> y = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      x.add(Integer.toString(j));
    }
    // XChart draws the first y category at the bottom: the labels run from the last row up to row 0.
    for (int i = rows - 1; i >= 0; i--) {
      y.add(Integer.toString(i));
    }
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        cells.add(new Number[] {j, rows - 1 - i, m[i * cols + j]});
      }
    }
    chart.getStyler().setRangeColors(new Color[] {new Color(0x2166ac), Color.WHITE,
        new Color(0xb2182b)});
    chart.getStyler().setMin(-scale);
    chart.getStyler().setMax(scale);
    chart.getStyler().setShowValue(false);
    chart.getStyler().setHeatMapDecimalValueFormatter(v -> String.format(Locale.ROOT, "%.2f", v));
    chart.getStyler().setLegendVisible(true);
    chart.addSeries("weights", x, y, cells);
    return chart;
  }

  /** A figure of the report: its file and its bytes, embedded in the page before the file is committed. */
  record Image(Path file, byte[] png) {}

  static Image save(Outputs outputs, Chart<?, ?> chart, Path dir, String name) throws IOException {
    Path file = dir.resolve(name + ".png");
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    outputs.write(file, out -> out.write(png));
    return new Image(file, png);
  }
}
