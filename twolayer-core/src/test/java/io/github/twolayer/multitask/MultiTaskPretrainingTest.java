package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.TaskFamily;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MultiTaskPretrainingTest {
  static final int D = 50;
  static final int R = 3;
  static final int M = 256;

  record Setup(TaskFamily family, List<TaskFamily.Task> tasks) {
    TaskSampler sampler(int count) {
      return TaskSampler.online(family, tasks.subList(0, count));
    }

    SubspaceMetrics metrics(Representation rep) {
      return SubspaceMetrics.of(rep.network().W(), rep.width(), family.d(), family.basis(), family.r());
    }
  }

  static Setup setup(int d, int tasks, long seed) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    TaskFamily family = TaskFamily.draw(d, R, TaskFamily.Kind.HALFSPACE, 0, rng);
    return new Setup(family, TaskSampler.drawTasks(family, tasks, rng));
  }

  @Test
  void simultaneousGradientDescentFromZeroHeadsLeavesTheFirstLayerExactlyUnchanged() {
    Setup s = setup(D, 8, 1);
    PretrainingOptions options = PretrainingOptions.defaults(M).withRounds(1).withHeads(PretrainingOptions.Heads.SIMULTANEOUS_ZERO);
    Representation rep = MultiTaskPretraining.fit(s.sampler(8), options);
    // With b_t = 0 every term of ∇_W is multiplied by a zero head entry: exactly 0, so W₁ = W₀ bit for bit.
    assertThat(rep.network().W()).containsExactly(MultiTaskPretraining.initialLayer(D, options).W());
    // The paper's head-first order moves W in the same round.
    Representation headFirst = MultiTaskPretraining.fit(s.sampler(8), options.withHeads(PretrainingOptions.Heads.RESET));
    assertThat(headFirst.network().W()).isNotEqualTo(rep.network().W());
  }

  /**
   * With the linear loss ℓ(z) = −z, the W step is the gradient of the pseudo-contrastive loss
   * L_PC(W) = −(η_h/(T n₁ n₂)) Σ_t Σ_{i∈S¹} Σ_{j∈S²} y_ti y_tj ⟨φ(x_ti), φ_W(x_tj)⟩ with the S¹ features
   * held fixed. Central differences of L_PC are exact for this piecewise-linear function away from
   * ReLU kinks, which random data avoid at step 1e-6; 1e-6 relative error leaves room for rounding.
   */
  @Test
  void withTheLinearLossTheRepresentationStepIsThePseudoContrastiveGradient() {
    int d = 6;
    int m = 5;
    int tasks = 3;
    int n1 = 7;
    int n2 = 9;
    double eta = 0.7;
    PretrainingOptions options = PretrainingOptions.defaults(m).withLoss(Loss.LINEAR).withRates(eta, 1).withSamples(n1, n2);
    Setup s = setup(d, tasks, 4);
    TwoLayerNet init = MultiTaskPretraining.initialLayer(d, options);
    double[] w = init.W();
    double[] c = init.bias();
    double[][] heads = new double[tasks][m];
    double[] gradient = new double[m * d];
    TaskByTask.Samples[] samples = new TaskByTask.Samples[tasks];
    for (int t = 0; t < tasks; t++) {
      TaskByTask.Samples sc = new TaskByTask.Samples(n1, n2, d, m);
      s.sampler(tasks).draw(9, 0, t, n1, n2, sc.x1, sc.y1, sc.x2, sc.y2);
      samples[t] = sc;
      double[] g = new double[m * d];
      // The round's head-first order for one task: the head from 0 on S¹, then W's gradient on S².
      Features.of(w, c, m, d, sc.x1, n1, sc.phi1, Blas.Choice.AUTO.implementation());
      TaskByTask.headStep(heads[t], sc.phi1, sc.y1, n1, m, options.loss(), options.headRate());
      TaskByTask.taskGradient(w, c, m, d, heads[t], sc.x2, sc.y2, n2, options.loss(), new double[n2 * m],
          new double[n2 * m], g, Blas.Choice.AUTO.implementation());
      for (int e = 0; e < g.length; e++) {
        gradient[e] += g[e] / tasks;
      }
    }
    double h = 1e-6;
    double worst = 0;
    double scale = 0;
    for (int e = 0; e < w.length; e++) {
      double[] plus = w.clone();
      double[] minus = w.clone();
      plus[e] += h;
      minus[e] -= h;
      double fd = (pseudoContrastive(plus, w, c, m, d, samples, n1, n2, eta)
          - pseudoContrastive(minus, w, c, m, d, samples, n1, n2, eta)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - gradient[e]));
      scale = Math.max(scale, Math.abs(gradient[e]));
    }
    assertThat(scale).isPositive();
    assertThat(worst / scale).isLessThan(1e-6);
  }

  /** L_PC(W) with the S¹ features computed at the fixed W₀. */
  static double pseudoContrastive(double[] w, double[] w0, double[] c, int m, int d,
      TaskByTask.Samples[] samples, int n1, int n2, double eta) {
    double total = 0;
    for (TaskByTask.Samples s : samples) {
      double[] phi1 = new double[n1 * m];
      double[] phi2 = new double[n2 * m];
      Features.of(w0, c, m, d, s.x1, n1, phi1, Blas.Choice.AUTO.implementation());
      Features.of(w, c, m, d, s.x2, n2, phi2, Blas.Choice.AUTO.implementation());
      for (int i = 0; i < n1; i++) {
        for (int j = 0; j < n2; j++) {
          double dot = 0;
          for (int k = 0; k < m; k++) {
            dot += phi1[i * m + k] * phi2[j * m + k];
          }
          total += s.y1[i] * s.y2[j] * dot;
        }
      }
    }
    return -eta * total / (samples.length * (double) n1 * n2);
  }

  @Test
  void energyOutsideTheSubspaceStartsAtOneMinusROverD() {
    Setup s = setup(D, 1, 2);
    TwoLayerNet init = MultiTaskPretraining.initialLayer(D, PretrainingOptions.defaults(M));
    double energyOut = SubspaceMetrics.of(init.W(), M, D, s.family().basis(), R).energyOut();
    // Isotropic rows put a share r/d of their energy in any fixed r-dim subspace; with m·d = 12,800
    // entries the fluctuation is ~0.005.
    assertThat(energyOut).isCloseTo(1 - (double) R / D, within(0.02));
  }

  /**
   * The paper's Figure 1 claim at the calibrated defaults (d = 50, r = 3, m = 256, K = 100,
   * n₁ = n₂ = 256, practice mode). The prototype measured 0.996 (T = 1), 0.13 (T = 4), 0.022 (T = 32).
   */
  @Tag("acceptance")
  @Test
  void manyTasksRecoverTheSubspaceAndASingleTaskDoesNot() {
    Setup s = setup(D, 32, 7);
    PretrainingOptions options = PretrainingOptions.defaults(M).withSeed(3);
    SubspaceMetrics one = s.metrics(MultiTaskPretraining.fit(s.sampler(1), options));
    SubspaceMetrics four = s.metrics(MultiTaskPretraining.fit(s.sampler(4), options));
    SubspaceMetrics many = s.metrics(MultiTaskPretraining.fit(s.sampler(32), options));
    assertThat(many.subspaceDist()).isLessThanOrEqualTo(0.06);
    assertThat(many.coverage()).isGreaterThanOrEqualTo(0.85);
    assertThat(one.subspaceDist()).isGreaterThanOrEqualTo(0.9);
    assertThat(many.subspaceDist()).isLessThan(four.subspaceDist());
    // A single task moves the weights into span(M) but onto one direction: energyOut alone hides it.
    assertThat(one.energyOut()).isLessThan(0.5);
    assertThat(one.coverage()).isLessThan(0.2);
  }

  @Test
  void theoryModeRunsOneRoundAndReturnsUnitRows() {
    Setup s = setup(D, 32, 5);
    Representation rep = MultiTaskPretraining.fit(s.sampler(32), PretrainingOptions.defaults(M).inTheoryMode());
    double[] w = rep.network().W();
    int unit = 0;
    for (int i = 0; i < M; i++) {
      double norm = 0;
      for (int p = 0; p < D; p++) {
        norm += w[i * D + p] * w[i * D + p];
      }
      // A unit whose bias keeps it inactive on every sample gets no gradient: its row stays 0.
      assertThat(Math.sqrt(norm)).satisfiesAnyOf(v -> assertThat(v).isCloseTo(1, within(1e-12)),
          v -> assertThat(v).isZero());
      unit += norm > 0 ? 1 : 0;
    }
    assertThat(unit).isGreaterThan(M * 9 / 10);
    // One step replaces the initialization: the rows are already mostly inside span(M).
    assertThat(s.metrics(rep).energyOut()).isLessThan(0.5);
  }

  /**
   * The accuracy criterion on the collins-e1 setting (d = 50, r = 3, T = 32, m = 256, K = 100):
   * float32 rounds reach the subspace distance of float64 rounds within 10%, or both are ≤ 0.03.
   */
  @Tag("acceptance")
  @Test
  void float32RoundsLearnTheSubspaceAsWellAsFloat64() {
    Setup s = setup(D, 32, 7);
    PretrainingOptions options = PretrainingOptions.defaults(M).withSeed(3);
    double single = s.metrics(MultiTaskPretraining.fit(s.sampler(32), options)).subspaceDist();
    double dbl = s.metrics(MultiTaskPretraining.fit(s.sampler(32),
        options.withPrecision(PretrainingOptions.Precision.FLOAT64))).subspaceDist();
    assertThat(single <= 0.03 && dbl <= 0.03 || Math.abs(single - dbl) <= 0.1 * dbl)
        .as("float32 %.4f vs float64 %.4f", single, dbl).isTrue();
  }

  /**
   * Tasks shorter than n₁ + n₂ (and one shorter than n₁): the float32 path pads them with zero rows of
   * label 0, which must add exact zeros. Two rounds in float32 then follow float64 to float rounding:
   * each gradient entry is a sum of ≤ 3·60 products in float (relative error ~180·6e-8 ≈ 1e-5), so
   * 1e-4 relative to the largest entry of W is a safe bound; a padding bug moves W by O(1) relative.
   */
  @Test
  void float32FollowsFloat64OnShortTasks() {
    Random r = new Random(4);
    int d = 8;
    int[] sizes = {60, 9, 200};
    int total = 0;
    for (int size : sizes) {
      total += size;
    }
    double[] x = new double[total * d];
    double[] y = new double[total];
    int[] task = new int[total];
    int row = 0;
    for (int t = 0; t < sizes.length; t++) {
      for (int i = 0; i < sizes[t]; i++, row++) {
        for (int p = 0; p < d; p++) {
          x[row * d + p] = r.nextGaussian();
        }
        y[row] = x[row * d + t] > 0 ? 1 : -1;
        task[row] = t;
      }
    }
    MultiTaskDataset data = new MultiTaskDataset(total, d, x, y, task);
    PretrainingOptions options = PretrainingOptions.defaults(16).withRounds(2).withSamples(40, 40);
    double[] single = MultiTaskPretraining.fit(TaskSampler.finite(data), options).network().W();
    double[] dbl = MultiTaskPretraining.fit(TaskSampler.finite(data), options.withPrecision(PretrainingOptions.Precision.FLOAT64))
        .network().W();
    assertThat(Matrices.maxRelativeDifference(dbl, single)).isLessThan(1e-4);

    // The one entry point runs the same rounds, on the columns centered and scaled to mean 0 and
    // root-mean-square 1, and maps the layer back: the same bits as those rounds on the standardized
    // tasks, W and biases alike.
    Representation viaSource = MultiTaskPretraining.fit(new PretrainingSource.Tasks(data, null), options,
        Progress.NONE);
    InputStandardization z = InputStandardization.of(data.x(), d);
    TwoLayerNet standardized = z.mapBack(
        MultiTaskPretraining.fit(TaskSampler.finite(z.apply(data)), options).network());
    assertThat(viaSource.network().W()).containsExactly(standardized.W());
    assertThat(viaSource.network().bias()).containsExactly(standardized.bias());
    // N(0, 1) columns of 269 rows are nearly standardized already: means within 5 sd (1/√269 ≈ 0.06) of 0,
    // scales within 0.8–1.25 (the sd of an rms over 269 draws is about 0.04).
    assertThat(Arrays.stream(z.mean())).allMatch(mu -> Math.abs(mu) < 0.3);
    assertThat(Arrays.stream(viaSource.inputScales())).allMatch(s -> s > 0.8 && s < 1.25);
    assertThat(viaSource.diagnostics()).containsEntry("tasks", 3)
        .containsEntry("rows_per_task", Map.of("min", 9L, "median", 60L, "max", 200L));
    assertThat(viaSource.provenance()).containsEntry("algorithm", "multitask").containsEntry("sampling", "subsets")
        .containsEntry("tasks", 3).containsEntry("baseline", "none").containsEntry("heads", "reset");
    // Bernoulli sets of the same data in memory: a layer of the same shape, from the data-parallel rounds.
    Representation bernoulli = MultiTaskPretraining.fit(new PretrainingSource.Tasks(data, null),
        options.withSampling(PretrainingOptions.Sampling.BERNOULLI), Progress.NONE);
    assertThat(bernoulli.provenance()).containsEntry("sampling", "bernoulli");
    assertThat(bernoulli.network().W()).hasSize(single.length);
    // Combinations that cannot work say what to change.
    assertThatThrownBy(() -> MultiTaskPretraining.fit(new PretrainingSource.Rows(DataParallelPretraining.rows(data)),
        options, Progress.NONE)).hasMessageContaining("--sampling subsets needs the tasks in memory");
    assertThatThrownBy(() -> MultiTaskPretraining.fit(new PretrainingSource.Tasks(data, null),
        options.withBaseline(Baselines.Kind.ORACLE), Progress.NONE))
        .hasMessageContaining("--baseline oracle needs the subspace");
    assertThatThrownBy(() -> MultiTaskPretraining.fit(new PretrainingSource.Tasks(data, null),
        options.withSampling(PretrainingOptions.Sampling.BERNOULLI).withBaseline(Baselines.Kind.SINGLE_TASK),
        Progress.NONE)).hasMessageContaining("without a baseline");
  }

  @ParameterizedTest
  @EnumSource(PretrainingOptions.Precision.class)
  void theSameSeedGivesTheSameBitsForAnyThreadCount(PretrainingOptions.Precision precision) {
    Setup s = setup(20, 6, 8);
    PretrainingOptions options = PretrainingOptions.defaults(32).withRounds(5).withPrecision(precision);
    double[] one = MultiTaskPretraining.fit(s.sampler(6), options.withThreads(1)).network().W();
    double[] two = MultiTaskPretraining.fit(s.sampler(6), options.withThreads(2)).network().W();
    double[] three = MultiTaskPretraining.fit(s.sampler(6), options.withThreads(3)).network().W();
    assertThat(two).containsExactly(one);
    assertThat(three).containsExactly(one);
  }

  @Test
  void theHeadStepIsALabelWeightedFeatureMean() {
    Random r = new Random(3);
    int n = 11;
    int m = 4;
    double[] phi = new double[n * m];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextBoolean() ? 1 : -1;
      for (int j = 0; j < m; j++) {
        phi[i * m + j] = r.nextDouble();
      }
    }
    double[] b = new double[m];
    TaskByTask.headStep(b, phi, y, n, m, Loss.LOGISTIC, 2.0);
    for (int j = 0; j < m; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += y[i] * phi[i * m + j] / n;
      }
      // b = −η_h ℓ'(0) mean(yφ) with ℓ'(0) = −½ for the logistic loss.
      assertThat(b[j]).isCloseTo(2.0 * 0.5 * mean, within(1e-15));
    }
  }
}
