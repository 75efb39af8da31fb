/**
 * The network y = A·relu(W x + c) and the units it is expressed in.
 *
 * <p>{@link io.github.twolayer.model.TwoLayerNet} holds W (k×d), A (l×k) and an optional bias; {@link
 * io.github.twolayer.model.ColumnScaling} maps a network exactly between raw and per-column scaled units,
 * so that every algorithm can run on standardized columns and report in the user's units; {@link
 * io.github.twolayer.multitask.InputStandardization} also centers them (multi-task pretraining), mapping the
 * layer's bias back with its W.
 */
package io.github.twolayer.model;
