/**
 * JMH benchmarks of the kernels alone: the multiply (native and Java, both precisions), the small
 * decompositions (EJML against ojAlgo) and the element-wise loops of the detector pass against the
 * variants tried. Start at {@link io.github.twolayer.bench.BenchMain}. Whole algorithms are measured
 * by {@code twolayer bench} (a moment pass and a pretraining round against the machine's multiply
 * rate) and whole commands against the Python peers by {@code bench/compare.sh}.
 */
package io.github.twolayer.bench;
