package io.github.twolayer.cli;

import io.github.twolayer.data.ModelFile;
import io.github.twolayer.metrics.PredictionError;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twolayer evaluate}: matched recovery errors against a truth, prediction error on data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Matched recovery errors of a model against a planted truth (spec §5), and its MSE on data.")
final class EvaluateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  private java.io.PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (JSON).")
  Path model;

  @Option(names = "--truth", paramLabel = "FILE", description = "True network (from generate planted).")
  Path truth;

  @Mixin
  Common.DataOptions data;

  @Mixin
  Common.OutputOptions output;

  @Override
  public Integer call() throws IOException {
    if (truth == null && !data.given()) {
      throw new IllegalArgumentException("nothing to evaluate against: pass --truth FILE and/or --data FILE");
    }
    TwoLayerNet net = ModelFile.read(model).network();
    Map<String, Object> result = new LinkedHashMap<>();
    if (truth != null) {
      RecoveryError e = RecoveryError.of(ModelFile.read(truth).network(), net);
      result.put("w_error", e.wError());
      result.put("a_error", e.aError());
    }
    result.put("mse", data.given() ? PredictionError.mse(net, data.open()) : null);
    if (output.json) {
      Common.printJson(out(), result);
    } else {
      Common.printTable(out(), result);
    }
    return 0;
  }
}
