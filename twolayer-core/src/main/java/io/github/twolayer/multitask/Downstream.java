package io.github.twolayer.multitask;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.random.Seeds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collins et al. (2024), downstream: a new task is solved by retraining only the last layer. The first
 * layer is frozen (rows of W normalized, each bias divided by its row's norm, so that every unit fires on
 * the inputs it fired on when pretrained), and a head is fit by L2-regularized logistic regression on the
 * features, its regularization chosen by k-fold cross-validation.
 */
public final class Downstream {
  private Downstream() {}

  /**
   * @param folds k of the cross-validation
   * @param lambdas the regularization grid
   * @param seed seed of the fold assignment
   * @param blas which implementation of the matrix products runs (recorded in the result's provenance)
   */
  public record AdaptationOptions(int folds, List<Double> lambdas, long seed, Blas.Choice blas) {
    public AdaptationOptions {
      if (blas == null) {
        throw new IllegalArgumentException("blas must be a choice (Blas.Choice.AUTO for native where it loads)");
      }
      if (folds < 2) {
        throw new IllegalArgumentException("--folds = " + folds + " must be at least 2");
      }
      if (lambdas.isEmpty() || lambdas.stream().anyMatch(l -> !(l > 0))) {
        throw new IllegalArgumentException("the regularization grid must hold positive values, got " + lambdas);
      }
      lambdas = List.copyOf(lambdas);
    }

    /**
     * 5 folds, λ ∈ {10⁻⁴, 10⁻³, 10⁻², 10⁻¹, 1, 10}, seed 1, the library's default BLAS ({@link
     * Blas.Choice#byDefault}).
     */
    public static AdaptationOptions defaults() {
      return new AdaptationOptions(5, List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0), 1, Blas.Choice.byDefault());
    }

    public AdaptationOptions withSeed(long s) {
      return new AdaptationOptions(folds, lambdas, s, blas);
    }

    /** The same options with the matrix products on {@code choice}. */
    public AdaptationOptions withBlas(Blas.Choice choice) {
      return new AdaptationOptions(folds, lambdas, seed, choice);
    }
  }

  /**
   * The adapted network y = A relu(W x + c) with W's rows normalized (c with them) and A = bᵀ/√m (1×m), so that
   * f(x) = bᵀφ(x); its chosen λ and the cross-validated accuracy.
   */
  public record Adapted(TwoLayerNet network, double lambda, double cvAccuracy, Blas.Choice blas) {
    /** Accuracy of sign(f(x)) on labelled samples, the products on the BLAS the head was fitted with. */
    public double accuracy(double[] x, double[] y, int n) {
      return Downstream.accuracy(network, x, y, n, blas.implementation());
    }

    /**
     * What a model's provenance records of this adaptation that its options do not say: the BLAS that
     * ran ("blas", and "blas_note" when auto fell back to the Java kernels).
     */
    public Map<String, Object> provenance() {
      Map<String, Object> p = new LinkedHashMap<>();
      blas.describeIn(p);
      return p;
    }
  }

  /**
   * Share of the n samples with sign(f(x)) = y (sign(0) = +1) for a one-output network f, its products
   * on {@code blas}.
   */
  public static double accuracy(TwoLayerNet network, double[] x, double[] y, int n, Blas blas) {
    double[] f = network.predict(x, 0, n, blas);
    int right = 0;
    for (int i = 0; i < n; i++) {
      if ((f[i] >= 0 ? 1 : -1) == y[i]) {
        right++;
      }
    }
    return (double) right / n;
  }

  public static Adapted fit(Representation representation, MultiTaskDataset task, AdaptationOptions options) {
    return fit(representation.network(), task, options);
  }

  /** Fits a head on the frozen layer (W, c) of {@code layer} (its A, if any, is ignored). */
  public static Adapted fit(TwoLayerNet layer, MultiTaskDataset task, AdaptationOptions options) {
    if (task.tasks() != 1) {
      throw new IllegalArgumentException("downstream data hold " + task.tasks() + " tasks; adapt one task at a time "
          + "(its task column must be all 0, or drop it)");
    }
    if (task.d() != layer.d()) {
      throw new IllegalArgumentException("the data have d = " + task.d() + " inputs but the representation expects "
          + layer.d() + "; use data of the same input dimension");
    }
    int n = task.n();
    double[] y = task.y();
    boolean positive = false;
    boolean negative = false;
    for (double v : y) {
      positive |= v > 0;
      negative |= v < 0;
    }
    if (!(positive && negative)) {
      throw new IllegalArgumentException("the downstream task has a single class (all labels " + (positive ? "+1" : "−1")
          + "): a classifier needs examples of both labels");
    }
    if (n < options.folds()) {
      throw new IllegalArgumentException("only " + n + " samples for " + options.folds() + "-fold cross-validation; "
          + "supply more samples or fewer --folds");
    }
    TwoLayerNet frozen = layer.withUnitRows();
    int m = frozen.k();
    double[] phi = Features.of(frozen, task.x(), n, options.blas().implementation());
    int[] fold = folds(n, options.folds(), options.seed());
    double bestLambda = Double.NaN;
    double bestAccuracy = -1;
    for (double lambda : options.lambdas()) {
      double accuracy = crossValidatedAccuracy(phi, y, n, m, lambda, fold, options.folds());
      if (accuracy >= bestAccuracy) { // ties go to the larger λ (the grid ascends): the simpler model
        bestAccuracy = accuracy;
        bestLambda = lambda;
      }
    }
    double[] b = LogisticRegression.fit(phi, y, n, m, bestLambda);
    double[] a = new double[m];
    double scale = Features.scale(m);
    for (int j = 0; j < m; j++) {
      a[j] = b[j] * scale;
    }
    TwoLayerNet adapted = new TwoLayerNet(frozen.d(), m, 1, frozen.W(), a, frozen.bias() == null ? new double[m]
        : frozen.bias());
    return new Adapted(adapted, bestLambda, bestAccuracy, options.blas());
  }

  static int[] folds(int n, int k, long seed) {
    int[] order = Seeds.permutation(n, Seeds.generator(Seeds.Stream.FOLDS, seed));
    int[] fold = new int[n];
    for (int i = 0; i < n; i++) {
      fold[order[i]] = i % k;
    }
    return fold;
  }

  static double crossValidatedAccuracy(double[] phi, double[] y, int n, int m, double lambda, int[] fold, int k) {
    int right = 0;
    for (int f = 0; f < k; f++) {
      int trainCount = 0;
      for (int i = 0; i < n; i++) {
        if (fold[i] != f) {
          trainCount++;
        }
      }
      double[] trainPhi = new double[trainCount * m];
      double[] trainY = new double[trainCount];
      int row = 0;
      for (int i = 0; i < n; i++) {
        if (fold[i] != f) {
          System.arraycopy(phi, i * m, trainPhi, row * m, m);
          trainY[row++] = y[i];
        }
      }
      double[] b = LogisticRegression.fit(trainPhi, trainY, trainCount, m, lambda);
      for (int i = 0; i < n; i++) {
        if (fold[i] == f && (LogisticRegression.dot(phi, i, m, b) >= 0 ? 1 : -1) == y[i]) {
          right++;
        }
      }
    }
    return (double) right / n;
  }

}
