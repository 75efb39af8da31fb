package io.github.twolayer.cli;

import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.experiments.DemoReport;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.metrics.PredictionError;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.random.Seeds;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code twolayer demo}: the main job on a built-in default. Draws a planted network under a symmetric
 * input law, recovers it by the method of moments, and reports the matched errors.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Planted network → method-of-moments recovery → evaluation, on a built-in default.")
final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  @Option(names = "--out", defaultValue = "twolayer-out/demo", paramLabel = "DIR",
      description = "Folder for model.json, truth.json and run.csv (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin
  GenerateCommand.PlantedOptions planted;

  @Mixin
  Common.MomentVariants variants;

  @Mixin
  Common.OutputOptions output;

  private static Map<String, Object> demoProvenance(Recovery recovery) {
    Map<String, Object> p = recovery.provenance();
    Common.addOrigin(p, "demo");
    return p;
  }

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the output folder " + out + " (" + e.getMessage()
          + "); choose another --out");
    }
    Path modelPath = out.resolve("model.json");
    Path truthPath = out.resolve("truth.json");
    Path csvPath = out.resolve("run.csv");
    try (Outputs outputs = Outputs.reading()) {
      outputs.add(modelPath);
      return run(outputs, start, modelPath, truthPath, csvPath);
    }
  }

  private int run(Outputs outputs, long start, Path modelPath, Path truthPath, Path csvPath) throws IOException {
    Blas.Choice blas = Main.blas(commandSpec);
    GenerateCommand.PlantedOptions.Planted p = planted.draw(blas);
    Recovery recovery;
    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
      RecoveryOptions options = RecoveryOptions.defaults(planted.k()).withReduceInput(!variants.noReduce).withReflectSamples(!variants.plainDetector)
          .withSeed(planted.seedOption.seed).withBlas(blas);
      recovery = MomentRecovery.fit(new RecoverySource.InMemory(p.data()), planted.kAuto() ? options.withK(RecoveryOptions.AUTO_K) : options, progress);
    }
    RecoverCommand.printWarnings(commandSpec, recovery);
    int kRecovered = recovery.network().k();
    if (kRecovered != planted.k()) { // only with --k auto; the errors compare networks of one shape
      commandSpec.commandLine().getErr().println("warning: --k auto chose k = " + kRecovered + " but the planted "
          + "network has " + planted.k() + " hidden units (see the scree plot in the report); use more --n");
    }
    RecoveryError error = kRecovered == planted.k() ? RecoveryError.of(p.truth(), recovery.network()) : null;
    double wError = error == null ? Double.NaN : error.wError();
    double aError = error == null ? Double.NaN : error.aError();
    double mse = PredictionError.mseAgainstTruth(p.truth(), recovery.network(), p.inputs(), 100_000,
        Seeds.generator(Seeds.Stream.TEST_INPUTS, planted.seedOption.seed), blas.implementation());
    double seconds = (System.nanoTime() - start) * 1e-9;

    new ModelFile(recovery.network(), demoProvenance(recovery), recovery.diagnostics().asMap())
        .write(outputs, modelPath);
    new ModelFile(p.truth(), planted.provenance(), Map.of()).write(outputs, truthPath);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("distribution", planted.dist);
    row.put("n", planted.n);
    row.put("d", planted.d);
    row.put("k", planted.k());
    if (planted.kAuto()) {
      row.put("k_selected", kRecovered);
    }
    row.put("l", planted.l);
    row.put("noise", planted.noise);
    row.put("seed", planted.seedOption.seed);
    row.put("w_error", wError);
    row.put("a_error", aError);
    row.put("mse", mse);
    row.put("recover_seconds", recovery.seconds());
    row.put("seconds", seconds);
    String header = String.join(",", row.keySet());
    String values = String.join(",", row.values().stream().map(String::valueOf).toList());
    outputs.write(csvPath, o -> o.write((header + "\n" + values + "\n").getBytes(StandardCharsets.UTF_8)));
    DemoReport.write(outputs, out, row, p.truth(), recovery);
    outputs.commit();
    if (output.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("w_error", wError);
      json.put("a_error", aError);
      json.put("mse", mse);
      json.put("seconds", seconds);
      json.put("out", out.toString());
      json.put("seed", planted.seedOption.seed);
      json.put("diagnostics", recovery.diagnostics().asMap());
      Common.printJson(out(), json);
    } else {
      out().println("twolayer demo: method of moments (Ge et al. 2019) on a planted network");
      Common.printTable(out(), row);
      // Every file, named within the folder: "wrote twolayer-out/demo/: model.json, truth.json, ...",
      // continued under the first file name where it would be wider than the table.
      String folder = "wrote " + out + File.separator + ": ";
      Common.printWrapped(out(), folder + outputs.targets().stream().map(f -> out.relativize(f).toString())
          .collect(Collectors.joining(", ")), Math.min(folder.length(), 40));
    }
    return 0;
  }
}
