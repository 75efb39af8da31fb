package io.github.twolayer.linalg;

import java.util.Arrays;

/**
 * The Java kernels' sums of outer products ({@link Kernels#accumulateOuterProducts}) tiled over the
 * threads of a {@link Parallel}: the multiply of {@link JavaBlas}'s benchmarks and the reference the
 * kernels' tests compare against. The split depends on the shapes only, so the bits do not depend on
 * the thread count.
 */
public final class TiledProducts {
  private final Parallel parallel;

  public TiledProducts(Parallel parallel) {
    this.parallel = parallel;
  }

  /** Sample chunks of a block, fixed by the block's length only (never by the thread count). */
  private static final int SAMPLE_CHUNKS = 8;

  /** Per-thread scratch for the partial sums of {@link #accumulateOuterProducts}. */
  private final ThreadLocal<double[][]> partials = ThreadLocal.withInitial(() -> new double[SAMPLE_CHUNKS][]);

  /**
   * {@code C += UᵀV} over {@code rows} samples (C is uCols × vCols, row stride cStride).
   * A large C is split between threads by its rows, in groups of four; a small one (where row groups
   * would be too little work per task) by samples: the block is cut into a fixed number of chunks,
   * each summed into its own zeroed partial, and the partials are added to C in chunk order. Either
   * way the split depends on the shapes only, so the bits do not depend on the thread count.
   * See {@link Kernels#accumulateOuterProducts}.
   */
  public void accumulateOuterProducts(
      double[] u, int uOff, int uStride, int uCols,
      double[] v, int vOff, int vStride, int vCols,
      int rows, double[] c, int cStride) {
    long work = (long) rows * uCols * vCols;
    if (work < 1_000_000L) {
      Kernels.accumulateOuterProducts(u, uOff, uStride, v, vOff, vStride, vCols, rows, c, cStride, 0, uCols);
      return;
    }
    if ((long) uCols * vCols <= 8192 && rows >= 4 * SAMPLE_CHUNKS) {
      int chunkRows = (rows + SAMPLE_CHUNKS - 1) / SAMPLE_CHUNKS;
      int chunks = (rows + chunkRows - 1) / chunkRows;
      double[][] results = new double[chunks][];
      parallel.forEachTile(chunks, t -> {
        double[][] scratch = partials.get();
        if (scratch[t] == null || scratch[t].length < uCols * vCols) {
          scratch[t] = new double[uCols * vCols];
        }
        double[] part = scratch[t];
        Arrays.fill(part, 0, uCols * vCols, 0);
        int from = t * chunkRows;
        int count = Math.min(chunkRows, rows - from);
        Kernels.accumulateOuterProducts(u, uOff + from * uStride, uStride, v, vOff + from * vStride, vStride, vCols,
            count, part, vCols, 0, uCols);
        results[t] = part;
      });
      for (double[] part : results) {
        for (int j = 0; j < uCols; j++) {
          for (int i = 0; i < vCols; i++) {
            c[j * cStride + i] += part[j * vCols + i];
          }
        }
      }
      return;
    }
    // One tile of C rows per thread (in groups of 4, the kernel's register blocking): each thread then
    // streams the block of V once, with its rows of C resident in its L2 cache. The tiling may follow
    // the thread count because it never changes the order in which an entry of C is summed.
    int groups = (uCols + 3) / 4;
    int perTile = (groups + parallel.threads() - 1) / parallel.threads();
    int tileRows = 4 * perTile;
    int tiles = (uCols + tileRows - 1) / tileRows;
    parallel.forEachTile(tiles, t -> Kernels.accumulateOuterProducts(u, uOff, uStride, v, vOff, vStride, vCols,
        rows, c, cStride, t * tileRows, Math.min(uCols, (t + 1) * tileRows)));
  }
}
