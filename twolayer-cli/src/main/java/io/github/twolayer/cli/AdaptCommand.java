package io.github.twolayer.cli;

import io.github.twolayer.data.AtomicFiles;
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
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Representation (from pretrain).")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "The task's samples: .npz (X, y) or .csv.")
  Path data;

  @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--seed", defaultValue = "" + io.github.twolayer.moments.RecoveryOptions.DEFAULT_SEED,
      description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Adapted model (JSON).")
  Path out;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    AtomicFiles.checkWritable(out);
    ModelFile representation = ModelFile.read(model);
    MultiTaskDataset task = MultiTaskFiles.read(data);
    Downstream.AdaptationOptions defaults = Downstream.AdaptationOptions.defaults();
    Downstream.Adapted adapted = Downstream.fit(representation.network(), task,
        new Downstream.AdaptationOptions(folds, defaults.lambdas(), seed));
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    diagnostics.put("lambda", adapted.lambda());
    diagnostics.put("cv_accuracy", adapted.cvAccuracy());
    diagnostics.put("train_accuracy", adapted.accuracy(task.x(), task.y(), task.n()));
    Map<String, Object> provenance = new LinkedHashMap<>(representation.provenance());
    provenance.put("algorithm", "adapt");
    provenance.put("representation", model.toString());
    provenance.put("data", data.toString());
    provenance.put("n", task.n());
    provenance.put("seed", seed);
    provenance.put("twolayer", Main.VERSION);
    new ModelFile(adapted.network(), provenance, diagnostics).write(out);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", out.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seed);
    result.put("diagnostics", diagnostics);
    Common.report(commandSpec, output, result);
    return 0;
  }
}
