package io.github.twolayer.experiments;

import java.util.LinkedHashMap;
import java.util.Map;

/** One measured value of one run: a row of an experiment's tidy CSV. */
public record Row(String experiment, Map<String, Object> parameters, long seed, String metric, double value,
    double seconds) {
  public Row {
    parameters = new LinkedHashMap<>(parameters);
  }

  /** A parameter's value as text (for grouping). */
  public String parameter(String name) {
    return String.valueOf(parameters.get(name));
  }
}
