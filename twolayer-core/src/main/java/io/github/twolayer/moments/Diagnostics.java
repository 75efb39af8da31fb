package io.github.twolayer.moments;

import io.github.twolayer.linalg.Matrices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a user needs to trust a recovery (docs/diagnostics.md).
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
    String splitMethod, int jacobiSweeps, String splitSolverExit, double symmetryZ, List<String> warnings,
    Map<String, Object> columnScales, Integer kSelected, List<Double> rankSnrs) {

  public Diagnostics {
    warnings = List.copyOf(warnings);
    rankSnrs = List.copyOf(rankSnrs);
  }

  /**
   * A builder that names each diagnostic as it is set (the canonical constructor, which a record must
   * keep public, takes 16 values by position). Unset numbers are NaN, unset lists empty, the split's
   * labels, the column scales and k_selected null.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The diagnostics of one recovery, set by name; {@link #build} makes the record. */
  public static final class Builder {
    private double secondMomentCondition = Double.NaN;
    private double rankGap = Double.NaN;
    private double rankSnr = Double.NaN;
    private double conditionP = Double.NaN;
    private double detectorGap = Double.NaN;
    private double detectorResidual = Double.NaN;
    private double minEigenvalue = Double.NaN;
    private double offDiagonalResidual = Double.NaN;
    private String splitMethod;
    private int jacobiSweeps;
    private String splitSolverExit;
    private double symmetryZ = Double.NaN;
    private List<String> warnings = List.of();
    private Map<String, Object> columnScales;
    private Integer kSelected;
    private List<Double> rankSnrs = List.of();

    private Builder() {}

    public Builder secondMomentCondition(double v) {
      secondMomentCondition = v;
      return this;
    }

    public Builder rankGap(double v) {
      rankGap = v;
      return this;
    }

    public Builder rankSnr(double v) {
      rankSnr = v;
      return this;
    }

    public Builder conditionP(double v) {
      conditionP = v;
      return this;
    }

    public Builder detectorGap(double v) {
      detectorGap = v;
      return this;
    }

    public Builder detectorResidual(double v) {
      detectorResidual = v;
      return this;
    }

    public Builder minEigenvalue(double v) {
      minEigenvalue = v;
      return this;
    }

    public Builder offDiagonalResidual(double v) {
      offDiagonalResidual = v;
      return this;
    }

    public Builder splitMethod(String v) {
      splitMethod = v;
      return this;
    }

    public Builder jacobiSweeps(int v) {
      jacobiSweeps = v;
      return this;
    }

    public Builder splitSolverExit(String v) {
      splitSolverExit = v;
      return this;
    }

    /** The five diagnostics of step 7's split: its method, λ_min, off-diagonal residual, sweeps, solver exit. */
    Builder split(SpanSplitter.Split split) {
      return minEigenvalue(split.minEigenvalue()).offDiagonalResidual(split.offDiagonalResidual())
          .splitMethod(split.method().label).jacobiSweeps(split.sweeps()).splitSolverExit(split.barrierExit().label);
    }

    public Builder symmetryZ(double v) {
      symmetryZ = v;
      return this;
    }

    public Builder warnings(List<String> v) {
      warnings = v;
      return this;
    }

    public Builder columnScales(Map<String, Object> v) {
      columnScales = v;
      return this;
    }

    public Builder kSelected(Integer v) {
      kSelected = v;
      return this;
    }

    public Builder rankSnrs(List<Double> v) {
      rankSnrs = v;
      return this;
    }

    public Diagnostics build() {
      return new Diagnostics(secondMomentCondition, rankGap, rankSnr, conditionP, detectorGap, detectorResidual,
          minEigenvalue, offDiagonalResidual, splitMethod, jacobiSweeps, splitSolverExit, symmetryZ, warnings,
          columnScales, kSelected, rankSnrs);
    }
  }

  /**
   * {@code k_selected} (when k was chosen) and {@code k_evidence}, each candidate k with its rank_snr: the
   * part of {@link #asMap} about the number of hidden units.
   */
  public Map<String, Object> kEvidence() {
    return KSelection.report(kSelected, rankSnrs);
  }

  /**
   * The two hidden units most nearly parallel on the inputs: rows i &lt; j of W whose pre-activations w_iᵀx
   * and w_jᵀx have the largest |correlation| under inputs of second moment Σ (the covariance, for a
   * symmetric law), |w_iᵀΣw_j| / √(w_iᵀΣw_i · w_jᵀΣw_j): the cosine of the angle between the lines of
   * rows i and j of W Σ^½, the units in whitened coordinates. Unchanged when the input columns are
   * rescaled (W S⁻¹ against S Σ S), so it can be measured in standardized units.
   *
   * @param first row i of W, from 0
   * @param second row j &gt; i
   * @param correlation |corr(w_iᵀx, w_jᵀx)|, in [0, 1]
   */
  public record ParallelUnits(int first, int second, double correlation) {
    /** The angle between the two units' lines in whitened coordinates, in degrees (0 to 90). */
    public double angleDegrees() {
      return Math.toDegrees(Math.acos(Math.min(1, correlation)));
    }
  }

  /** The most nearly parallel pair of the k rows of W (k×d) under Σ (d×d); null when k = 1. */
  public static ParallelUnits mostParallelUnits(double[] w, int k, int d, double[] secondMoment) {
    double[] g = Matrices.multiply(Matrices.multiply(w, k, d,
        secondMoment, d), k, d, Matrices.transpose(w, k, d), k); // W Σ Wᵀ
    ParallelUnits most = null;
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        double denominator = Math.sqrt(g[i * k + i] * g[j * k + j]);
        double c = denominator > 0 ? Math.min(1, Math.abs(g[i * k + j]) / denominator) : 1;
        if (most == null || c > most.correlation()) {
          most = new ParallelUnits(i, j, c);
        }
      }
    }
    return most;
  }

  /**
   * The warning for units nearly parallel on the inputs: two recovered units closer than this angle in
   * whitened coordinates (|correlation| of their pre-activations above cos 15° = 0.966). Calibrated on
   * teachers with standard Gaussian rows (k = 5, l = 8) on symmetrized wine and breast-cancer rows whose
   * columns were divided by std^α, α from 0 (raw: a few columns dominate the variance) to 1
   * (standardized), n = 10⁵ and 10⁶, 3 seeds: of the 83 recoveries (13 of 96 runs were refused), the 26
   * with units closer than 15° all had a W error above 0.14 (25 above 0.25), and every one with an error
   * below 0.1 had its units at least 17° apart. Planted networks come this close rarely (d = 10, k = 5:
   * none of 2 000 with Gaussian rows, 6 of 2 000 when W has condition number 10), and none of 82 planted
   * recoveries warned (d = 10, k = 5, l = 8, five input laws, W and A of condition number 1 and 10,
   * n = 10⁴ to 10⁶). The whitened condition number of P = A·W, which also grows when units are nearly
   * dependent, is no substitute: it reached 47 on planted runs recovered to 0.02, as A's own conditioning
   * enters it.
   */
  public static final double WARNED_UNIT_ANGLE_DEGREES = 15;

  /** The warning of {@link #WARNED_UNIT_ANGLE_DEGREES} for the recovered units, or null. */
  static String parallelUnitsWarning(ParallelUnits units) {
    if (units == null || !(units.angleDegrees() < WARNED_UNIT_ANGLE_DEGREES)) {
      return null;
    }
    return String.format(Locale.ROOT, "hidden units %d and %d (rows of W, from 0) are nearly parallel on "
        + "these inputs: %.1f° apart in whitened coordinates (their pre-activations w·x have correlation %.3f), so "
        + "the data barely tell them apart and W is uncertain along them; more samples help only slowly",
        units.first(), units.second(), units.angleDegrees(), units.correlation());
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
