/**
 * Dense linear algebra on row-major {@code double[]}/{@code float[]} arrays.
 *
 * <p>Start at {@link io.github.twolayer.linalg.Blas}: every heavy product of the algorithms (general
 * multiply in float64 and float32, the symmetric rank-k update of the moment passes) behind one small
 * interface, with native OpenBLAS ({@link io.github.twolayer.linalg.NativeBlas}, single-threaded inside
 * our own tiles, so results do not depend on the thread count) where it loads and our Java kernels
 * ({@link io.github.twolayer.linalg.JavaBlas}) elsewhere and as the tests' reference. {@link
 * io.github.twolayer.linalg.Matrices} wraps EJML's small decompositions (SVD, symmetric eigenproblems,
 * Cholesky, solves) used between the passes; {@link io.github.twolayer.linalg.Parallel} is the thread
 * pool whose tiles every parallel loop uses; {@link io.github.twolayer.linalg.Elementwise} holds the
 * element-by-element loops of the moment passes.
 */
package io.github.twolayer.linalg;
