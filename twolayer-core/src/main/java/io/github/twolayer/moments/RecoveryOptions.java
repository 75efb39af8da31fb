package io.github.twolayer.moments;

import io.github.twolayer.linalg.Blas;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of {@link MomentRecovery}.
 *
 * @param k number of hidden units to recover, or {@link #AUTO_K}: chosen from the data ({@link KSelection})
 * @param reduceInput run the algorithm on the k-dimensional input Rᵀx (docs/ge-method.md, step 2a) when d > k
 * @param jointDiagonalization split the detector span by joint diagonalization (false: best of random pairs)
 * @param leastSquaresA estimate A by least squares of y on relu(Ŵx) (false: Â = Q U⁻ᵀ from the detectors)
 * @param checkSymmetry test the odd moments of x before recovering, and refuse data that look asymmetric
 * @param reflectSamples use each sample together with its reflection (−x, y − P x) in the detector
 *     moment (same population matrix, much lower variance; see {@link DetectorMoments}); false gives the
 *     plain estimator
 * @param threads worker threads for the sample passes (results do not depend on it)
 * @param blockRows samples per block of a pass
 * @param seed seed of the only random choice (the random-pairs fallback of step 7)
 * @param standardize recover in exactly rescaled columns and map back ({@link Standardization}; on by default)
 * @param blas which implementation of the matrix products the passes run (recorded in the provenance)
 */
public record RecoveryOptions(int k, boolean reduceInput, boolean jointDiagonalization, boolean leastSquaresA,
    boolean checkSymmetry, boolean reflectSamples, int threads, int blockRows, long seed, boolean standardize,
    Blas.Choice blas) {

  /** The default seed, echoed in every output. */
  public static final long DEFAULT_SEED = 1;

  /** k to be chosen from the data ({@code --k auto}). */
  public static final int AUTO_K = 0;

  public RecoveryOptions {
    if (k < 0) {
      throw new IllegalArgumentException("k = " + k + " must be a positive number of hidden units (or AUTO_K)");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads = " + threads + " must be positive");
    }
    if (blas == null) {
      throw new IllegalArgumentException("blas must be a choice (Blas.Choice.AUTO for native where it loads)");
    }
    if (blockRows < 4) {
      throw new IllegalArgumentException("blockRows = " + blockRows + " must be at least 4");
    }
  }

  /**
   * Input reduction on, joint diagonalization, least-squares A, reflected samples, all cores, blocks of
   * 4096 samples, seed 1, columns standardized ({@link Standardization}), the library's default BLAS
   * ({@link Blas.Choice#byDefault}: {@code -Dtwolayer.blas}, else auto).
   */
  public static RecoveryOptions defaults(int k) {
    return new RecoveryOptions(k, true, true, true, false, true, Runtime.getRuntime().availableProcessors(), 4096,
        DEFAULT_SEED, true, Blas.Choice.byDefault());
  }

  /** Whether k is chosen from the data. */
  public boolean autoK() {
    return k == AUTO_K;
  }

  /**
   * How a recovery was made, for its provenance: the choices of these options under their snake_case
   * names (the seed, the variants of docs/ge-method.md steps 2a–10, standardization).
   */
  public Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("algorithm", "moments");
    p.put("seed", seed);
    p.put("reduce_input", reduceInput);
    p.put("reflect_samples", reflectSamples);
    p.put("split", jointDiagonalization ? "joint" : "pairs");
    p.put("a_estimator", leastSquaresA ? "lsq" : "inverse");
    p.put("standardize", standardize);
    p.put("check_symmetry", checkSymmetry);
    return p;
  }

  public RecoveryOptions withReduceInput(boolean on) {
    return new RecoveryOptions(k, on, jointDiagonalization, leastSquaresA, checkSymmetry, reflectSamples, threads,
        blockRows, seed, standardize, blas);
  }

  public RecoveryOptions withJointDiagonalization(boolean on) {
    return new RecoveryOptions(k, reduceInput, on, leastSquaresA, checkSymmetry, reflectSamples, threads, blockRows,
        seed, standardize, blas);
  }

  public RecoveryOptions withLeastSquaresA(boolean on) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, on, checkSymmetry, reflectSamples, threads,
        blockRows, seed, standardize, blas);
  }

  public RecoveryOptions withCheckSymmetry(boolean on) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, on, reflectSamples, threads,
        blockRows,
        seed, standardize, blas);
  }

  public RecoveryOptions withReflectSamples(boolean on) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry, on, threads,
        blockRows, seed, standardize, blas);
  }

  public RecoveryOptions withThreads(int t) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry, reflectSamples, t,
        blockRows,
        seed, standardize, blas);
  }

  public RecoveryOptions withBlockRows(int rows) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry, reflectSamples,
        threads, rows,
        seed, standardize, blas);
  }

  public RecoveryOptions withSeed(long s) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry, reflectSamples,
        threads,
        blockRows, s, standardize, blas);
  }

  /** Off: the raw-units path, for experiments (columns must then be of ordinary, similar magnitudes). */
  public RecoveryOptions withStandardize(boolean on) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry, reflectSamples,
        threads,
        blockRows, seed, on, blas);
  }

  /** The same options with the matrix products of {@code choice}. */
  public RecoveryOptions withBlas(Blas.Choice choice) {
    return new RecoveryOptions(k, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry, reflectSamples,
        threads,
        blockRows, seed, standardize, choice);
  }

  /** The same options for another number of hidden units. */
  public RecoveryOptions withK(int hidden) {
    return new RecoveryOptions(hidden, reduceInput, jointDiagonalization, leastSquaresA, checkSymmetry,
        reflectSamples, threads,
        blockRows, seed, standardize, blas);
  }
}
