package io.github.twolayer.cli;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.ColumnScaling;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.train.GradientDescent;
import io.github.twolayer.train.SpectralFineTune;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twolayer train}: the gradient-descent baseline on the same network. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Fit y = A·relu(W x) by gradient descent on squared loss (L-BFGS or Adam), from random starts, "
        + "from the method-of-moments estimate (--init spectral), or from a model file.")
final class TrainCommand implements Callable<Integer> {
  @Mixin
  Common.DataOptions data;

  @Mixin
  Common.KOption kOption;

  @Mixin
  Common.ModelOutput modelOutput;

  @Option(names = "--init", defaultValue = "random",
      description = "random, spectral (method of moments first), or a model file (default: ${DEFAULT-VALUE}).")
  String init;

  @Option(names = "--optimizer", defaultValue = "lbfgs", description = "lbfgs (full batch) or adam (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--restarts", defaultValue = "1", description = "Random starts; the best by validation loss is kept (default: ${DEFAULT-VALUE}).")
  int restarts;

  @Option(names = "--iterations", description = "L-BFGS iterations (default 500) or Adam epochs (default 100).")
  Integer iterations;

  @Option(names = "--lr", defaultValue = "0.001", description = "Adam step size (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--val-fraction", defaultValue = "0.1", description = "Share held out for early stopping (default: ${DEFAULT-VALUE}).")
  double valFraction;

  @Mixin
  Common.ThreadsOption threadsOption;

  @Mixin
  Common.SeedOption seedOption;

  @Mixin
  Common.StandardizeOption standardizeOption;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    try (Outputs outputs = data.outputs().input(init.equals("random") || init.equals("spectral") ? null : Path.of(init))) {
      modelOutput.declare(outputs);
      return run(outputs);
    }
  }

  private int run(Outputs outputs) throws IOException {
    long start = System.nanoTime();
    int k = kOption.k();
    Blas.Choice blas = Main.blas(commandSpec);
    RowSource source = data.open();
    Dataset samples = Dataset.load(source);
    Map<String, Object> kEvidence = null;
    boolean spectralInit = init.equals("spectral");
    if (k == 0 && !spectralInit) { // --k auto: the units the data show (pass 1 of the method of moments)
      MomentRecovery.KChoice choice = MomentRecovery.chooseK(samples,
          RecoveryOptions.defaults(1).withSeed(seedOption.seed).withBlas(blas));
      k = choice.k();
      kEvidence = choice.evidence();
    }
    // With --k auto and --init spectral, k is the spectral step's (SpectralFineTune sets it): 1 holds its place.
    GradientDescent.TrainingOptions options = options(Math.max(k, 1), optimizer, restarts, iterations, lr, valFraction,
        threadsOption.threads, seedOption.seed).withBlas(blas);
    ColumnScaling scaling = standardizeOption.noStandardize ? null
        : samples.rmsScaling();
    TwoLayerNet initial = null;
    Recovery spectral = null;
    GradientDescent.Trained trained;
    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
      if (spectralInit) { // spectral + fine-tune, k given or chosen by the spectral step
        var tuned = SpectralFineTune.fit(samples, RecoveryOptions
            .defaults(k == 0 ? RecoveryOptions.AUTO_K : k).withSeed(seedOption.seed).withBlas(blas), options,
            scaling, progress);
        spectral = tuned.spectral();
        RecoverCommand.printWarnings(commandSpec, spectral);
        initial = spectral.network();
        trained = tuned.tuned();
        if (k == 0) { // the choice and its evidence, as with a random start
          kEvidence = spectral.diagnostics().kEvidence();
        }
      } else {
        if (!init.equals("random")) {
          initial = ModelFile.read(Path.of(init)).network();
        }
        trained = scaling == null ? GradientDescent.fit(samples, initial, options, progress)
            : GradientDescent.fitStandardized(samples, scaling, initial, options, progress);
      }
    }
    Map<String, Object> diagnostics = diagnostics(trained);
    diagnostics.put("loss_units", standardizeOption.noStandardize ? "raw" : "standardized columns");
    if (scaling != null) { // the multipliers fitStandardized applied (1/root-mean-square per column)
      diagnostics.put("column_scales", scaling.report());
    }
    if (kEvidence != null) {
      diagnostics.putAll(kEvidence);
    }
    if (spectral != null) {
      diagnostics.put("spectral_seconds", spectral.seconds());
    }
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("algorithm", "gradient-descent");
    provenance.put("optimizer", optimizer);
    provenance.put("init", init);
    provenance.put("restarts", initial == null ? restarts : 1);
    provenance.put("seed", seedOption.seed);
    provenance.put("n", samples.size());
    provenance.put("data", source.description());
    provenance.put("twolayer", Main.VERSION);
    provenance.putAll(trained.provenance());
    Common.putColumns(provenance, source.columns());
    new ModelFile(trained.network(), provenance, diagnostics).write(outputs, modelOutput.out);
    outputs.commit();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", modelOutput.out.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seedOption.seed);
    result.put("n", samples.size());
    result.put("diagnostics", diagnostics);
    Common.report(commandSpec, output, result);
    return 0;
  }

  static GradientDescent.TrainingOptions options(int k, String optimizer, int restarts, Integer iterations, double lr,
      double valFraction, Integer threads, long seed) {
    GradientDescent.Optimizer opt = switch (optimizer) {
      case "lbfgs" -> GradientDescent.Optimizer.LBFGS;
      case "adam" -> GradientDescent.Optimizer.ADAM;
      default -> throw new IllegalArgumentException("--optimizer " + optimizer + " is not known: use lbfgs or adam");
    };
    GradientDescent.TrainingOptions o = GradientDescent.TrainingOptions.defaults(k).withOptimizer(opt).withRestarts(restarts)
        .withLearningRate(lr).withValidationFraction(valFraction).withSeed(seed);
    if (iterations != null) {
      o = o.withMaxIterations(iterations);
    }
    return threads == null ? o : o.withThreads(threads);
  }

  /** The best run's losses and every run's summary. */
  static Map<String, Object> diagnostics(GradientDescent.Trained trained) {
    Map<String, Object> d = new LinkedHashMap<>();
    GradientDescent.Run best = trained.best();
    d.put("train_loss", best.trainLoss());
    d.put("validation_loss", best.validationLoss());
    d.put("iterations", best.iterations());
    d.put("stop", best.stop());
    d.put("gd_seconds", trained.seconds());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (GradientDescent.Run r : trained.runs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("train_loss", r.trainLoss());
      m.put("validation_loss", r.validationLoss());
      m.put("iterations", r.iterations());
      m.put("stop", r.stop());
      m.put("seconds", r.seconds());
      runs.add(m);
    }
    d.put("runs", runs);
    return d;
  }
}
