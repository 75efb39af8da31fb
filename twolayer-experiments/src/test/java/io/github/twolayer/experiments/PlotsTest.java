package io.github.twolayer.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.Chart;

/** What a reader sees on the experiments' axes and legends. */
class PlotsTest {
  /**
   * Rows of w_error against noise, one line per dist, three seeds per point at 0.8, 1 and 1.25 times the
   * point's centre (the line at x_i has centre {@code centres[i]}, the second line twice it).
   */
  private static List<Row> rows(double[] xs, double[] centres) {
    List<Row> rows = new ArrayList<>();
    for (String dist : List.of("gaussian", "cube")) {
      for (int i = 0; i < xs.length; i++) {
        double c = centres[i] * (dist.equals("cube") ? 2 : 1);
        for (double f : new double[] {0.8, 1, 1.25}) {
          rows.add(new Row("t", GeExperiments.params("dist", dist, "noise", xs[i]), 1, "w_error", c * f, 0));
        }
      }
    }
    return rows;
  }

  private static final Experiment.PlotSpec LOG_Y = new Experiment.PlotSpec("t", "title", "w_error", "noise", "dist",
      false, true, "matched relative W error");

  /**
   * The tick labels XChart drew on an axis of the chart: painted once, then read from the axis's tick
   * calculator (XChart 3.8 keeps them there without a public way to it, hence reflection; the label
   * function alone is also asked for labels of the axis's ends, to measure them).
   */
  private static List<String> tickLabels(XYChart chart, boolean yAxis) {
    BitmapEncoder.getBufferedImage(chart);
    try {
      Field pairField = Chart.class.getDeclaredField("axisPair");
      pairField.setAccessible(true);
      Object pair = pairField.get(chart);
      Field axisField = pair.getClass().getDeclaredField(yAxis ? "yAxis" : "xAxis");
      axisField.setAccessible(true);
      var axis = (Axis<?, ?>) axisField.get(pair);
      return axis.getAxisTickCalculator().getTickLabels().stream().filter(l -> l != null && !l.isEmpty()).toList();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("XChart's axis has moved: " + e, e);
    }
  }

  private static double log10(String label) {
    return Math.log10(Double.parseDouble(label.replace("10⁻³", "0.001")));
  }

  @Test
  void aLogAxisOverLessThanADecadeIsTickedAtRoundNumbers() {
    // 0.0064 .. 0.05 (ge-e2's range): a log axis would tick it at 0.0158, 0.0251, 0.0398.
    XYChart chart = Plots.chart(LOG_Y, rows(new double[] {0, 0.05, 0.1, 0.3}, new double[] {0.008, 0.012, 0.01,
        0.02}));
    List<String> labels = tickLabels(chart, true);
    assertThat(labels).hasSizeGreaterThanOrEqualTo(4).contains("0.01", "0.02", "0.03", "0.04")
        .doesNotContain("0.0158", "0.0251", "0.0398");
    // Equally spaced values: a linear axis, every tick a multiple of the step.
    double step = Double.parseDouble(labels.get(1)) - Double.parseDouble(labels.get(0));
    assertThat(labels).allSatisfy(l -> assertThat(Math.abs(Double.parseDouble(l) / step
        - Math.rint(Double.parseDouble(l) / step))).as(l).isLessThan(1e-9));
  }

  @Test
  void aLogAxisOverMoreThanADecadeIsTickedAtDecadesAndHalfDecadesOnly() {
    // 1.23 decades (0.0084 .. 0.144, the 10% and 90% quantiles of the points), where XChart's default
    // spacing put ticks every 0.2 decade (0.0158, 0.0251, ...), and 2.3 decades.
    for (double[] centres : List.of(new double[] {0.01, 0.02, 0.03, 0.06}, new double[] {0.001, 0.003, 0.01,
        0.08})) {
      List<String> labels = tickLabels(Plots.chart(LOG_Y, rows(new double[] {0, 0.05, 0.1, 0.3}, centres)), true);
      assertThat(labels).as("%s", labels).hasSizeGreaterThanOrEqualTo(2).allSatisfy(l ->
          // 3 significant digits: 0.0316 is 10^-1.5 to within 0.001 decade
          assertThat(Math.abs(2 * log10(l) - Math.rint(2 * log10(l)))).as(l).isLessThan(0.002));
      assertThat(labels).contains("0.01");
    }
  }

  @Test
  void linearAxesPrintPlainNumbers() {
    List<String> labels = tickLabels(Plots.chart(LOG_Y, rows(new double[] {0, 0.05, 0.1, 0.3}, new double[] {0.008,
        0.012, 0.01, 0.02})), false);
    assertThat(labels).contains("0", "0.05", "0.1").noneMatch(l -> l.startsWith("."));
    assertThat(Plots.plain(0.15000000000000002)).isEqualTo("0.15");
    assertThat(Plots.plain(300000)).isEqualTo("300000");
  }

  @Test
  void everyLineIsNamedInTheLegendAndNoBandIs() {
    XYChart chart = Plots.chart(LOG_Y, rows(new double[] {0, 0.05, 0.1, 0.3}, new double[] {0.008, 0.012, 0.01,
        0.02}));
    List<XYSeries> inLegend = chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).toList();
    assertThat(inLegend).extracting(XYSeries::getName).containsExactly("dist = gaussian", "dist = cube");
    assertThat(chart.getSeriesMap()).hasSize(4); // and a shaded 10–90% band for each, left out of the legend
  }
}
