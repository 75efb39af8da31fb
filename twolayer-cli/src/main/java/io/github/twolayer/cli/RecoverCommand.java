package io.github.twolayer.cli;

import io.github.twolayer.data.AtomicFiles;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.pass.Engine;
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
    boolean auto = k == 0;
    RecoveryOptions options = options(auto ? 1 : k, split, aEstimator, !variants.noReduce, checkSymmetry, threadsOption.threads, seedOption.seed)
        .withReflectSamples(!variants.plainDetector).withStandardize(!standardizeOption.noStandardize);
    AtomicFiles.checkWritable(modelOutput.out);
    Recovery recovery;
    RowSource input = null;
    String description;
    if (engine.spark()) {
      if (refine) {
        throw new IllegalArgumentException("--refine trains on the samples in memory: run it with the local engine");
      }
      try (Engine cluster = engine.open(data)) {
        description = cluster.description();
        recovery = auto ? MomentRecovery.fitAutoK(cluster, options) : MomentRecovery.fit(cluster, options);
      }
    } else {
      RowSource source = data.open();
      description = source.description();
      input = Common.inMemoryIfItFits(source);
      try (TerminalProgress progress = TerminalProgress.forTerminal()) {
        recovery = auto ? MomentRecovery.fitAutoK(input, options, progress)
            : MomentRecovery.fit(input, options, progress);
      }
    }
    printWarnings(commandSpec, recovery);
    Map<String, Object> provenance = provenance(recovery, description);
    provenance.put("engine", engine.name());
    Map<String, Object> diagnostics = new LinkedHashMap<>(recovery.diagnostics().asMap());
    io.github.twolayer.model.TwoLayerNet network = recovery.network();
    if (refine) {
      var samples = io.github.twolayer.data.Dataset.load(input);
      var gd = TrainCommand.options(recovery.network().k(), "lbfgs", 1, null, 1e-3, 0.1, threadsOption.threads, seedOption.seed);
      var trained = standardizeOption.noStandardize
          ? io.github.twolayer.train.GradientDescent.fit(samples, network, gd, io.github.twolayer.progress.Progress.NONE)
          : io.github.twolayer.train.GradientDescent.fitStandardized(samples, network, gd,
              io.github.twolayer.progress.Progress.NONE);
      network = trained.network();
      diagnostics.putAll(TrainCommand.diagnostics(trained));
      provenance.put("refined", "lbfgs");
    }
    new ModelFile(network, provenance, diagnostics).write(modelOutput.out);
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

  static Map<String, Object> provenance(Recovery r, String data) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("algorithm", "moments");
    p.put("seed", r.options().seed());
    p.put("n", r.n());
    p.put("twolayer", Main.VERSION);
    p.put("data", data);
    p.put("reduce_input", r.options().reduceInput());
    p.put("reflect_samples", r.options().reflectSamples());
    p.put("split", r.options().jointDiagonalization() ? "joint" : "pairs");
    p.put("a_estimator", r.options().leastSquaresA() ? "lsq" : "inverse");
    p.put("seconds", r.seconds());
    Common.putBlas(p);
    return p;
  }
}
