/**
 * The papers' experiments (docs/ge-method.md, docs/collins-method.md): definitions, a parallel runner, statistics,
 * plots and reports.
 *
 * <p>Start at {@link io.github.twolayer.experiments.Experiments}, the experiments by name; each is an
 * {@link io.github.twolayer.experiments.Experiment} (a grid of tasks, the claim it tests, its plots),
 * defined in GeExperiments and CollinsExperiments (and, on the real data sets of RealData, in
 * GeRealExperiments and CollinsRealExperiments). {@link io.github.twolayer.experiments.Runner} runs one
 * over the cores and writes its tidy CSV, plots and summary; {@link io.github.twolayer.experiments.Report}
 * and {@link io.github.twolayer.experiments.DemoReport} write the HTML reports.
 */
package io.github.twolayer.experiments;
