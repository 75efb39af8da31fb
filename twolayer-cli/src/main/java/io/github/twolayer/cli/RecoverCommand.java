package io.github.twolayer.cli;

import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.train.SpectralFineTune;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twolayer recover}: the method of moments of Ge et al. (2019) on a data file. */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = "Recover A and W of y = A·relu(W x) + noise from samples by the method of moments (Ge et al. 2019).")
final class RecoverCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Mixin
  Common.DataOptions data;

  @Mixin
  Common.KOption kOption;

  @Mixin
  Common.ModelOutput modelOutput;

  @Option(names = "--check-symmetry", description = "Refuse inputs whose odd moments show they are not symmetric.")
  boolean checkSymmetry;

  @Mixin
  Common.MomentVariants variants;

  @Option(names = "--split", defaultValue = "joint", description = "Step 7: joint (joint diagonalization) or pairs "
      + "(best of random pairs) (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--a-estimator", defaultValue = "lsq", description = "Step 10: lsq (least squares) or inverse "
      + "(from the detectors) (default: ${DEFAULT-VALUE}).")
  String aEstimator;

  @Mixin
  Common.StandardizeOption standardizeOption;

  @Option(names = "--refine", description = "Fine-tune the estimate by L-BFGS on squared loss (spectral + fine-tune; "
      + "same as train --init spectral).")
  boolean refine;

  @Mixin
  Common.ThreadsOption threadsOption;

  @Mixin
  Common.EngineOptions engine;

  @Mixin
  Common.SeedOption seedOption;

  @Mixin
  Common.OutputOptions output;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    int k = kOption.k();
    RecoveryOptions options = options(k == 0 ? RecoveryOptions.AUTO_K : k, split, aEstimator, !variants.noReduce,
        checkSymmetry, threadsOption.threads, seedOption.seed).withReflectSamples(!variants.plainDetector)
        .withStandardize(!standardizeOption.noStandardize);
    options = options.withBlas(Main.blas(commandSpec));
    try (Outputs outputs = data.outputs()) {
      modelOutput.declare(outputs);
      return run(outputs, options, start);
    }
  }

  private int run(Outputs outputs, RecoveryOptions options, long start) throws IOException {
    RecoverySource source = engine.recoverySource(data);
    Recovery recovery;
    SpectralFineTune.Result tuned = null; // with --refine
    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
      if (refine) { // spectral + fine-tune: L-BFGS from the estimate, as train --init spectral (k: the estimate's)
        tuned = SpectralFineTune.fit(source, options,
            TrainCommand.options(1, "lbfgs", 1, null, 1e-3, 0.1, threadsOption.threads, seedOption.seed)
                .withBlas(options.blas()),
            !standardizeOption.noStandardize, progress);
        recovery = tuned.spectral();
      } else {
        recovery = MomentRecovery.fit(source, options, progress);
      }
    }
    String description = recovery.data();
    RowSource.Columns columns = source.columns();
    TwoLayerNet network = tuned == null ? recovery.network() : tuned.network();
    Map<String, Object> provenance = tuned == null ? recovery.provenance() : tuned.provenance();
    Map<String, Object> diagnostics = new LinkedHashMap<>(recovery.diagnostics().asMap());
    if (tuned != null) {
      diagnostics.putAll(TrainCommand.diagnostics(tuned.tuned()));
    }
    printWarnings(commandSpec, recovery);
    Common.addOrigin(provenance, description);
    Common.putColumns(provenance, columns);
    provenance.put("engine", engine.name());
    new ModelFile(network, provenance, diagnostics).write(outputs, modelOutput.out);
    outputs.commit();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", modelOutput.out.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seedOption.seed);
    result.put("n", recovery.n());
    result.put("engine", engine.name());
    result.put("pass_seconds", recovery.passSeconds());
    result.put("peak_heap_mb", Common.peakHeapMegabytes());
    result.put("diagnostics", diagnostics);
    Common.report(commandSpec, output, result);
    return 0;
  }

  static RecoveryOptions options(int k, String split, String aEstimator, boolean reduce, boolean checkSymmetry,
      Integer threads, long seed) {
    if (!split.equals("joint") && !split.equals("pairs")) {
      throw new IllegalArgumentException("--split " + split + " is not known: use joint or pairs");
    }
    if (!aEstimator.equals("lsq") && !aEstimator.equals("inverse")) {
      throw new IllegalArgumentException("--a-estimator " + aEstimator + " is not known: use lsq or inverse");
    }
    RecoveryOptions o = RecoveryOptions.defaults(k).withReduceInput(reduce).withJointDiagonalization(split.equals("joint"))
        .withLeastSquaresA(aEstimator.equals("lsq")).withCheckSymmetry(checkSymmetry).withSeed(seed);
    return threads == null ? o : o.withThreads(threads);
  }

  /** Each warning of the recovery as one line on stderr. */
  static void printWarnings(picocli.CommandLine.Model.CommandSpec spec, Recovery r) {
    for (String w : r.diagnostics().warnings()) {
      spec.commandLine().getErr().println("warning: " + w);
    }
  }
}
