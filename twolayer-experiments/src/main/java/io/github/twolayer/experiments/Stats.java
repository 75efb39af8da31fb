package io.github.twolayer.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Medians and quantiles over seeds, grouped by parameters. */
final class Stats {
  private Stats() {}

  /** The q-quantile (linear interpolation) of values. */
  static double quantile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    if (s.length == 0) {
      return Double.NaN;
    }
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  static double median(List<Row> rows) {
    return quantile(rows.stream().mapToDouble(Row::value).toArray(), 0.5);
  }

  /** The rows of one metric whose parameters match all the given values. */
  static List<Row> select(List<Row> rows, String metric, Map<String, Object> where) {
    Predicate<Row> p = r -> r.metric().equals(metric) && where.entrySet().stream()
        .allMatch(e -> String.valueOf(e.getValue()).equals(r.parameter(e.getKey())));
    return rows.stream().filter(p).toList();
  }

  static double median(List<Row> rows, String metric, Object... keyValues) {
    Map<String, Object> where = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      where.put((String) keyValues[i], keyValues[i + 1]);
    }
    return median(select(rows, metric, where));
  }

  /** Distinct values of a parameter, in order of appearance. */
  static List<String> values(List<Row> rows, String parameter) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      String v = r.parameter(parameter);
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }
}
