/**
 * Multi-task representation learning of Collins, Hassani, Soltanolkotabi, Mokhtari and Shakkottai (ICML
 * 2024), as docs/collins-method.md describes it.
 *
 * <p>Start at {@link io.github.twolayer.multitask.MultiTaskPretraining}: rounds of a head step per task
 * on one sample set and a step of the shared first layer W on another, tasks in parallel. The round is
 * written once (Rounds) over the products of a backend (RoundProducts: TaskByTask in float64,
 * BatchedRounds in float32, the engine passes of DataParallelPretraining), and φ_W once (Features). {@link io.github.twolayer.multitask.PretrainingOptions}
 * holds the calibrated defaults and the variants; {@link io.github.twolayer.multitask.TaskSampler}
 * supplies each round's samples (online from a task family, or from a user's multi-task file); {@link
 * io.github.twolayer.multitask.DataParallelPretraining} is the same algorithm written as passes of an
 * engine (Bernoulli sample sets, streaming, Spark). {@link io.github.twolayer.multitask.Baselines} gives
 * the random-feature, single-task and oracle layers the paper compares with, {@link
 * io.github.twolayer.multitask.Downstream} retrains only the last layer on a new task ("Downstream"), and {@link
 * io.github.twolayer.multitask.SubspaceTruth} reads and writes the planted subspace and tasks.
 */
package io.github.twolayer.multitask;
