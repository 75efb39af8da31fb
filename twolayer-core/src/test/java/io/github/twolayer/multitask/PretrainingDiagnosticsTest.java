package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** What a pretraining run measured, before and after its rounds, and the warnings it gives. */
class PretrainingDiagnosticsTest {
  static final MultiTaskDataset DATA = DataParallelPretrainingTest.planted(6, 3, 300, 11).data();
  static final PretrainingOptions OPTIONS = PretrainingOptions.defaults(8).withRounds(3).withSamples(50, 60)
      .withThreads(2);

  /**
   * The definition, computed by hand: per task, the head after one step from 0 on the S¹ of round −1,
   * its loss and accuracy on the S² of round −1, averaged over the tasks.
   */
  static double[] byHand(MultiTaskDataset data, TwoLayerNet layer, PretrainingOptions options) {
    int d = data.d();
    int m = layer.k();
    long[] sizes = new long[data.tasks()];
    for (int t = 0; t < data.tasks(); t++) {
      sizes[t] = data.size(t);
    }
    RoundSampling sets = RoundSampling.of(options.seed(), -1, sizes, options.n1(), options.n2());
    double[] w = layer.W();
    double[] c = layer.bias();
    double loss = 0;
    double accuracy = 0;
    for (int t = 0; t < data.tasks(); t++) {
      double[] b = new double[m];
      int n1 = 0;
      for (int i : data.rowsOf(t)) {
        if ((sets.membership(data.x(), i * d, d, data.y()[i], t) & RoundSampling.S1) != 0) {
          n1++;
        }
      }
      for (int i : data.rowsOf(t)) {
        if ((sets.membership(data.x(), i * d, d, data.y()[i], t) & RoundSampling.S1) != 0) {
          double[] phi = phi(w, c, m, d, data.x(), i);
          for (int j = 0; j < m; j++) { // b = −η_h (1/n₁) Σ ℓ'(0) y φ from b = 0
            b[j] -= options.headRate() * options.loss().derivative(0) * data.y()[i] * phi[j] / n1;
          }
        }
      }
      double lt = 0;
      double at = 0;
      int n2 = 0;
      for (int i : data.rowsOf(t)) {
        if ((sets.membership(data.x(), i * d, d, data.y()[i], t) & RoundSampling.S2) != 0) {
          double[] phi = phi(w, c, m, d, data.x(), i);
          double f = 0;
          for (int j = 0; j < m; j++) {
            f += b[j] * phi[j];
          }
          lt += options.loss().value(data.y()[i] * f);
          at += (f >= 0 ? 1 : -1) == data.y()[i] ? 1 : 0;
          n2++;
        }
      }
      loss += lt / n2 / data.tasks();
      accuracy += at / n2 / data.tasks();
    }
    return new double[] {loss, accuracy};
  }

  static double[] phi(double[] w, double[] c, int m, int d, double[] x, int row) {
    double[] phi = new double[m];
    for (int j = 0; j < m; j++) {
      double p = c[j];
      for (int k = 0; k < d; k++) {
        p += w[j * d + k] * x[row * d + k];
      }
      phi[j] = Math.max(p, 0) / Math.sqrt(m);
    }
    return phi;
  }

  @Test
  void theTrainingLossIsOneHeadStepOnS1ScoredOnS2AtTheStartAndTheEnd() {
    PretrainingOptions raw = OPTIONS.withStandardize(false);
    Representation rep = MultiTaskPretraining.fit(new PretrainingSource.Tasks(DATA, null), raw, Progress.NONE);
    PretrainingDiagnostics measured = rep.measured();
    double[] start = byHand(DATA, MultiTaskPretraining.initialLayer(6, raw), raw);
    double[] end = byHand(DATA, rep.network(), raw);
    // The same sums in another order (the engine's blocks, the products' kernels): rounding only.
    assertThat(measured.lossStart()).isCloseTo(start[0], Offset.offset(1e-12));
    assertThat(measured.accuracyStart()).isCloseTo(start[1], Offset.offset(1e-12));
    assertThat(measured.lossEnd()).isCloseTo(end[0], Offset.offset(1e-12));
    assertThat(measured.accuracyEnd()).isCloseTo(end[1], Offset.offset(1e-12));
    // Planted halfspaces: three rounds already lower the loss and raise the heads' accuracy.
    assertThat(measured.lossEnd()).isLessThan(measured.lossStart());
    assertThat(measured.accuracyEnd()).isGreaterThan(measured.accuracyStart());
    assertThat(measured.tasks()).isEqualTo(3);
    assertThat(measured.rowsPerTask()).containsExactly(300, 300, 300);
    assertThat(rep.warnings()).isEmpty();
  }

  @Test
  void everyRoundLoopIsMeasuredByTheSamePasses() {
    PretrainingSource source = new PretrainingSource.Tasks(DATA, null);
    Representation f32 = MultiTaskPretraining.fit(source, OPTIONS, Progress.NONE);
    Representation f64 = MultiTaskPretraining.fit(source, OPTIONS.withPrecision(PretrainingOptions.Precision.FLOAT64),
        Progress.NONE);
    Representation bernoulli = MultiTaskPretraining.fit(source,
        OPTIONS.withSampling(PretrainingOptions.Sampling.BERNOULLI), Progress.NONE);
    // The start is W₀ on the same rows, whichever loop ran next: the same bits in float32 and float64.
    assertThat(f64.measured().lossStart()).isEqualTo(f32.measured().lossStart());
    assertThat(f64.measured().accuracyStart()).isEqualTo(f32.measured().accuracyStart());
    // Bernoulli runs take μ and s from the engine's passes (sums in its order): rounding-level apart.
    assertThat(bernoulli.measured().lossStart()).isCloseTo(f32.measured().lossStart(), Offset.offset(1e-12));
    for (Representation rep : new Representation[] {f32, f64, bernoulli}) {
      assertThat(rep.measured().lossEnd()).as(rep.sampling()).isLessThan(rep.measured().lossStart());
      assertThat(rep.diagnostics()).containsKeys("tasks", "rows_per_task", "loss_start", "loss_end",
          "accuracy_start", "accuracy_end", "inactive_units", "always_active_units", "column_means",
          "column_scales", "constant_columns");
    }
  }

  /** The diagnostics of {@code end} against W₀ on DATA's raw rows. */
  static PretrainingDiagnostics measure(TwoLayerNet end, PretrainingOptions options) {
    long[] sizes = {300, 300, 300};
    try (LocalEngine engine = new LocalEngine(DataParallelPretraining.rows(DATA), 1, 256, Progress.NONE)) {
      return PretrainingDiagnostics.measure(engine, null, sizes, MultiTaskPretraining.initialLayer(6, options), end,
          options, false, true);
    }
  }

  @Test
  void unitsThatNeverOrAlwaysFireAreCountedAndWarnedAbout() {
    TwoLayerNet w0 = MultiTaskPretraining.initialLayer(6, OPTIONS);
    double[] dead = w0.bias();
    double[] on = w0.bias();
    for (int j = 0; j < 5; j++) { // inputs N(0, I), rows of norm about 1: a bias of ±100 decides alone
      dead[j] = -100;
      on[j] = 100;
    }
    PretrainingDiagnostics d = measure(new TwoLayerNet(6, 8, 0, w0.W(), null, dead), OPTIONS);
    assertThat(d.inactiveUnits()).isEqualTo(5 / 8.0);
    assertThat(d.alwaysActiveUnits()).isZero();
    assertThat(d.warnings()).anySatisfy(w -> assertThat(w).startsWith("5 of the 8 units (63%) never fire on the "
        + "pretraining inputs").endsWith("try a smaller --lr-w (now 10)"));
    PretrainingDiagnostics a = measure(new TwoLayerNet(6, 8, 0, w0.W(), null, on), OPTIONS.withStandardize(false));
    assertThat(a.alwaysActiveUnits()).isEqualTo(5 / 8.0);
    assertThat(a.inactiveUnits()).isZero();
    assertThat(a.warnings()).anySatisfy(w -> assertThat(w).startsWith("5 of the 8 units (63%) fire on every "
        + "pretraining input").endsWith("pretrain on standardized columns (drop --no-standardize)"));
    // Four of eight is not most of them: no warning.
    dead[4] = w0.bias()[4];
    assertThat(measure(new TwoLayerNet(6, 8, 0, w0.W(), null, dead), OPTIONS).warnings())
        .noneMatch(w -> w.contains("never fire"));
  }

  @Test
  void tasksTakenInBatchesGiveTheSameNumbersAsAllAtOnce() {
    PretrainingOptions raw = OPTIONS.withStandardize(false); // the stored layer is the one the rounds saw
    Representation rep = MultiTaskPretraining.fit(new PretrainingSource.Tasks(DATA, null), raw, Progress.NONE);
    long[] sizes = {300, 300, 300};
    try (LocalEngine engine = PretrainingDiagnostics.engine(DataParallelPretraining.rows(DATA),
        raw)) {
      batchesGiveTheSameNumbers(engine, sizes, rep, raw);
    }
  }

  private static void batchesGiveTheSameNumbers(Engine engine, long[] sizes,
      Representation rep, PretrainingOptions raw) {
    PretrainingDiagnostics.Evaluation all = PretrainingDiagnostics.evaluate(engine, null, sizes, rep.network(), raw,
        true, 3);
    assertThat(all.loss()).isEqualTo(rep.measured().lossEnd()); // what the run reported
    for (int batch : new int[] {1, 2}) {
      PretrainingDiagnostics.Evaluation some = PretrainingDiagnostics.evaluate(engine, null, sizes, rep.network(),
          raw, true, batch);
      // Each task's sums over the same rows in the same order, added over the tasks in task order.
      assertThat(some.loss()).as("batch %d", batch).isEqualTo(all.loss());
      assertThat(some.accuracy()).as("batch %d", batch).isEqualTo(all.accuracy());
      assertThat(some.fired()).as("batch %d", batch).containsExactly(all.fired());
      assertThat(some.rows()).isEqualTo(900);
    }
    // On an engine's slots, the same numbers up to the order of additions.
    try (LocalEngine slots = new LocalEngine(DataParallelPretraining.rows(DATA), 2, 64, Progress.NONE)) {
      PretrainingDiagnostics.Evaluation other = PretrainingDiagnostics.evaluate(slots, null, sizes, rep.network(), raw,
          true, 2);
      assertThat(other.loss()).isCloseTo(all.loss(), Offset.offset(1e-12));
      assertThat(other.fired()).containsExactly(all.fired()); // counts: exact in any order
    }
  }

  @Test
  void aLossThatDoesNotFallIsWarnedAbout() {
    TwoLayerNet w0 = MultiTaskPretraining.initialLayer(6, OPTIONS);
    PretrainingDiagnostics same = measure(w0, OPTIONS);
    assertThat(same.lossEnd()).isEqualTo(same.lossStart());
    assertThat(same.warnings()).singleElement().satisfies(w -> assertThat(w).startsWith("the training loss did not "
        + "fall (").contains("after 3 rounds").endsWith("try a smaller --lr-w (now 10) or more --rounds"));
    // Baselines are not expected to lower it (random features are W₀ itself).
    assertThat(measure(w0, OPTIONS.withBaseline(Baselines.Kind.SINGLE_TASK)).warnings()).isEmpty();
  }

  @Test
  void onlineRunsAreMeasuredOnFreshInputs() {
    SubspaceTruth truth = SubspaceTruth.drawHalfspaces(6, 2, 4, 3);
    Representation rep = MultiTaskPretraining.fit(new PretrainingSource.Online(truth), OPTIONS.withRounds(5),
        Progress.NONE);
    PretrainingDiagnostics measured = rep.measured();
    assertThat(measured.tasks()).isEqualTo(4);
    assertThat(measured.rowsPerTask()).isNull();
    assertThat(rep.diagnostics()).doesNotContainKeys("rows_per_task", "column_scales").containsKey("loss_end");
    assertThat(measured.lossEnd()).isLessThan(measured.lossStart());
    // 10 000 fresh N(0, I) inputs: no unit of W₀'s kind is dead or always on.
    assertThat(measured.inactiveUnits()).isZero();
    assertThat(measured.alwaysActiveUnits()).isZero();
    // The same rows on every pass and run: the same numbers again.
    Representation again = MultiTaskPretraining.fit(new PretrainingSource.Online(truth), OPTIONS.withRounds(5),
        Progress.NONE);
    assertThat(again.measured().lossStart()).isEqualTo(measured.lossStart());
  }
}
