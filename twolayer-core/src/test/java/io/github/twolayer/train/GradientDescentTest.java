package io.github.twolayer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.progress.DivergedException;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class GradientDescentTest {

  record Planted(TwoLayerNet truth, Dataset data) {}

  static Planted planted(int n, double noise, long seed) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    TwoLayerNet truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(10, 5, 8), rng);
    return new Planted(truth, PlantedNetworks.sample(truth, Distributions.gaussian(10), n, noise, rng));
  }

  /**
   * Backpropagation against central differences. The loss is piecewise quadratic; a step of 1e-6 crosses
   * no ReLU kink at random parameters, so the difference quotient is exact up to rounding (~1e-10
   * relative), far inside the 1e-6 bound.
   */
  @Test
  void theGradientMatchesFiniteDifferences() {
    Planted p = planted(700, 0.2, 1);
    SquaredLoss loss = new SquaredLoss(p.data(), 0, 700, 5, Blas.Choice.AUTO.implementation());
    double[] theta = GradientDescent.randomStart(10, 5, 8, RandomSource.XO_RO_SHI_RO_128_PP.create(2));
    double[] gradient = new double[theta.length];
    try (Parallel parallel = new Parallel(2)) {
      loss.evaluate(theta, gradient, parallel);
      double worst = 0;
      double scale = 0;
      for (int e = 0; e < theta.length; e++) {
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        plus[e] += 1e-6;
        minus[e] -= 1e-6;
        double fd = (loss.evaluate(plus, null, parallel) - loss.evaluate(minus, null, parallel)) / 2e-6;
        worst = Math.max(worst, Math.abs(fd - gradient[e]));
        scale = Math.max(scale, Math.abs(gradient[e]));
      }
      assertThat(worst / scale).isLessThan(1e-6);
    }
  }

  @Test
  void theTrueNetworkOfNoiseFreeDataIsAnExactMinimum() {
    Planted p = planted(2000, 0, 2);
    SquaredLoss loss = new SquaredLoss(p.data(), 0, 2000, 5, Blas.Choice.AUTO.implementation());
    double[] gradient = new double[loss.parameters()];
    try (Parallel parallel = new Parallel(1)) {
      // y = A relu(W x) exactly: the residuals are rounding errors of ~1e-16.
      assertThat(loss.evaluate(GradientDescent.pack(p.truth()), gradient, parallel)).isLessThan(1e-28);
    }
    for (double g : gradient) {
      assertThat(g).isCloseTo(0, within(1e-14));
    }
  }

  @Test
  void lbfgsMinimizesAnIllConditionedQuadraticAndRosenbrock() {
    // f(θ) = Σ c_i (θ_i − i)², condition number 1e4: minimum at θ_i = i.
    double[] c = {1, 10, 100, 1000, 10000};
    double[] theta = new double[5];
    Lbfgs.Objective quadratic = (t, g) -> {
      double f = 0;
      for (int i = 0; i < 5; i++) {
        f += c[i] * (t[i] - i) * (t[i] - i);
        g[i] = 2 * c[i] * (t[i] - i);
      }
      return f;
    };
    Lbfgs.Result result = Lbfgs.minimize(quadratic, theta, 200, 1e-10, 5, (it, t, v) -> true);
    for (int i = 0; i < 5; i++) {
      assertThat(theta[i]).isCloseTo(i, within(1e-8));
    }
    // Converged well inside the budget, and says so; a budget of 2 and a monitor that stops say theirs.
    assertThat(result.exit()).isEqualTo(Lbfgs.Exit.CONVERGED);
    assertThat(result.iterations()).isLessThan(200);
    assertThat(Lbfgs.minimize(quadratic, new double[5], 2, 1e-10, 5, (it, t, v) -> true))
        .isEqualTo(new Lbfgs.Result(2, Lbfgs.Exit.ITERATION_LIMIT));
    assertThat(Lbfgs.minimize(quadratic, new double[5], 200, 1e-10, 5, (it, t, v) -> it < 3))
        .isEqualTo(new Lbfgs.Result(4, Lbfgs.Exit.MONITOR));
    double[] r = {-1.2, 1};
    Lbfgs.minimize((t, g) -> {
      double a = 1 - t[0];
      double b = t[1] - t[0] * t[0];
      g[0] = -2 * a - 400 * t[0] * b;
      g[1] = 200 * b;
      return a * a + 100 * b * b;
    }, r, 500, 1e-10, 10, (it, t, v) -> true);
    assertThat(r[0]).isCloseTo(1, within(1e-6));
    assertThat(r[1]).isCloseTo(1, within(1e-6));
  }

  @Test
  void lbfgsNamesWhyItStoppedTruthfully() {
    // f constant but a gradient that says otherwise: every step is "accepted" without lowering f, and the
    // gradient never shrinks. That is a stall, not convergence.
    Lbfgs.Result flat = Lbfgs.minimize((t, g) -> {
      g[0] = 1;
      return 0;
    }, new double[1], 100, 1e-10, 5, (it, t, v) -> true);
    assertThat(flat.exit()).isEqualTo(Lbfgs.Exit.STALLED);
    // f(θ) = θ with a gradient of the wrong sign: no step along the search direction lowers f.
    Lbfgs.Result uphill = Lbfgs.minimize((t, g) -> {
      g[0] = -1;
      return t[0];
    }, new double[1], 100, 1e-10, 5, (it, t, v) -> true);
    assertThat(uphill).isEqualTo(new Lbfgs.Result(0, Lbfgs.Exit.NO_DECREASE));
    // A start whose value or gradient is not finite: said so, before any step.
    double[] theta = {1, 2};
    assertThat(Lbfgs.minimize((t, g) -> Double.POSITIVE_INFINITY, theta, 100, 1e-10, 5, (it, t, v) -> true))
        .isEqualTo(new Lbfgs.Result(0, Lbfgs.Exit.NOT_FINITE));
    assertThat(Lbfgs.minimize((t, g) -> {
      g[1] = Double.NaN;
      return 1;
    }, theta, 100, 1e-10, 5, (it, t, v) -> true)).isEqualTo(new Lbfgs.Result(0, Lbfgs.Exit.NOT_FINITE));
    assertThat(theta).containsExactly(1, 2);
  }

  @Test
  void trainingThatReachesTheLossFloorSaysConverged() {
    // Noise-free outputs: L-BFGS drives the squared loss to rounding level (~1e-15 on standardized
    // columns), where an iteration can no longer lower it; the gradient has fallen ~1e-8 of its start.
    Planted p = planted(20_000, 0, 7);
    GradientDescent.Trained t = GradientDescent.fitStandardized(p.data(), null, GradientDescent.TrainingOptions
        .defaults(5).withMaxIterations(2000).withThreads(2), Progress.NONE);
    assertThat(t.best().trainLoss()).isLessThan(1e-12);
    assertThat(t.best().stop()).isEqualTo("converged");
  }

  @Test
  void adamWithAFarTooLargeStepSizeIsDivergenceNotTheStartReturned() {
    // lr = 1e6 (Kingma and Ba's default is 1e-3): the held-out loss jumps by 10⁶ and more within an epoch,
    // without ever overflowing; the early stopping would otherwise hand back the untouched start.
    Planted p = planted(20_000, 0.05, 8);
    GradientDescent.TrainingOptions adam = GradientDescent.TrainingOptions.defaults(5)
        .withOptimizer(GradientDescent.Optimizer.ADAM).withMaxIterations(5).withThreads(2);
    assertThatThrownBy(() -> GradientDescent.fitStandardized(p.data(), null, adam.withLearningRate(1e6), Progress.NONE))
        .isInstanceOf(DivergedException.class)
        .hasMessageStartingWith("training diverged at epoch 1 (held-out loss ")
        .hasMessageEndingWith("lower --lr (now 1000000)");
    // A step of 1e300 overflows the first mini-batch after it.
    assertThatThrownBy(() -> GradientDescent.fitStandardized(p.data(), null, adam.withLearningRate(1e300),
        Progress.NONE)).isInstanceOf(DivergedException.class)
        .hasMessageContaining("mini-batch loss ∞").hasMessageEndingWith("lower --lr (now 1.00e+300)");
    // The default step trains as before.
    assertThat(GradientDescent.fitStandardized(p.data(), null, adam, Progress.NONE).best().validationLoss())
        .isFinite();
  }

  @Test
  void aStartWhoseLossOverflowsIsDivergenceForBothOptimizers() {
    Planted p = planted(2_000, 0, 9);
    double[] w = p.truth().W();
    double[] a = p.truth().A();
    for (int i = 0; i < a.length; i++) {
      a[i] *= 1e200; // outputs of 1e200: squares of ∞
    }
    TwoLayerNet huge = TwoLayerNet.of(10, 5, 8, w, a);
    for (GradientDescent.Optimizer o : GradientDescent.Optimizer.values()) {
      assertThatThrownBy(() -> GradientDescent.fit(p.data(), huge, GradientDescent.TrainingOptions.defaults(5)
          .withOptimizer(o), Progress.NONE)).as("%s", o)
          .isInstanceOf(DivergedException.class)
          .hasMessageContaining("∞ at the start")
          .hasMessageContaining("start from a network of ordinary magnitudes for these data, or keep the columns "
              + "standardized (drop --no-standardize)");
    }
  }

  @Tag("acceptance")
  /**
   * Spectral + fine-tune (experiment E4): from the method-of-moments estimate L-BFGS reaches the exact
   * network on noise-free data (prototype: W error ≈ 1e-8) and the least-squares level with noise
   * (prototype: 0.023 → 0.0008 at n = 1e5, noise 0.1).
   */
  @Test
  void fineTuningTheSpectralEstimateReachesTheLeastSquaresLevel() {
    Planted clean = planted(100_000, 0, 3);
    TwoLayerNet spectral = MomentRecovery.fit(clean.data(), RecoveryOptions.defaults(5)).network();
    GradientDescent.Trained tuned = GradientDescent.fit(clean.data(), spectral, GradientDescent.TrainingOptions.defaults(5),
        Progress.NONE);
    assertThat(RecoveryError.of(clean.truth(), tuned.network()).wError()).isLessThan(1e-6);

    Planted noisy = planted(100_000, 0.1, 3);
    TwoLayerNet start = MomentRecovery.fit(noisy.data(), RecoveryOptions.defaults(5)).network();
    double before = RecoveryError.of(noisy.truth(), start).wError();
    double after = RecoveryError.of(noisy.truth(), GradientDescent.fit(noisy.data(), start,
        GradientDescent.TrainingOptions.defaults(5), Progress.NONE).network()).wError();
    assertThat(after).isLessThan(before / 5).isLessThan(0.003);

    // The library call does the same two steps, here with k chosen by the spectral step (--k auto): the
    // same networks, bit for bit, and a provenance that says how it was made.
    SpectralFineTune.Result chained = SpectralFineTune.fit(noisy.data(),
        RecoveryOptions.defaults(RecoveryOptions.AUTO_K),
        GradientDescent.TrainingOptions.defaults(1), null, Progress.NONE);
    assertThat(chained.spectral().network()).isEqualTo(start);
    assertThat(RecoveryError.of(noisy.truth(), chained.network()).wError()).isEqualTo(after);
    assertThat(chained.provenance()).containsEntry("algorithm", "moments").containsEntry("k", 5)
        .containsEntry("k_auto", true).containsEntry("refined", "gradient-descent");
  }

  @Tag("acceptance")
  @Test
  void randomStartsAndAdamTrainAndTheBestStartIsKept() {
    Planted p = planted(20_000, 0.05, 4);
    GradientDescent.Trained lbfgs = GradientDescent.fit(p.data(), GradientDescent.TrainingOptions.defaults(5).withRestarts(3));
    assertThat(lbfgs.runs()).hasSize(3);
    assertThat(lbfgs.network()).isEqualTo(lbfgs.best().network());
    for (GradientDescent.Run run : lbfgs.runs()) {
      assertThat(run.validationLoss()).isGreaterThanOrEqualTo(lbfgs.best().validationLoss());
    }
    GradientDescent.Trained adam = GradientDescent.fit(p.data(), GradientDescent.TrainingOptions.defaults(5)
        .withOptimizer(GradientDescent.Optimizer.ADAM).withMaxIterations(20).withLearningRate(3e-3));
    // Noise 0.05 × std(y): the best possible squared loss is about ½·(0.05 σ_y)² per output; 20 epochs of
    // Adam get within a small factor of it from a random start on this easy shape.
    TwoLayerNet zero = TwoLayerNet.of(10, 5, 8, new double[50], new double[40]);
    assertThat(adam.best().validationLoss()).isLessThan(0.1 * lossOf(p.data(), zero));
  }

  static double lossOf(Dataset data, TwoLayerNet net) {
    try (Parallel parallel = new Parallel(1)) {
      return new SquaredLoss(data, 0, data.size(), net.k(), Blas.Choice.AUTO.implementation()).evaluate(GradientDescent.pack(net), null, parallel);
    }
  }

  @Test
  void theSameSeedGivesTheSameBitsForAnyThreadCount() {
    Planted p = planted(5000, 0.1, 5);
    GradientDescent.TrainingOptions o = GradientDescent.TrainingOptions.defaults(5).withMaxIterations(30);
    TwoLayerNet one = GradientDescent.fit(p.data(), o.withThreads(1)).network();
    TwoLayerNet two = GradientDescent.fit(p.data(), o.withThreads(2)).network();
    assertThat(two).isEqualTo(one);
  }

  @Test
  void anInitialNetworkOfTheWrongShapeIsRefused() {
    Planted p = planted(100, 0, 6);
    TwoLayerNet wrong = TwoLayerNet.of(10, 4, 8, new double[40], new double[32]);
    assertThatThrownBy(() -> GradientDescent.fit(p.data(), wrong, GradientDescent.TrainingOptions.defaults(5), Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10×4×8");
  }
}
