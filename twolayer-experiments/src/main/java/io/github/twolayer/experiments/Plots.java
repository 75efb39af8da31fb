package io.github.twolayer.experiments;

import io.github.twolayer.data.Outputs;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws an experiment's plots (XChart) as PNG and SVG: medians over seeds with the 10–90% band shaded,
 * log axes where the values span more than a decade (ticked at decades, as powers of ten, and
 * half-decades), linear axes with plain ticks otherwise, and every method (or input law, mode, schedule)
 * in the same colour in every figure.
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
    return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String superscript(int e) {
    String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    StringBuilder b = new StringBuilder(e < 0 ? "⁻" : "");
    for (char ch : Integer.toString(Math.abs(e)).toCharArray()) {
      b.append(digits.charAt(ch - '0'));
    }
    return b.toString();
  }

  /**
   * A log axis is drawn only for values that span more than about a decade (largest over smallest at
   * least this): over a narrower range a log axis differs little from a linear one, and its ticks fall
   * at fractions of a decade (0.0158, 0.0251, 0.0398), where a linear axis reads 0.01, 0.02, 0.03.
   */
  static final double LOG_AXIS_MIN_RATIO = 15;

  /**
   * Pixels of the plot area along y and x in the 720×460 figures (XChart spaces its ticks by a hint in
   * pixels): enough to set a log axis's hint so that its ticks fall on decades and half-decades, never
   * finer (a step of 0.2 decade labels 0.0158, 0.0251).
   */
  private static final double PLOT_HEIGHT = 350;
  private static final double PLOT_WIDTH = 400;

  /** Whether an axis asked to be logarithmic spans enough decades to be drawn so. */
  static boolean spansDecades(double min, double max) {
    double lo = Math.max(min, 1e-9);
    double hi = Math.max(max, 1e-9);
    return hi / lo >= LOG_AXIS_MIN_RATIO;
  }

  /** Tick labels of a linear axis: plain numbers, rounding noise removed (0.15, not .15 or 0.15000000000000002). */
  static String plain(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return "0";
    }
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** One line of a plot: its label and, per x, the median and the 10% and 90% quantiles over seeds. */
  private record Line(String group, double[] x, double[] med, double[] lo, double[] hi) {}

  /** Draws one plot into dir/{file}.png and .svg (written atomically); returns the PNG path. */
  static Path draw(Experiment.PlotSpec spec, List<Row> rows, Path dir) throws IOException {
    XYChart chart = chart(spec, rows);
    Files.createDirectories(dir);
    Path png = dir.resolve(spec.file() + ".png");
    Outputs.writeOne(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    Outputs.writeOne(dir.resolve(spec.file() + ".svg"),
        out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    return png;
  }

  /** The chart of one plot: every line labelled in the legend, the shaded bands left out of it. */
  static XYChart chart(Experiment.PlotSpec spec, List<Row> rows) {
    List<Row> metricRows = Stats.select(rows, spec.metric(), spec.where());
    List<String> groups = spec.series() == null ? List.of("all") : Stats.values(metricRows, spec.series());
    List<Line> lines = new ArrayList<>();
    for (String group : groups) {
      List<Row> g = spec.series() == null ? metricRows
          : metricRows.stream().filter(r -> r.parameter(spec.series()).equals(group)).toList();
      Map<Double, List<Double>> byX = new LinkedHashMap<>();
      for (Row r : g) {
        byX.computeIfAbsent(Double.parseDouble(r.parameter(spec.x())), k -> new ArrayList<>()).add(r.value());
      }
      List<Double> xs = new ArrayList<>(byX.keySet());
      xs.sort(Double::compare);
      Line line = new Line(group, new double[xs.size()], new double[xs.size()], new double[xs.size()],
          new double[xs.size()]);
      for (int i = 0; i < xs.size(); i++) {
        double[] v = byX.get(xs.get(i)).stream().mapToDouble(Double::doubleValue).toArray();
        line.x()[i] = xs.get(i);
        line.med()[i] = Stats.quantile(v, 0.5);
        line.lo()[i] = Stats.quantile(v, 0.1);
        line.hi()[i] = Stats.quantile(v, 0.9);
      }
      if (xs.size() > 0) {
        lines.add(line);
      }
    }
    double[] xRange = range(lines.stream().map(Line::x).toList());
    double[] yRange = range(lines.stream().flatMap(l -> Stream.of(l.lo(), l.med(), l.hi())).toList());
    boolean logX = spec.logX() && spansDecades(xRange[0], xRange[1]);
    boolean logY = spec.logY() && spansDecades(yRange[0], yRange[1]);

    XYChart chart = new XYChartBuilder().width(720).height(460).title(spec.title()).xAxisTitle(spec.x())
        .yAxisTitle(spec.yLabel()).build();
    XYStyler styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    // Log axes are drawn as linear axes over log10 of the values, so that their tick labels can be set:
    // XChart's own log axes print decades as "1E4", and a custom label function switches them to linear
    // ticks. Decades then read 10⁴, half-decades plain (tick); the spacing hint keeps the ticks from
    // falling finer than half-decades. Linear axes get plain labels (0.05, where XChart prints .05).
    if (logX) {
      styler.setxAxisTickLabelsFormattingFunction(t -> tick(Math.pow(10, t)));
      styler.setXAxisTickMarkSpacingHint(logHint(styler.getXAxisTickMarkSpacingHint(), PLOT_WIDTH, xRange));
    } else {
      styler.setxAxisTickLabelsFormattingFunction(Plots::plain);
    }
    if (logY) {
      styler.setyAxisTickLabelsFormattingFunction(t -> tick(Math.pow(10, t)));
      styler.setYAxisTickMarkSpacingHint(logHint(90, PLOT_HEIGHT, yRange));
    } else {
      styler.setyAxisTickLabelsFormattingFunction(Plots::plain);
    }
    for (Line line : lines) {
      int n = line.x().length;
      double[] x = new double[n];
      double[] med = new double[n];
      double[] lo = new double[n];
      double[] hi = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = axis(line.x()[i], logX);
        med[i] = axis(line.med()[i], logY);
        lo[i] = axis(line.lo()[i], logY);
        hi[i] = axis(line.hi()[i], logY);
      }
      Color c = spec.series() == null ? PALETTE[0] : color(line.group());
      String name = spec.series() == null ? "median" : spec.series() + " = " + line.group();
      if (n > 1) {
        // The 10–90% band as one shaded polygon: along the 90% quantiles, back along the 10% ones.
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
          px[i] = x[i];
          py[i] = hi[i];
          px[2 * n - 1 - i] = x[i];
          py[2 * n - 1 - i] = lo[i];
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
    return chart;
  }

  /** The smallest and largest value in some arrays (1 and 1 when there are none). */
  private static double[] range(List<double[]> arrays) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] a : arrays) {
      for (double v : a) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return min <= max ? new double[] {min, max} : new double[] {1, 1};
  }

  /**
   * A log axis's tick spacing hint: at least {@code base} pixels, and enough that XChart's step (span
   * × hint / plot pixels, rounded to 1, 2 or 5 times a power of ten) is at least half a decade: XChart
   * rounds a step from 0.35 up to 0.5, and 0.45 leaves room for the plot being 20% larger or smaller
   * than {@code pixels}.
   */
  private static int logHint(int base, double pixels, double[] range) {
    double decades = Math.log10(Math.max(range[1], 1e-9)) - Math.log10(Math.max(range[0], 1e-9));
    return (int) Math.max(base, Math.ceil(0.45 * pixels / Math.max(decades, 1e-9)));
  }

  /** A value's position on its axis: log10 of it on a log axis (0 and below at the floor 1e-9). */
  private static double axis(double v, boolean log) {
    return log ? Math.log10(Math.max(v, 1e-9)) : v;
  }
}
