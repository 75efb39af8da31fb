package io.github.twolayer.experiments;

import io.github.twolayer.data.Outputs;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws an experiment's plots (XChart) as PNG and SVG: medians over seeds with the 10–90% band shaded,
 * decade ticks as powers of ten, and every method (or input law, mode, schedule) in the same colour in
 * every figure.
 */
final class Plots {
  private Plots() {}

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  /**
   * One colour per series label across every figure: the methods first (the proposed method in blue, its
   * competitors in the others), then the other series the experiments draw. A label not listed gets a
   * colour from its hash, the same in every figure.
   */
  private static final Map<String, Color> COLORS = new LinkedHashMap<>();

  static {
    String[][] groups = {
        {"spectral", "multi-task", "practice", "gaussian", "reset", "wine, standardized", "multi-task (standardized)"},
        {"random start", "single-task", "theory", "cube", "persistent", "breast-cancer, standardized",
            "single-task (standardized)"},
        {"spectral+fine-tune", "oracle", "mixture", "simultaneous-zero", "digits, standardized",
            "logistic regression (pixels)"},
        {"random features", "student-t", "simultaneous-random", "wine, raw"},
        {"rademacher", "breast-cancer, raw", "single-task (raw)"},
        {"gaussian-cov", "digits, raw", "multi-task (raw)"}};
    for (int c = 0; c < groups.length; c++) {
      for (String label : groups[c]) {
        COLORS.put(label, PALETTE[c]);
      }
    }
  }

  static Color color(String label) {
    Color c = COLORS.get(label);
    return c != null ? c : PALETTE[Math.floorMod(label.hashCode(), PALETTE.length)];
  }

  /**
   * Tick labels of a log axis: decades from 10³ up and 10⁻³ down as powers of ten (10⁴), other ticks as
   * plain numbers to 3 significant digits (31600, 0.0316).
   */
  static String tick(double v) {
    double e = Math.log10(Math.abs(v));
    if (v != 0 && Math.abs(e - Math.rint(e)) < 1e-6 && Math.abs(Math.rint(e)) >= 3) {
      return (v < 0 ? "−" : "") + "10" + superscript((int) Math.rint(e));
    }
    if (v == 0 || !Double.isFinite(v)) {
      return "0";
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String superscript(int e) {
    String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    StringBuilder b = new StringBuilder(e < 0 ? "⁻" : "");
    for (char ch : Integer.toString(Math.abs(e)).toCharArray()) {
      b.append(digits.charAt(ch - '0'));
    }
    return b.toString();
  }

  /** Draws one plot into dir/{file}.png and .svg (written atomically); returns the PNG path. */
  static Path draw(Experiment.PlotSpec spec, List<Row> rows, Path dir) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(460).title(spec.title()).xAxisTitle(spec.x())
        .yAxisTitle(spec.yLabel()).build();
    org.knowm.xchart.style.XYStyler styler = chart.getStyler();
    // Log axes are drawn as linear axes over log10 of the values, so that their tick labels can be set:
    // XChart's own log axes print decades as "1E4", and a custom label function switches them to linear
    // ticks. Decades then read 10⁴, other ticks plain (tick).
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    styler.setYAxisDecimalPattern("#.####");
    if (spec.logX()) {
      styler.setxAxisTickLabelsFormattingFunction(t -> tick(Math.pow(10, t)));
    }
    if (spec.logY()) {
      styler.setyAxisTickLabelsFormattingFunction(t -> tick(Math.pow(10, t)));
      styler.setYAxisTickMarkSpacingHint(90); // fewer, rounder ticks: decades and half-decades
    }
    List<Row> metricRows = Stats.select(rows, spec.metric(), spec.where());
    List<String> groups = spec.series() == null ? List.of("all") : Stats.values(metricRows, spec.series());
    for (String group : groups) {
      List<Row> g = spec.series() == null ? metricRows
          : metricRows.stream().filter(r -> r.parameter(spec.series()).equals(group)).toList();
      Map<Double, List<Double>> byX = new LinkedHashMap<>();
      for (Row r : g) {
        byX.computeIfAbsent(Double.parseDouble(r.parameter(spec.x())), k -> new ArrayList<>()).add(r.value());
      }
      List<Double> xs = new ArrayList<>(byX.keySet());
      xs.sort(Double::compare);
      double[] x = new double[xs.size()];
      double[] med = new double[xs.size()];
      double[] lo = new double[xs.size()];
      double[] hi = new double[xs.size()];
      for (int i = 0; i < xs.size(); i++) {
        double[] v = byX.get(xs.get(i)).stream().mapToDouble(Double::doubleValue).toArray();
        x[i] = axis(xs.get(i), spec.logX());
        med[i] = axis(Stats.quantile(v, 0.5), spec.logY());
        lo[i] = axis(Stats.quantile(v, 0.1), spec.logY());
        hi[i] = axis(Stats.quantile(v, 0.9), spec.logY());
      }
      if (x.length == 0) {
        continue;
      }
      Color c = spec.series() == null ? PALETTE[0] : color(group);
      String name = spec.series() == null ? "median" : spec.series() + " = " + group;
      if (x.length > 1) {
        // The 10–90% band as one shaded polygon: along the 90% quantiles, back along the 10% ones.
        double[] px = new double[2 * x.length];
        double[] py = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) {
          px[i] = x[i];
          py[i] = hi[i];
          px[2 * x.length - 1 - i] = x[i];
          py[2 * x.length - 1 - i] = lo[i];
        }
        XYSeries band = chart.addSeries(name + " (10–90%)", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 45));
        band.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
      }
      XYSeries m = chart.addSeries(name, x, med);
      m.setLineColor(c);
      m.setMarkerColor(c);
      m.setMarker(SeriesMarkers.CIRCLE);
      m.setLineStyle(new BasicStroke(2f));
    }
    Files.createDirectories(dir);
    Path png = dir.resolve(spec.file() + ".png");
    Outputs.writeOne(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    Outputs.writeOne(dir.resolve(spec.file() + ".svg"),
        out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    return png;
  }

  /** A value's position on its axis: log10 of it on a log axis (0 and below at the floor 1e-9). */
  private static double axis(double v, boolean log) {
    return log ? Math.log10(Math.max(v, 1e-9)) : v;
  }
}
