package io.github.twolayer.metrics;

import io.github.twolayer.linalg.Matrices;

/**
 * How well a first layer W (m×d) has found the subspace span(M) (M: d×r, orthonormal columns), the
 * metrics of docs/collins-method.md ("Metrics").
 *
 * @param energyOut ‖W M⊥‖²_F / ‖W‖²_F: the share of W's energy outside span(M) (≈ 1 − r/d at init, 0 perfect)
 * @param subspaceDist sin of the largest principal angle between W's top-r right singular subspace and span(M)
 * @param coverage s_min/s_max of W M: how evenly the r directions are learned (1 is even, 0 misses one)
 * @param principalAngles the r principal angles in radians, ascending
 */
public record SubspaceMetrics(double energyOut, double subspaceDist, double coverage, double[] principalAngles) {

  public static SubspaceMetrics of(double[] w, int m, int d, double[] basis, int r) {
    if (w.length != m * d || basis.length != d * r) {
      throw new IllegalArgumentException("W must be m×d = " + m + "×" + d + " and M d×r = " + d + "×" + r
          + "; the representation and the subspace truth must have the same d");
    }
    if (r > Math.min(m, d)) {
      throw new IllegalArgumentException("r = " + r + " exceeds min(m, d) = " + Math.min(m, d));
    }
    double[] wm = Matrices.multiply(w, m, d, basis, r); // m×r
    double total = 0;
    for (double v : w) {
      total += v * v;
    }
    double inside = 0;
    for (double v : wm) {
      inside += v * v;
    }
    double energyOut = total == 0 ? 1 : Math.max(0, 1 - inside / total);
    Matrices.Svd svdWm = Matrices.svd(wm, m, r);
    double coverage = svdWm.s()[0] == 0 ? 0 : svdWm.s()[r - 1] / svdWm.s()[0];
    // Top-r right singular vectors of W, then the singular values of V_rᵀ M are the cosines.
    Matrices.Svd svdW = Matrices.svd(w, m, d);
    int rank = svdW.rank();
    double[] vr = new double[d * r];
    for (int p = 0; p < d; p++) {
      System.arraycopy(svdW.V(), p * rank, vr, p * r, r);
    }
    double[] cosines = Matrices.svd(Matrices.multiply(Matrices.transpose(vr, d, r), r, d, basis, r), r, r).s();
    double[] angles = new double[r];
    for (int i = 0; i < r; i++) {
      angles[i] = Math.acos(Math.min(1, cosines[i])); // cosines descending → angles ascending
    }
    double smallestCos = Math.min(1, cosines[r - 1]);
    double dist = Math.sqrt(Math.max(0, 1 - smallestCos * smallestCos));
    return new SubspaceMetrics(energyOut, dist, coverage, angles);
  }
}
