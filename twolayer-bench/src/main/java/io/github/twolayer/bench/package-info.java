/**
 * JMH benchmarks of the kernels alone: the multiply (native and Java, both precisions), the small
 * decompositions (EJML against ojAlgo), a moment pass and a pretraining round. Start at {@link
 * io.github.twolayer.bench.BenchMain}; whole-command timings against the Python peers are in
 * {@code bench/compare.sh} and {@code twolayer bench}.
 */
package io.github.twolayer.bench;
