package io.github.twolayer.experiments;

import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.Diagnostics;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryException;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.PlantedNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ge-real}: the method of moments on teachers whose inputs are real data (wine, breast cancer,
 * digits), symmetrized, raw or standardized; the W error against n with the diagnostics that tell a
 * hard network (units nearly parallel on the data) from too few samples.
 */
final class GeRealExperiments {
  private GeRealExperiments() {}

  /** The teachers' shape: k hidden units and l ≥ k outputs, standard Gaussian rows of W (d from the data). */
  static final int K = 5;
  static final int L = 8;

  static final List<String> INPUTS = List.of("raw", "standardized");

  /** A data set's rows as the teacher sees them, with their covariance Σ and its square root. */
  record Inputs(String data, String inputs, int d, double[] rows, double[] covariance, double[] sqrtCovariance) {}

  /**
   * Raw: the rows centered, as {@code generate planted --symmetrize} does (symmetrized uncentered rows form
   * two clusters ±(mean + spread) on which every unit switches with the sign); standardized: every column
   * also scaled to unit variance. Columns that never vary are dropped (blank pixels: E[xxᵀ] would be
   * singular).
   */
  static Inputs inputs(RealData.Table table, String inputs) {
    RealData.Table t = table.withoutConstantColumns();
    double[] rows = inputs.equals("raw") ? RealData.centered(t.x(), t.n(), t.d())
        : RealData.standardized(t.x(), t.n(), t.d());
    double[] covariance = RealData.secondMoment(rows, t.n(), t.d());
    return new Inputs(t.name(), inputs, t.d(), rows, covariance, sqrt(covariance, t.d()));
  }

  /** The symmetric square root of a positive semi-definite d×d matrix. */
  static double[] sqrt(double[] m, int d) {
    Matrices.SymmetricEigen e = Matrices.symmetricEigen(m, d);
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double v = 0;
        for (int c = 0; c < d; c++) {
          v += e.vectors()[i * d + c] * Math.sqrt(Math.max(0, e.values()[c])) * e.vectors()[j * d + c];
        }
        out[i * d + j] = v;
      }
    }
    return out;
  }

  /** The teacher of (data set, seed): the same W and A for raw and standardized inputs. */
  static TwoLayerNet teacher(int dataIndex, int d, long seed) {
    return PlantedNetworks.draw(PlantedNetworks.Shape.of(d, K, L),
        Seeds.generator(Seeds.Stream.EXPERIMENT_RUN, 6, dataIndex, seed));
  }

  /** The network in whitened units, W Σ^½: what the data show of each unit. */
  static TwoLayerNet whitened(TwoLayerNet net, Inputs in) {
    return TwoLayerNet.of(net.d(), net.k(), net.l(), Matrices.multiply(net.W(), net.k(), net.d(), in.sqrtCovariance(),
        net.d()), net.A());
  }

  /**
   * s_1/s_k of the teacher's P = A·W in whitened units, P Σ^½: how unevenly the data show its k units
   * (from the eigenvalues of P Σ Pᵀ).
   */
  static double whitenedCondition(TwoLayerNet t, double[] covariance) {
    double[] p = Matrices.multiply(t.A(), t.l(), t.k(), t.W(), t.d());
    double[] psp = Matrices.multiply(Matrices.multiply(p, t.l(), t.d(), covariance, t.d()), t.l(), t.d(),
        Matrices.transpose(p, t.l(), t.d()), t.l());
    double[] eig = Matrices.symmetricEigen(psp, t.l()).values(); // ascending
    return Math.sqrt(eig[t.l() - 1] / Math.max(eig[t.l() - t.k()], Double.MIN_NORMAL));
  }

  /**
   * One run: the teacher's hardness (the smallest angle between its units in whitened coordinates, the
   * whitened condition of P), then the recovery's errors and diagnostics; a refusal counts as error 1.
   */
  static List<Row> run(String experiment, Map<String, Object> params, long seed, Inputs in, TwoLayerNet truth, int n,
      Blas.Choice blas, long... key) {
    long start = System.nanoTime();
    Diagnostics.ParallelUnits units = Diagnostics.mostParallelUnits(truth.W(), truth.k(), truth.d(), in.covariance());
    SymmetrizedSamples samples = new SymmetrizedSamples(in.rows(), in.d(), truth, n, 0, blas, key);
    double w = GeExperiments.FAILED;
    double a = GeExperiments.FAILED;
    double whitenedW = GeExperiments.FAILED;
    Recovery recovery = null;
    try {
      recovery = MomentRecovery.fit(samples, RecoveryOptions.defaults(K).withThreads(1).withBlas(blas));
      RecoveryError e = RecoveryError.of(truth, recovery.network());
      w = e.wError();
      a = e.aError();
      whitenedW = RecoveryError.of(whitened(truth, in), whitened(recovery.network(), in)).wError();
    } catch (RecoveryException e) {
      // the data could not support recovery: a failed run
    }
    double seconds = (System.nanoTime() - start) * 1e-9;
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(experiment, params, seed, "w_error", w, seconds));
    rows.add(new Row(experiment, params, seed, "whitened_w_error", whitenedW, seconds));
    rows.add(new Row(experiment, params, seed, "a_error", a, seconds));
    rows.add(new Row(experiment, params, seed, "refused", recovery == null ? 1 : 0, seconds));
    rows.add(new Row(experiment, params, seed, "min_unit_angle", units.angleDegrees(), seconds));
    rows.add(new Row(experiment, params, seed, "whitened_condition_p", whitenedCondition(truth, in.covariance()),
        seconds));
    if (recovery != null) {
      Diagnostics dg = recovery.diagnostics();
      TwoLayerNet r = recovery.network();
      rows.add(new Row(experiment, params, seed, "condition_p", dg.conditionP(), seconds));
      rows.add(new Row(experiment, params, seed, "min_eigenvalue", dg.minEigenvalue(), seconds));
      rows.add(new Row(experiment, params, seed, "detector_gap", dg.detectorGap(), seconds));
      rows.add(new Row(experiment, params, seed, "recovered_min_unit_angle",
          Diagnostics.mostParallelUnits(r.W(), r.k(), r.d(), in.covariance()).angleDegrees(), seconds));
      rows.add(new Row(experiment, params, seed, "warned_parallel", warnedParallel(dg) ? 1 : 0, seconds));
      rows.add(new Row(experiment, params, seed, "warned", dg.warnings().isEmpty() ? 0 : 1, seconds));
    }
    return rows;
  }

  /** Whether the recovery warned that two of its units are nearly parallel on the inputs. */
  static boolean warnedParallel(Diagnostics dg) {
    return dg.warnings().stream().anyMatch(s -> s.contains("nearly parallel"));
  }
  /**
   * A run's W error above this counts as a failed recovery in a hard case: matched rows of W this far off
   * are not the teacher's units (errors of recovered runs are below 0.1 from n = 10⁵ on wherever the
   * units stand apart).
   */
  static final double WRONG = 0.5;

  /**
   * The slowest fall of the median whitened W error over the last decade of n that counts as "like 1/√n"
   * (−0.5 per decade): −0.35, a factor 2.2 per decade where 1/√n gives 3.2, for medians of 5 seeds.
   */
  static final double SLOPE = -0.35;

  static Experiment real() {
    return new Experiment.Named("ge-real", "method of moments on real inputs: wine, breast cancer and digits, "
        + "symmetrized, raw and standardized",
        "Teachers whose units stand apart on the data (15° or more in whitened coordinates: standardized wine, "
            + "breast cancer and digits, raw digits) are recovered with a whitened W error that falls about like "
            + "1/√n (by a factor 2.2 or more per decade of n up to 10⁶); "
            + "where a few raw columns dominate the variance (wine, breast cancer) the units lie within a few "
            + "degrees of each other, every run up to n = 10⁶ is refused or wrong, and every recovery warns that "
            + "its units are nearly parallel.") {
      @Override
      public List<Task> tasks(boolean quick, Blas.Choice blas) {
        int[] ns = quick ? new int[] {10_000, 100_000} : new int[] {10_000, 100_000, 1_000_000};
        int seeds = quick ? 2 : 5;
        List<Task> tasks = new ArrayList<>();
        for (int di = 0; di < RealData.NAMES.size(); di++) {
          RealData.Table table = RealData.load(RealData.NAMES.get(di));
          for (int vi = 0; vi < INPUTS.size(); vi++) {
            Inputs in = inputs(table, INPUTS.get(vi));
            for (int s = 0; s < seeds; s++) {
              long seed = s;
              TwoLayerNet truth = teacher(di, in.d(), seed);
              for (int ni = 0; ni < ns.length; ni++) {
                int n = ns[ni];
                long[] key = {6, di, vi, ni, s};
                tasks.add(() -> run(name(), GeExperiments.params("data", in.data(), "inputs", in.inputs(), "case",
                    in.data() + ", " + in.inputs(), "n", n), seed, in, truth, n, blas, key));
              }
            }
          }
        }
        return tasks;
      }

      @Override
      public Verdict check(List<Row> rows, boolean quick) {
        List<String> ns = Stats.values(rows, "n");
        String small = ns.get(ns.size() - 2);
        String large = ns.get(ns.size() - 1);
        StringBuilder detail = new StringBuilder();
        List<String> failing = new ArrayList<>();
        for (String c : Stats.values(rows, "case")) {
          double angle = Stats.median(rows, "min_unit_angle", "case", c);
          if (angle < Diagnostics.WARNED_UNIT_ANGLE_DEGREES) {
            // Nearly parallel units: every run refused or wrong, every recovered run warned.
            List<Row> errors = Stats.select(rows, "w_error", Map.of("case", c));
            long refused = Stats.select(rows, "refused", Map.of("case", c)).stream().filter(r -> r.value() > 0).count();
            long wrong = errors.stream().filter(r -> r.value() > WRONG).count();
            List<Row> warned = Stats.select(rows, "warned_parallel", Map.of("case", c)); // one per recovery
            long warnedCount = warned.stream().filter(r -> r.value() > 0).count();
            boolean ok = wrong == errors.size() && warnedCount == warned.size();
            detail.append(String.format(Locale.ROOT, "%s (units %.1f° apart): %d of %d runs refused", c, angle,
                refused, errors.size()));
            if (!warned.isEmpty()) {
              detail.append(String.format(Locale.ROOT, "; of the %d recovered, %d wrong (W error above %.1f) and %d "
                  + "warned of nearly parallel units", warned.size(), wrong - refused, WRONG, warnedCount));
            }
            detail.append("; ");
            if (!ok) {
              failing.add(c);
            }
          } else {
            double a = Stats.median(rows, "whitened_w_error", "case", c, "n", small);
            double b = Stats.median(rows, "whitened_w_error", "case", c, "n", large);
            double slope = Math.log10(b / a) / Math.log10(Double.parseDouble(large) / Double.parseDouble(small));
            double raw = Stats.median(rows, "w_error", "case", c, "n", large);
            long falseAlarms = Stats.select(rows, "warned_parallel", Map.of("case", c, "n", large)).stream()
                .filter(r -> r.value() > 0).count();
            boolean ok = (quick ? b < a : slope <= SLOPE) && falseAlarms == 0;
            detail.append(String.format(Locale.ROOT, "%s (units %.0f° apart): whitened W error %.3g → %.3g (slope "
                + "%.2f per decade; W error %.3g at n = %s), %d warned of parallel units; ", c, angle, a, b, slope, raw,
                large, falseAlarms));
            if (!ok) {
              failing.add(c);
            }
          }
        }
        return new Verdict(failing.isEmpty(), "From n = " + small + " to n = " + large + ": " + detail
            + (failing.isEmpty() ? "as claimed." : "not as claimed for " + String.join(" and ", failing) + "."));
      }

      @Override
      public List<PlotSpec> plots() {
        return List.of(
            new PlotSpec("ge-real", "W error against n (teachers k=5, l=8 on symmetrized real rows)", "w_error", "n",
                "case", true, true, "matched relative W error (1: refused)"),
            new PlotSpec("ge-real-whitened", "W error in whitened units (W Σ^½) against n", "whitened_w_error", "n",
                "case", true, true, "matched relative error of W Σ^½ (1: refused)"));
      }
    };
  }
}
