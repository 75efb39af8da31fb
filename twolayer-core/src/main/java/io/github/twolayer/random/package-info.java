/**
 * The library's random streams, at the bottom of the package graph: every generator comes from {@link
 * io.github.twolayer.random.Seeds}, the root stream of a seed and one named stream per purpose, so that any
 * package can draw reproducible numbers without depending on the input laws and planted networks.
 */
package io.github.twolayer.random;
