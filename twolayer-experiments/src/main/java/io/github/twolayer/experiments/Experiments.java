package io.github.twolayer.experiments;

import java.util.List;

/** Every experiment of both specs, by name. */
public final class Experiments {
  private Experiments() {}

  public static List<Experiment> all() {
    return List.of(GeExperiments.samples(), GeExperiments.noise(), GeExperiments.conditioning(),
        GeExperiments.gradientDescent(), GeExperiments.kSelection(), GeRealExperiments.real(), CollinsExperiments.tasksSweep(),
        CollinsExperiments.dimensionSweep(), CollinsExperiments.downstream(), CollinsExperiments.mechanism(),
        CollinsExperiments.width(), CollinsRealExperiments.digits());
  }

  public static Experiment byName(String name) {
    for (Experiment e : all()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown experiment '" + name + "': use one of "
        + String.join(", ", all().stream().map(Experiment::name).toList()) + ", or all");
  }
}
