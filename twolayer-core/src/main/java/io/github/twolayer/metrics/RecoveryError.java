package io.github.twolayer.metrics;

import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;

/**
 * The evaluation metric of docs/ge-method.md: normalize each row of W and Ŵ to unit norm and move the norms
 * into the columns of A and Â (a positive rescaling, which leaves the network's function unchanged);
 * match hidden units by the Hungarian algorithm on |cos(w_i, ŵ_j)|; report ‖W − Ŵπ‖_F/‖W‖_F and
 * ‖A − Âπ‖_F/‖A‖_F. Signs are not flipped after matching: a unit recovered with the wrong sign counts
 * as an error, as it should (relu(−z) ≠ relu(z)).
 *
 * @param wError matched relative error of W
 * @param aError matched relative error of A (NaN when either network has no A)
 * @param permutation permutation[i] = the recovered unit matched to true unit i
 */
public record RecoveryError(double wError, double aError, int[] permutation) {

  public static RecoveryError of(TwoLayerNet truth, TwoLayerNet estimate) {
    if (truth.d() != estimate.d()) {
      throw new IllegalArgumentException("the truth has d = " + truth.d() + " inputs but the model has " + estimate.d()
          + ": they are not of the same data; use the truth of this model's data");
    }
    if (truth.l() > 0 && estimate.l() > 0 && truth.l() != estimate.l()) {
      throw new IllegalArgumentException("truth has l = " + truth.l() + " outputs but the model has "
          + estimate.l() + "; use the truth of this model's data");
    }
    if (truth.k() != estimate.k()) {
      // Same data, another number of units: a recovery that chose or was given another k. A truth with fewer
      // outputs than units is the case the method of moments cannot recover at all (its data show l units).
      String advice = truth.l() > 0 && truth.l() < truth.k()
          ? "; this truth has fewer outputs (l = " + truth.l() + ") than units, which the method of moments cannot "
              + "recover (its data show at most " + truth.l() + "): train --k " + truth.k() + " fits them all"
          : "; recover or train with --k " + truth.k();
      throw new IllegalArgumentException("the truth has k = " + truth.k() + " hidden units but the model has "
          + estimate.k() + ": the matched errors pair the units one to one, so they need the same k" + advice);
    }
    int d = truth.d();
    int k = truth.k();
    TwoLayerNet unitTruth = truth.withUnitRows();
    TwoLayerNet unitEstimate = estimate.withUnitRows();
    double[] w = unitTruth.W();
    double[] what = unitEstimate.W();
    double[][] cost = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double dot = 0;
        for (int p = 0; p < d; p++) {
          dot += w[i * d + p] * what[j * d + p];
        }
        cost[i][j] = -Math.abs(dot);
      }
    }
    int[] pi = Hungarian.solve(cost);
    double num = 0;
    double den = 0;
    for (int i = 0; i < k; i++) {
      for (int p = 0; p < d; p++) {
        double diff = w[i * d + p] - what[pi[i] * d + p];
        num += diff * diff;
        den += w[i * d + p] * w[i * d + p];
      }
    }
    double wError = Math.sqrt(num / den);
    double aError = Double.NaN;
    if (truth.l() > 0 && estimate.l() > 0) {
      double[] a = unitTruth.A();
      double[] ahat = unitEstimate.A();
      int l = truth.l();
      double[] diff = new double[l * k];
      for (int o = 0; o < l; o++) {
        for (int i = 0; i < k; i++) {
          diff[o * k + i] = a[o * k + i] - ahat[o * k + pi[i]];
        }
      }
      // Ratios of norms, not of sums of squares: A in units of 1e200 must not overflow to ∞/∞.
      aError = Matrices.frobenius(diff) / Matrices.frobenius(a);
    }
    return new RecoveryError(wError, aError, pi);
  }
}
