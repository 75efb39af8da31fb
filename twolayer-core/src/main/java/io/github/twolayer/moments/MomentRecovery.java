package io.github.twolayer.moments;

import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.ColumnScales;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.pass.Accumulator;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineFactory;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ge, Kuditipudi, Li, Wang (ICLR 2019): recovers A and W of {@code y = A·relu(W x) + ξ} from samples
 * of any symmetric input law, by the method of moments of docs/ge-method.md. Three passes over the
 * samples, each a mergeable sum ({@link Accumulator}) run by an {@link Engine} over row blocks:
 * <ol>
 *   <li>{@link SecondMoments}: E[xxᵀ], E[yxᵀ], E[y] (steps 1–2), then the reductions of steps 2a and 3;</li>
 *   <li>{@link DetectorMoments}: the detector matrix Tm (step 4), one blocked product over samples;</li>
 *   <li>{@link OutputLayerSums}: least squares of y on relu(Ŵx) for A (step 10).</li>
 * </ol>
 * Between passes 2 and 3 the small dense steps run on the driver: projection (5), null space (6),
 * joint diagonalization (7), signs (8) and rows of W (9).
 *
 * <p>Notation: d inputs, k hidden units, l outputs; P = A·W; primes mark the k-dimensional output
 * y' = Qᵀy; a tilde marks the reduced input x̃ = Rᵀx.
 */
public final class MomentRecovery {
  private MomentRecovery() {}

  /**
   * Recovers the network from {@code source} with the given options, reporting each pass over the samples
   * to {@code progress}: on this machine's cores for samples in memory, streamed or cached, on the
   * caller's engine, or on an engine opened by name for this call and closed after it. With {@link
   * RecoveryOptions#AUTO_K} the number of hidden units is chosen from the data ({@link KSelection}).
   */
  public static Recovery fit(RecoverySource source, RecoveryOptions options, Progress progress) {
    if (source instanceof RecoverySource.Passes passes) {
      return fit(passes.engine(), options);
    }
    if (source instanceof RecoverySource.Cluster c) {
      try (Engine engine = EngineFactory.named(c.engine()).open(c.master(), c.path(), c.xColumns(), c.yColumns())) {
        return fit(engine, options);
      }
    }
    RowSource rows = source instanceof RecoverySource.InMemory m ? m.data()
        : source instanceof RecoverySource.Cached c ? CachingSource.of(c.rows())
        : ((RecoverySource.Streamed) source).rows();
    try (LocalEngine engine = localEngine(rows, options, progress)) {
      return fit(engine, options);
    }
  }

  /**
   * {@link #fit(RecoverySource, RecoveryOptions, Progress)} of {@code data} as it is ({@link
   * RecoverySource#rows}: no caching), without progress reports.
   */
  public static Recovery fit(RowSource data, RecoveryOptions options) {
    return fit(RecoverySource.rows(data), options, Progress.NONE);
  }

  /** This machine's cores over {@code data}, in blocks no longer than keep a super-block near 32 MB. */
  private static LocalEngine localEngine(RowSource data, RecoveryOptions options, Progress progress) {
    int blockRows = Math.min(options.blockRows(), LocalEngine.blockRowsFor(data.d(), data.l()));
    return new LocalEngine(data, options.threads(), blockRows, progress);
  }

  /**
   * A dense decomposition that did not converge on finite moments: the moments are degenerate
   * (standardization keeps them away from overflow), which is the data's limit, not a bug.
   */
  private static RecoveryException degenerate(ArithmeticException e, String advice) {
    return new RecoveryException("decomposition", 0, "a decomposition of the moments did not converge ("
        + e.getMessage() + "): the moments are degenerate" + advice);
  }

  /**
   * The recovery with the passes over the samples run by {@code data}: this machine's cores ({@link
   * LocalEngine}) or a cluster. Everything between the passes runs here. With {@link
   * RecoveryOptions#AUTO_K} the number of hidden units is chosen from the data ({@link #fitAutoK}).
   */
  private static Recovery fit(Engine data, RecoveryOptions options) {
    if (options.autoK()) {
      return fitAutoK(data, options);
    }
    try {
      return recover(data, options);
    } catch (ArithmeticException e) {
      throw degenerate(e, " for k = " + options.k() + "; check k, that the inputs vary in every direction and are "
          + "symmetric, and use more samples");
    }
  }

  /**
   * Recovers the network with k chosen from the data ({@link KSelection}: the hidden units whose
   * singular values stand clearly out of the sampling noise of pass 1); {@code options.k()} is ignored.
   * Refuses with a {@link RecoveryException} (exit 3) when no k is clearly supported.
   */
  private static Recovery fitAutoK(Engine data, RecoveryOptions options) {
    try {
      FirstPass fp = firstPass(data, options);
      KSelection selection;
      try {
        selection = KSelection.of(fp.first(), data.d(), data.l());
      } catch (RecoveryException unclear) {
        if (unclear.value() > 0) { // units stand out but their count is unclear: linear outputs say so first
          requireOutputMean(fp.first());
        }
        throw unclear;
      }
      requireOutputMean(fp.first()); // before the count's ceiling: linear outputs of full rank reach it
      selection.requireBelowCeiling();
      return recover(data, options.withK(selection.k()), fp, selection.k());
    } catch (ArithmeticException e) {
      throw degenerate(e, "; check that the inputs vary in every direction and are symmetric, and use more samples");
    }
  }

  /** The number of hidden units the data show and its evidence (the diagnostics of --k auto). */
  public record KChoice(int k, List<Double> rankSnrs) {
    /** {@code k_selected} and {@code k_evidence}, as in a recovery's diagnostics. */
    public Map<String, Object> evidence() {
      return KSelection.report(k, rankSnrs);
    }
  }

  /**
   * Only the choice of k that {@link #fit(RecoverySource, RecoveryOptions, Progress)} makes for {@link
   * RecoveryOptions#AUTO_K}: pass 1 and {@link KSelection}, for algorithms that need a k but not this
   * method's estimate (gradient descent from random starts). Refuses as that choice does.
   */
  public static KChoice chooseK(RowSource data, RecoveryOptions options) {
    try (LocalEngine engine = localEngine(data, options, Progress.NONE)) {
      KSelection selection = KSelection.of(firstPass(engine, options).first(), data.d(), data.l());
      selection.requireBelowCeiling();
      return new KChoice(selection.k(), selection.rankSnrs());
    } catch (ArithmeticException e) {
      throw degenerate(e, "; pass --k");
    }
  }

  /** Pass 1 and what follows from it before k matters: the sums in standardized units and the scales. */
  record FirstPass(SecondMoments first, Standardization scaling, boolean fold, Map<String, Double> passSeconds,
      long start) {}

  private static Recovery recover(Engine data, RecoveryOptions options) {
    checkShape(data.d(), data.l(), options.k(), data.n());
    return recover(data, options, firstPass(data, options), null);
  }

  private static FirstPass firstPass(Engine data, RecoveryOptions options) {
    long start = System.nanoTime();
    int d = data.d();
    int l = data.l();
    Map<String, Double> passSeconds = new LinkedHashMap<>();
    // Steps 1–2, on the raw samples; the pass also finds each column's largest magnitude, the scales of
    // Standardization (ours). Samples of ordinary magnitudes (the usual case) need no copy: their sums
    // are rescaled, and passes 2 and 3 take the scales inside their linear maps (R, Q, Ŵ). Samples of
    // extreme magnitudes (or whose raw sums overflowed) are summed again, scaled block by block, and
    // so are those of the later passes.
    SecondMoments first = timed(data, null, new SecondMoments(d, l, options.checkSymmetry(), options.blas()),
        "second moments (pass 1/3)", passSeconds);
    Standardization scaling = options.standardize() ? Standardization.of(first.maxX, first.maxY) : null;
    double[] maxX = first.maxX;
    double[] maxY = first.maxY;
    boolean fold = false;
    if (scaling == null) {
      if (first.overflowed()) {
        throw first.overflowError();
      }
    } else if (!first.overflowed() && scaling.foldable() && !options.checkSymmetry()) {
      first = first.rescaled(scaling.sx, scaling.sy);
      fold = true;
    } else {
      first = timed(data, scaling, new SecondMoments(d, l, options.checkSymmetry(), options.blas()),
          "second moments, scaled (pass 1/3)", passSeconds);
    }
    if (scaling != null) {
      refuseOutliers(data, false, maxX, scaling.sx, first.sumSquaresX(), first.n());
      refuseOutliers(data, true, maxY, scaling.sy, first.sumSquaresY(), first.n());
    }
    if (first.pooledStdY() == 0) {
      throw new IllegalArgumentException("the outputs do not vary (every column of Y is constant over the " + first.n()
          + " rows), so there is no network to recover; check that Y holds the outputs y = A·relu(W x)");
    }
    return new FirstPass(first, scaling, fold, passSeconds, start);
  }

  /**
   * Steps 1–10 after pass 1, each a method below: the linear part (2), the input reduction (2a), the
   * output reduction (3), the detector matrix (4–5, pass 2), its null space (6), the split (7), the
   * signs (8), the rows of W (9) and A (10, pass 3).
   */
  private static Recovery recover(Engine data, RecoveryOptions options, FirstPass fp, Integer kSelected) {
    int d = data.d();
    int l = data.l();
    int k = options.k();
    checkShape(d, l, k, data.n());
    SecondMoments first = fp.first();
    Map<String, Double> passSeconds = new LinkedHashMap<>(fp.passSeconds());
    double symmetryZ = options.checkSymmetry() ? first.checkSymmetry(fp.scaling() == null ? null : fp.scaling().sx)
        : Double.NaN;
    LinearPart linear = linearPart(first, d, l, k);
    InputReduction input = reduceInput(linear, options.reduceInput(), d, l, k);
    OutputReduction output = reduceOutput(input, l, k);
    double[] projected = detectorMatrix(data, fp, input, output, options, passSeconds);
    DetectorSpan span = detectorSpan(projected, k, input.dd(), data.n());
    // What the detector lets through (k = 1, or k = min(d, l), where its test passes noise) the mean catches.
    requireOutputMean(first);
    SpanSplitter.Split split = splitSpan(span, options, k);
    double[] u = split.detectors(); // k×k, columns u_i
    fixSigns(u, meanOutput(output.q(), first, l, k), k);
    double[] w = rowsOfW(u, output.pPrime(), input, d, k);
    double[] a = outputLayer(data, fp, options, u, output.q(), w, d, k, l, passSeconds);

    TwoLayerNet scaledNet = TwoLayerNet.of(d, k, l, w, a);
    TwoLayerNet net = (fp.scaling() == null ? scaledNet : fp.scaling().mapBack(scaledNet)).withUnitRows();
    Diagnostics diagnostics = Diagnostics.builder()
        .secondMomentCondition(linear.conditionSigma()).rankGap(input.rankGap()).rankSnr(linear.rankSnr())
        .conditionP(input.conditionP()).detectorGap(span.gap()).detectorResidual(span.residual()).split(split)
        .symmetryZ(symmetryZ)
        .warnings(warnings(k, span.gap(), split, Diagnostics.mostParallelUnits(w, k, d, linear.sigmaX())))
        .columnScales(fp.scaling() == null ? null : fp.scaling().report()).kSelected(kSelected)
        .rankSnrs(Arrays.stream(linear.rankSnrs()).boxed().toList())
        .build();
    return new Recovery(net, options, data.n(), d, l, diagnostics, (System.nanoTime() - fp.start()) * 1e-9,
        Collections.unmodifiableMap(passSeconds), data.description());
  }

  /**
   * Steps 1–2 from pass 1's sums: Σx (refused when numerically singular), C = E[yxᵀ], P = 2CΣx⁻¹, and
   * rank_snr of every candidate k (the k-th refused when at the noise level).
   */
  record LinearPart(double[] sigmaX, double conditionSigma, double[] crossMoment, double[] p, double[] rankSnrs,
      double rankSnr) {}

  /** Steps 1–2: the linear part P of the data and the evidence for k in it. */
  static LinearPart linearPart(SecondMoments first, int d, int l, int k) {
    double[] sigmaX = first.secondMoment();
    double conditionSigma = secondMomentCondition(sigmaX, d);
    double[] crossMoment = first.crossMoment(); // l×d
    double[] p = linearPart(sigmaX, crossMoment, d, l);
    double[] rankSnrs = rankSnrs(p, sigmaX, d, l, first.pooledStdY(), first.n());
    double rankSnr = rankSignalToNoise(rankSnrs, k, first.n());
    return new LinearPart(sigmaX, conditionSigma, crossMoment, p, rankSnrs, rankSnr);
  }

  /**
   * Step 2a's result: the SVD of P (and its gap and condition at k), R (d×k, row-major; null without
   * the reduction), the input dimension dd the later steps see (k or d), and Σ, C, P on that input.
   */
  record InputReduction(Matrices.Svd svdP, double conditionP, double rankGap, double[] r, int dd, double[] sigma,
      double[] cross, double[] p) {}

  /**
   * Step 2a, input reduction (ours, when {@code on} and d > k): x̃ = Rᵀx with R the top k right singular
   * vectors of P, so Σ̃ = RᵀΣR, C̃ = CR and P̃ from them as in step 2.
   */
  static InputReduction reduceInput(LinearPart linear, boolean on, int d, int l, int k) {
    Matrices.Svd svdP = Matrices.svd(linear.p(), l, d);
    double conditionP = svdP.s()[0] / svdP.s()[k - 1];
    double rankGap = svdP.s().length > k ? svdP.s()[k - 1] / svdP.s()[k] : Double.POSITIVE_INFINITY;
    if (!(on && d > k)) {
      return new InputReduction(svdP, conditionP, rankGap, null, d, linear.sigmaX(), linear.crossMoment(), linear.p());
    }
    double[] r = topRightVectors(svdP, k);
    double[] sigmaR = Matrices.multiply(linear.sigmaX(), d, d, r, k);
    double[] sigmaReduced = Matrices.multiply(Matrices.transpose(r, d, k), k, d, sigmaR, k);
    double[] crossReduced = Matrices.multiply(linear.crossMoment(), l, d, r, k);
    return new InputReduction(svdP, conditionP, rankGap, r, k, sigmaReduced, crossReduced,
        linearPart(sigmaReduced, crossReduced, k, l));
  }

  /** Step 3's result: Q (l×k, orthonormal columns) and P' = QᵀP̃ (k×dd). */
  record OutputReduction(double[] q, double[] pPrime) {}

  /** Step 3, output reduction: for l > k the top k left singular vectors Q of P̃ (else Q = I); y' = Qᵀy. */
  static OutputReduction reduceOutput(InputReduction input, int l, int k) {
    double[] q;
    if (l > k) {
      q = topLeftVectors(input.r() != null ? Matrices.svd(input.p(), l, input.dd()) : input.svdP(), k);
    } else {
      q = identity(k);
    }
    return new OutputReduction(q, Matrices.multiply(Matrices.transpose(q, l, k), k, l, input.p(), input.dd()));
  }

  /**
   * Steps 4–5 (pass 2): the detector matrix Tm over the samples, then the projection that removes the
   * noise direction; returns (I − ssᵀ)Tm transposed (s2 × m2). With standardization folded into pass 1
   * and the input reduction on, the scales ride in R and Q; otherwise the samples are scaled block by
   * block (without the reduction x̃ = x: no map to fold the scales into).
   */
  static double[] detectorMatrix(Engine data, FirstPass fp, InputReduction input, OutputReduction output,
      RecoveryOptions options, Map<String, Double> passSeconds) {
    int d = data.d();
    int l = data.l();
    int k = options.k();
    int dd = input.dd();
    double[] r = input.r();
    Standardization scaling = fp.scaling();
    boolean foldDetector = fp.fold() && r != null;
    DetectorMoments detector = timed(data, foldDetector ? null : scaling, foldDetector
        ? new DetectorMoments(d, l, ColumnScales.scaledRows(r, d, dd, scaling.sx), dd,
            ColumnScales.scaledRows(output.q(), l, k, scaling.sy), output.pPrime(), k, options.reflectSamples(),
            options.blas())
        : new DetectorMoments(d, l, r, dd, output.q(), output.pPrime(), k, options.reflectSamples(), options.blas()),
        "detector moment (pass 2/3)", passSeconds);
    return detector.projectedTranspose(); // s2 × m2
  }

  /**
   * Step 6's result: the k elements U_j (symmetric k×k, row-major) spanning the null space, the
   * singular-value gap that selects it and its residual.
   */
  record DetectorSpan(double[][] spans, double gap, double residual) {}

  /**
   * Step 6: the k right singular vectors of Tm with the smallest singular values, each unpacked to a
   * symmetric U_j; refused (exit 3) for k > 1 when no null space stands out.
   */
  static DetectorSpan detectorSpan(double[] projected, int k, int dd, long n) {
    int s2 = SymmetricPacking.size(k);
    int m2 = SymmetricPacking.size(dd);
    Matrices.Svd svdT = Matrices.svd(projected, s2, m2); // left vectors of Tmᵀ = right vectors of Tm
    double[] sv = svdT.s();
    double detectorGap = sv[s2 - k] > 0 ? sv[s2 - k - 1] / sv[s2 - k] : Double.POSITIVE_INFINITY;
    if (s2 == k) {
      detectorGap = Double.POSITIVE_INFINITY; // k = 1: the whole span is the null space
    }
    double detectorResidual = sv[s2 - k] / sv[0];
    double[][] spans = new double[k][];
    for (int j = 0; j < k; j++) {
      double[] packed = new double[s2];
      for (int i = 0; i < s2; i++) {
        packed[i] = svdT.U()[i * s2 + (s2 - k + j)];
      }
      spans[j] = SymmetricPacking.unpack(packed, k);
    }
    if (k > 1 && (detectorGap < REFUSED_DETECTOR_GAP || detectorResidual > REFUSED_DETECTOR_RESIDUAL)) {
      boolean gap = detectorGap < REFUSED_DETECTOR_GAP;
      throw new RecoveryException(gap ? "detector_gap" : "detector_residual", gap ? detectorGap : detectorResidual,
          String.format("no null space in the detector matrix (step 6): singular-value gap %.3g (needs to be well "
              + "above 1), null-space singular values %.2g of the largest (reliable runs: below %.2g); use more "
              + "samples (n = %d), check that k = %d is right and that the inputs are symmetric",
          detectorGap, detectorResidual, RELIABLE_DETECTOR_RESIDUAL, n, k));
    }
    return new DetectorSpan(spans, detectorGap, detectorResidual);
  }

  /**
   * Step 7: the span split into the k pure-neuron detectors u_1..u_k (the columns of the result's
   * k×k {@code detectors()}), by joint diagonalization or the best of random pairs (seeded).
   */
  static SpanSplitter.Split splitSpan(DetectorSpan span, RecoveryOptions options, int k) {
    return SpanSplitter.split(span.spans(), k,
        options.jointDiagonalization() ? SpanSplitter.Method.JOINT_DIAGONALIZATION : SpanSplitter.Method.RANDOM_PAIRS,
        Seeds.root(options.seed()));
  }

  /** E[y'] = Qᵀ E[y], from pass 1: what step 8 reads the signs from. */
  static double[] meanOutput(double[] q, SecondMoments first, int l, int k) {
    return Matrices.multiply(Matrices.transpose(q, l, k), k, l, first.meanY(), 1);
  }

  /** Step 9: the rows of W, ŵ_iᵀ = u_iᵀ P' (k×dd), mapped back through R when the input was reduced. */
  static double[] rowsOfW(double[] u, double[] pPrime, InputReduction input, int d, int k) {
    int dd = input.dd();
    double[] wReduced = Matrices.multiply(Matrices.transpose(u, k, k), k, k, pPrime, dd);
    return input.r() != null ? Matrices.multiply(wReduced, k, dd, Matrices.transpose(input.r(), d, k), d) : wReduced;
  }

  /**
   * Step 10: A by least squares of y on relu(Ŵx) (pass 3), or Â = Q U⁻ᵀ from the detectors
   * ({@link RecoveryOptions#leastSquaresA} false).
   */
  static double[] outputLayer(Engine data, FirstPass fp, RecoveryOptions options, double[] u, double[] q, double[] w,
      int d, int k, int l, Map<String, Double> passSeconds) {
    return options.leastSquaresA()
        ? leastSquaresOutputLayer(data, fp.scaling(), fp.fold(), w, d, k, l, options.blas(), passSeconds)
        : Matrices.multiply(q, l, k, Matrices.transpose(Matrices.solve(u, k, identity(k), k), k, k), k);
  }

  /** Refuses a column that is one value and noise, after a pass that finds that value's row. */
  private static void refuseOutliers(Engine data, boolean output, double[] max, double[] s, double[] sumSq, long n) {
    int c = Standardization.outlierColumn(max, s, sumSq, n);
    if (c >= 0) {
      long row = data.aggregate(new Standardization.Locate(output, c, s.length, max[c]), "locating an outlier").row;
      double top = max[c] * s[c];
      throw Standardization.outlier(output ? "output" : "input", c, max[c], row, top * top / sumSq[c], n);
    }
  }

  /** One pass over the samples (scaled by {@code scaling} unless null), its seconds recorded under its name. */
  private static <A extends Accumulator<A>> A timed(Engine data, Standardization scaling, A zero, String phase,
      Map<String, Double> passSeconds) {
    long t0 = System.nanoTime();
    A sum = scaling == null ? data.aggregate(zero, phase) : data.aggregate(scaling.wrap(zero), phase).inner;
    passSeconds.put(phase, (System.nanoTime() - t0) * 1e-9);
    return sum;
  }

  /**
   * Refusal (exit 3) of step 6: a gap σ_{s2−k}/σ_{s2−k+1} this close to 1 means no null space stands out.
   * Planted runs that recover W to within 0.1 have gaps of 2 and more (the warning below); 1.05 refuses
   * only runs whose "null space" is noise.
   */
  static final double REFUSED_DETECTOR_GAP = 1.05;

  /**
   * Refusal of step 6: null-space singular values above this fraction of the largest are not a null space
   * (reliable runs stay below {@link #RELIABLE_DETECTOR_RESIDUAL}; the refusal leaves a margin of 6×, so
   * that an uncertain run is warned about rather than refused).
   */
  static final double REFUSED_DETECTOR_RESIDUAL = 0.3;

  /** detector_residual of the reliable planted runs (W error below 0.07; see {@link #warnings}): below 0.05. */
  static final double RELIABLE_DETECTOR_RESIDUAL = 0.05;

  /** Warning thresholds, from the planted runs described at {@link #warnings}. */
  static final double WARNED_DETECTOR_GAP = 2;
  static final double WARNED_OFF_DIAGONAL_RESIDUAL = 0.2;
  static final double WARNED_SCALED_MIN_EIGENVALUE = 0.2;

  /**
   * Warnings for diagnostics outside the range of reliable runs. Thresholds from planted networks
   * (d = 10, k = 5; n = 10⁴…10⁶; gaussian, cube, mixture, Student-t; noise 0 and 0.3; 96 runs): 11 of
   * the 12 runs with W error above 0.1 had a detector gap below 2 or an off-diagonal residual above 0.2,
   * no run with error below 0.07 had either, and every run had √k·λ_min above 0.3.
   */
  static List<String> warnings(int k, double detectorGap, SpanSplitter.Split split,
      Diagnostics.ParallelUnits units) {
    List<String> w = new ArrayList<>();
    if (k > 1 && detectorGap < WARNED_DETECTOR_GAP) {
      w.add(String.format("detector_gap %.2f is small: the null space of step 6 is uncertain; more samples "
          + "would help", detectorGap));
    }
    if (split.method() == SpanSplitter.Method.RANDOM_PAIRS) {
      w.add("no positive-definite element in the detector span: step 7 fell back to random pairs, which is "
          + "fragile; more samples would help");
    } else if (k > 1 && split.offDiagonalResidual() > WARNED_OFF_DIAGONAL_RESIDUAL) {
      w.add(String.format("off_diagonal_residual %.2f is large: the detector matrices are far from jointly "
          + "diagonalizable (too few samples, a wrong k, or data not of the form A·relu(W x))",
          split.offDiagonalResidual()));
    }
    if (k > 1 && split.minEigenvalue() * Math.sqrt(k) < WARNED_SCALED_MIN_EIGENVALUE) {
      w.add(String.format("min_eigenvalue %.3g is small: the split of step 7 is ill-conditioned",
          split.minEigenvalue()));
    }
    String parallel = Diagnostics.parallelUnitsWarning(units);
    if (parallel != null) {
      w.add(parallel);
    }
    return w;
  }

  static void checkShape(int d, int l, int k, long n) {
    if (k > d) {
      throw new IllegalArgumentException("k = " + k + " hidden units but the inputs have d = " + d
          + " dimensions: the method needs k ≤ d; pass a smaller --k");
    }
    if (k > l) { // the data's limit, as rank_snr is: their linear part P = A·W has rank l at most
      throw new RecoveryException("outputs", l, "k = " + k + " hidden units but the outputs have l = " + l
          + (l == 1 ? " dimension" : " dimensions") + ": data with " + l + (l == 1 ? " output" : " outputs")
          + " can show at most k = " + l + " (the method needs k ≤ l: A must have full column rank); pass --k " + l
          + (l == 1 ? "" : " or fewer") + ", or record more outputs");
    }
    if (n < 2L * d) {
      throw new IllegalArgumentException("only n = " + n + " samples for d = " + d
          + " inputs: E[xxᵀ] cannot be estimated; supply many more samples than dimensions");
    }
  }

  /** Condition number of E[xxᵀ]; throws when it is numerically singular. */
  static double secondMomentCondition(double[] sigmaX, int d) {
    double[] eig = Matrices.symmetricEigen(sigmaX, d).values();
    double condition = eig[d - 1] / eig[0];
    if (!(eig[0] > 1e-12 * eig[d - 1])) {
      throw new RecoveryException("second_moment_condition", condition, String.format(
          "E[xxᵀ] is singular (smallest eigenvalue %.3g, largest %.3g): some input direction has no variance; "
              + "drop constant or duplicated columns", eig[0], eig[d - 1]));
    }
    return condition;
  }

  /** Step 2 (and 2a on the reduced input): P = 2 C Σx⁻¹, by solving Σx Pᵀ = 2 Cᵀ. */
  static double[] linearPart(double[] sigmaX, double[] crossMoment, int d, int l) {
    double[] rhs = Matrices.transpose(crossMoment, l, d);
    for (int i = 0; i < rhs.length; i++) {
      rhs[i] *= 2;
    }
    return Matrices.transpose(Matrices.solve(sigmaX, d, rhs, l), d, l);
  }

  /**
   * s_k of the whitened linear part P Σx^½ against the level sampling noise alone would give it: the
   * entries of 2 E[y x_wᵀ] estimated from n samples have standard deviation about 2σ_y/√n, and an l×d
   * matrix of such noise has top singular value about (2σ_y/√n)(√l + √d). A k-th singular value below
   * that level is indistinguishable from noise: the data do not show k hidden units.
   */
  static double rankSignalToNoise(double[] rankSnrs, int k, long n) {
    double snr = rankSnrs[k - 1];
    if (!(snr >= 1)) {
      throw new RecoveryException("rank_snr", snr, String.format("the k-th singular value of the linear part "
          + "P = A·W is at the level of sampling noise (signal/noise %.2f for k = %d, n = %d): the data do not "
          + "show %d hidden units; pass a smaller --k or use more samples", snr, k, n, k));
    }
    return snr;
  }

  /**
   * Refusal (exit 3) of outputs whose mean is at the level of sampling noise (below this many standard
   * errors): with E[y] = 0 the statistic is about 1 and passes 3 by chance with probability below 0.3%
   * (a two-sided normal tail, the case l = 1), while the planted networks stand at about 0.7√n (300 at
   * n = 2·10⁵, with noise 0 and 0.1 alike).
   */
  static final double REFUSED_MEAN_SNR = 3;

  /**
   * y = A·relu(W x) + ξ has E[y] = A·E[relu(W x)] = ½A·E|W x|, away from 0 for any A of full column rank,
   * while outputs linear in x (or centered) have E[y] = 0 under a symmetric input law. The method reads
   * the units' even part (step 8 takes their signs from E[y]), so linear outputs are refused here, for a
   * given k and for {@code --k auto} alike: after the detector of step 6 for a given k (which refuses most
   * of them, but not at k = 1 nor at k = min(d, l), where its null-space test passes noise), and before
   * the count's ceiling for --k auto (which a linear map of full rank reaches).
   */
  static void requireOutputMean(SecondMoments first) {
    double snr = first.meanSignalToNoise();
    if (!(snr >= REFUSED_MEAN_SNR)) {
      throw new RecoveryException("mean_snr", snr, String.format("the mean of the outputs is at the level of "
          + "sampling noise (%s standard errors, n = %d), but y = A·relu(W x) has mean A·E[relu(W x)], away from "
          + "0: Y looks linear in x (or was centered), and the method recovers ReLU units only; fit a linear "
          + "model, or give Y uncentered", Double.isNaN(snr) ? "no finite number of" : String.format("%.2f", snr),
          first.n()));
    }
  }

  /**
   * rank_snr of every candidate k = 1 … min(d, l), descending: the k-th singular value of the whitened
   * P Σx^½ against the level sampling noise alone would give it, (2σ_y/√n)(√l + √d).
   */
  static double[] rankSnrs(double[] p, double[] sigmaX, int d, int l, double stdY, long n) {
    double[] psp = Matrices.multiply(Matrices.multiply(p, l, d, sigmaX, d), l, d, Matrices.transpose(p, l, d), l);
    double[] eig = Matrices.symmetricEigen(psp, l).values(); // ascending: s_i² of P Σx^½
    double floor = 2 * stdY / Math.sqrt(n) * (Math.sqrt(l) + Math.sqrt(d));
    double[] snr = new double[Math.min(d, l)];
    for (int j = 0; j < snr.length; j++) {
      snr[j] = Math.sqrt(Math.max(0, eig[l - 1 - j])) / floor;
    }
    return snr;
  }

  static double[] topRightVectors(Matrices.Svd svd, int k) {
    int cols = svd.cols();
    int rank = svd.rank();
    double[] r = new double[cols * k];
    for (int i = 0; i < cols; i++) {
      System.arraycopy(svd.V(), i * rank, r, i * k, k);
    }
    return r;
  }

  static double[] topLeftVectors(Matrices.Svd svd, int k) {
    int rows = svd.rows();
    int rank = svd.rank();
    double[] q = new double[rows * k];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(svd.U(), i * rank, q, i * k, k);
    }
    return q;
  }

  static double[] identity(int k) {
    double[] e = new double[k * k];
    for (int i = 0; i < k; i++) {
      e[i * k + i] = 1;
    }
    return e;
  }

  /** Step 8, signs: flips u_i so that E[u_iᵀy'] = u_iᵀ E[y'] > 0, since E[relu(wᵀx)] > 0. */
  static void fixSigns(double[] u, double[] meanYPrime, int k) {
    for (int i = 0; i < k; i++) {
      double m = 0;
      for (int a = 0; a < k; a++) {
        m += u[a * k + i] * meanYPrime[a];
      }
      if (m < 0) {
        for (int a = 0; a < k; a++) {
          u[a * k + i] = -u[a * k + i];
        }
      }
    }
  }

  /**
   * Step 10: Â = argmin Σ ‖y − A relu(Ŵx)‖², from the sums HᵀH and HᵀY over one pass, in scaled units
   * (h = relu(Ŵ'x'), y'). With {@code fold} the pass reads raw samples: h = relu((Ŵ'S) x) and
   * Σ h y'ᵀ = (Σ h yᵀ) T.
   */
  static double[] leastSquaresOutputLayer(Engine data, Standardization scaling, boolean fold, double[] w, int d,
      int k, int l, Blas.Choice blas, Map<String, Double> passSeconds) {
    OutputLayerSums sums = timed(data, fold ? null : scaling,
        new OutputLayerSums(d, k, l, fold ? ColumnScales.scaledColumns(w, k, d, scaling.sx) : w, blas),
        "least squares (pass 3/3)", passSeconds);
    double[] hth = sums.gram();
    double[] hty = sums.cross();
    if (fold) {
      for (int i = 0; i < k; i++) {
        for (int a = 0; a < l; a++) {
          hty[i * l + a] *= scaling.sy[a];
        }
      }
    }
    double[] ht;
    try {
      ht = Matrices.solve(hth, k, hty, l); // k×l = Âᵀ
    } catch (ArithmeticException e) {
      throw new RecoveryException("hidden_gram", 0, "the recovered hidden units are never active together "
          + "on the data (HᵀH is singular): step 10 cannot fit A; use more samples");
    }
    return Matrices.transpose(ht, k, l);
  }
}
