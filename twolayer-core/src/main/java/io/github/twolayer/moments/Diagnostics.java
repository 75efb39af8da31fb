package io.github.twolayer.moments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user needs to trust a recovery (README: "Reading the diagnostics").
 *
 * @param secondMomentCondition condition number of E[xxᵀ] (large: near-singular inputs, step 2 unstable)
 * @param rankGap s_k/s_{k+1} of the singular values of P = A·W (∞ when min(l, d) = k): the gap that
 *     selects the row space of W (input reduction) and the output subspace (step 3); large means k is
 *     the right number of hidden units
 * @param rankSnr s_k of the whitened P against the sampling-noise level (below 1 is refused: exit 3)
 * @param conditionP s_1/s_k of P = A·W (large: nearly dependent hidden units)
 * @param detectorGap σ_{s2−k}/σ_{s2−k+1} of the projected detector matrix: the gap that selects the
 *     k-dimensional null space (step 6); near 1 means no null space was found
 * @param detectorResidual σ_{s2−k+1}/σ_1: how far the chosen null space is from exact (0 with infinite data)
 * @param minEigenvalue smallest eigenvalue of the positive-definite element of the span (step 7);
 *     positive is required for joint diagonalization, near 0 means the split is ill-conditioned
 * @param offDiagonalResidual relative off-diagonal mass left by the joint diagonalization (0 is exact)
 * @param splitMethod "joint-diagonalization" or "random-pairs"
 * @param jacobiSweeps sweeps of the Jacobi joint diagonalization
 * @param splitSolverExit how the barrier method of step 7 ended: converged, step-limit, singular-hessian,
 *     line-search-failed (it then kept its last point), or not-run (random pairs)
 * @param symmetryZ largest |z-score| of the odd-moment symmetry test (NaN when not checked)
 * @param warnings plain-language warnings when a diagnostic is outside the range seen in reliable runs
 * @param columnScales what the input ("x") and output ("y") columns were multiplied by before the
 *     moments, 1/largest magnitude each (null with standardization off)
 * @param kSelected with {@code --k auto}: the k chosen ({@link KSelection}, JSON {@code k_selected}); else null
 * @param rankSnrs rank_snr of every candidate k = 1 … min(d, l), descending: the scree of the whitened P
 *     against the sampling-noise level (JSON {@code k_evidence}), the evidence for k whether given or chosen
 */
public record Diagnostics(double secondMomentCondition, double rankGap, double rankSnr, double conditionP,
    double detectorGap, double detectorResidual, double minEigenvalue, double offDiagonalResidual,
    String splitMethod, int jacobiSweeps, String splitSolverExit, double symmetryZ, java.util.List<String> warnings,
    Map<String, Object> columnScales, Integer kSelected, java.util.List<Double> rankSnrs) {

  public Diagnostics {
    warnings = java.util.List.copyOf(warnings);
    rankSnrs = java.util.List.copyOf(rankSnrs);
  }

  /**
   * {@code k_selected} (when k was chosen) and {@code k_evidence}, each candidate k with its rank_snr: the
   * part of {@link #asMap} about the number of hidden units.
   */
  public Map<String, Object> kEvidence() {
    return KSelection.report(kSelected, rankSnrs);
  }

  /** The diagnostics under their snake_case names, for JSON output and model files. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("second_moment_condition", secondMomentCondition);
    m.put("rank_gap", rankGap);
    m.put("rank_snr", rankSnr);
    m.put("condition_p", conditionP);
    m.put("detector_gap", detectorGap);
    m.put("detector_residual", detectorResidual);
    m.put("min_eigenvalue", minEigenvalue);
    m.put("off_diagonal_residual", offDiagonalResidual);
    m.put("split_method", splitMethod);
    m.put("jacobi_sweeps", jacobiSweeps);
    m.put("split_solver_exit", splitSolverExit);
    m.put("symmetry_z", symmetryZ);
    m.put("warnings", warnings);
    if (columnScales != null) {
      m.put("column_scales", columnScales);
    }
    m.putAll(kEvidence());
    return m;
  }
}
