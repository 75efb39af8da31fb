package io.github.twolayer.cli;

import io.github.twolayer.data.Outputs;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.multitask.Downstream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twolayer adapt}: downstream, retrain only the last layer on a new task. */
@Command(name = "adapt", mixinStandardHelpOptions = true,
    description = "Fit a new last layer on a pretrained representation for one new binary task (L2-regularized "
        + "logistic regression, regularization by cross-validation).")
final class AdaptCommand implements Callable<Integer> {
  @Mixin
  Common.ModelInput input;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "The task's samples: .npz (X, y) or .csv.")
  Path data;

  @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Mixin
  Common.SeedOption seedOption;

  @Mixin
  Common.ModelOutput modelOutput;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    try (Outputs outputs = Outputs.reading(input.model, data)) {
      modelOutput.declare(outputs);
      return run(outputs);
    }
  }

  private int run(Outputs outputs) throws IOException {
    long start = System.nanoTime();
    ModelFile representation = ModelFile.read(input.model);
    MultiTaskFiles.Loaded loaded = MultiTaskFiles.load(data, null);
    MultiTaskDataset task = loaded.data();
    Downstream.AdaptationOptions defaults = Downstream.AdaptationOptions.defaults();
    Downstream.Adapted adapted = Downstream.fit(representation.network(), task,
        new Downstream.AdaptationOptions(folds, defaults.lambdas(), seedOption.seed, Main.blas(commandSpec)));
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    diagnostics.put("lambda", adapted.lambda());
    diagnostics.put("cv_accuracy", adapted.cvAccuracy());
    diagnostics.put("train_accuracy", adapted.accuracy(task.x(), task.y(), task.n()));
    Map<String, Object> provenance = new LinkedHashMap<>(representation.provenance());
    provenance.put("algorithm", "adapt");
    provenance.put("representation", input.model.toString());
    provenance.put("data", data.toString());
    provenance.put("n", task.n());
    provenance.put("seed", seedOption.seed);
    provenance.put("twolayer", Main.VERSION);
    provenance.remove("blas_note"); // the representation's; this run's BLAS replaces it
    provenance.putAll(adapted.provenance());
    Common.putColumns(provenance, loaded.columns());
    new ModelFile(adapted.network(), provenance, diagnostics).write(outputs, modelOutput.out);
    outputs.commit();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", modelOutput.out.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seedOption.seed);
    result.put("diagnostics", diagnostics);
    Common.report(commandSpec, output, result);
    return 0;
  }
}
