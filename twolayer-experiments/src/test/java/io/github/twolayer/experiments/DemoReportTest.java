package io.github.twolayer.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.Legend_;

/** The figures of the demo's report: every legend entry labelled and in the figure, every axis titled. */
class DemoReportTest {
  @Test
  void theScreeLegendLabelsEveryEntryAndFitsInTheFigure() throws ReflectiveOperationException {
    // Eight candidates, five units, the rest at rounding level (drawn at the floor).
    XYChart chart = DemoReport.scree(List.of(260.0, 210.0, 170.0, 120.0, 110.0, 1e-14, 1e-14, 1e-14), 5, 5);
    assertThat(chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName))
        .hasSize(4).allSatisfy(name -> assertThat(name).isNotBlank())
        .anySatisfy(name -> assertThat(name).isEqualTo("planted k = 5"));
    BitmapEncoder.getBufferedImage(chart);
    // Side by side the four entries were wider than the figure: the last, the planted k, was cut off.
    Field legend = Chart.class.getDeclaredField("legend");
    legend.setAccessible(true); // XChart 3.8 keeps the legend's drawn bounds there, with no public way to them
    var bounds = ((Legend_<?, ?>) legend.get(chart)).getBounds();
    assertThat(bounds.getMinX()).isGreaterThanOrEqualTo(0);
    assertThat(bounds.getMaxX()).isLessThanOrEqualTo(chart.getWidth());
    assertThat(bounds.getMaxY()).isLessThanOrEqualTo(chart.getHeight());
  }

  @Test
  void aWeightHeatmapTitlesItsAxesAndPutsRowZeroAtTheTopLabelledZero() {
    int rows = 3;
    int cols = 4;
    double[] m = new double[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = i; // row i holds 4i .. 4i + 3
    }
    HeatMapChart chart = DemoReport.heatmap("W", m, rows, cols, 12, DemoReport.W_AXES);
    assertThat(chart.getXAxisTitle()).isEqualTo("input j");
    assertThat(chart.getYAxisTitle()).isEqualTo("hidden unit i");
    assertThat(DemoReport.heatmap("A", m, rows, cols, 12, DemoReport.A_AXES).getYAxisTitle()).isEqualTo("output");
    var series = chart.getHeatMapSeries();
    // XChart draws the first y category at the bottom, so row 0 comes last, and each cell sits in its row.
    assertThat(series.getYData().stream().map(String::valueOf).toList()).containsExactly("2", "1", "0");
    for (Number[] cell : series.getHeatData()) {
      int row = (int) (cell[2].doubleValue() / cols);
      assertThat(series.getYData().get(cell[1].intValue())).isEqualTo(Integer.toString(row));
      assertThat(series.getXData().get(cell[0].intValue())).isEqualTo(Integer.toString((int) cell[2].doubleValue()
          % cols));
    }
  }
}
