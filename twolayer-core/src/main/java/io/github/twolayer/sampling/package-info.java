/**
 * Known answers: the input laws, planted networks and task families the experiments and tests draw
 * from, and the library's random streams.
 *
 * <p>{@link io.github.twolayer.sampling.Distributions} holds the symmetric input laws of docs/recover.md
 * ({@link io.github.twolayer.sampling.SymmetricDistribution}, including a user's rows symmetrized) and
 * {@link io.github.twolayer.sampling.PlantedNetworks} the planted networks y = A·relu(W x) + noise;
 * {@link io.github.twolayer.sampling.TaskFamily} the binary tasks on an r-dimensional projection of
 * docs/collins-method.md. {@link io.github.twolayer.random.Seeds} is where every generator comes from: the
 * root stream of a seed and one named stream per purpose.
 */
package io.github.twolayer.sampling;
