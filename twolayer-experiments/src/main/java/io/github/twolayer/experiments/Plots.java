package io.github.twolayer.experiments;

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

/** Draws an experiment's plots (XChart) as PNG and SVG: medians over seeds with 10–90% bands. */
final class Plots {
  private Plots() {}

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  /** Draws one plot into dir/{file}.png and .svg (written atomically); returns the PNG path. */
  static Path draw(Experiment.PlotSpec spec, List<Row> rows, Path dir) throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(460).title(spec.title()).xAxisTitle(spec.x())
        .yAxisTitle(spec.yLabel()).build();
    org.knowm.xchart.style.XYStyler styler = chart.getStyler();
    chart.getStyler().setXAxisLogarithmic(spec.logX());
    chart.getStyler().setYAxisLogarithmic(spec.logY());
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    styler.setYAxisDecimalPattern("#.####");
    List<Row> metricRows = Stats.select(rows, spec.metric(), spec.where());
    List<String> groups = spec.series() == null ? List.of("all") : Stats.values(metricRows, spec.series());
    int color = 0;
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
        x[i] = xs.get(i);
        med[i] = floor(Stats.quantile(v, 0.5), spec.logY());
        lo[i] = floor(Stats.quantile(v, 0.1), spec.logY());
        hi[i] = floor(Stats.quantile(v, 0.9), spec.logY());
      }
      if (x.length == 0) {
        continue;
      }
      Color c = PALETTE[color++ % PALETTE.length];
      Color light = new Color(c.getRed(), c.getGreen(), c.getBlue(), 110);
      String name = spec.series() == null ? "median" : spec.series() + " = " + group;
      XYSeries m = chart.addSeries(name, x, med);
      m.setLineColor(c);
      m.setMarkerColor(c);
      m.setMarker(SeriesMarkers.CIRCLE);
      for (double[] edge : new double[][] {lo, hi}) {
        XYSeries e = chart.addSeries(name + (edge == lo ? " (10%)" : " (90%)"), x, edge);
        e.setLineColor(light);
        e.setMarker(SeriesMarkers.NONE);
        e.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        e.setShowInLegend(false);
      }
    }
    Files.createDirectories(dir);
    Path png = dir.resolve(spec.file() + ".png");
    Path tmpPng = dir.resolve("." + spec.file() + ".tmp");
    BitmapEncoder.saveBitmap(chart, tmpPng.toString(), BitmapEncoder.BitmapFormat.PNG);
    Files.move(dir.resolve("." + spec.file() + ".tmp.png"), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    VectorGraphicsEncoder.saveVectorGraphic(chart, tmpPng.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    Files.move(dir.resolve("." + spec.file() + ".tmp.svg"), dir.resolve(spec.file() + ".svg"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return png;
  }

  /** Log axes cannot show 0: the smallest positive value the plot can carry. */
  private static double floor(double v, boolean log) {
    return log ? Math.max(v, 1e-9) : v;
  }
}
