package io.github.twolayer.cli;

import io.github.twolayer.data.CsvHeader;
import io.github.twolayer.data.CsvSource;
import io.github.twolayer.data.JsonFiles;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.metrics.PredictionError;
import io.github.twolayer.metrics.RecoveryError;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.multitask.Downstream;
import io.github.twolayer.multitask.SubspaceTruth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code twolayer evaluate}: against a planted truth, the matched recovery errors (docs/ge-method.md); against
 * a subspace truth, how well the first layer found it (docs/collins-method.md, "Metrics"); on data, the MSE, or the
 * accuracy for binary labels.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score a model: matched recovery errors against a planted truth, subspace metrics against a "
        + "multi-task truth, MSE or accuracy on data.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  Common.ModelInput input;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "A planted network (generate planted) or a subspace truth (generate multitask).")
  Path truth;

  @Mixin
  Common.DataOptions data;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    ModelFile model = ModelFile.read(input.model);
    TwoLayerNet net = model.network();
    Map<String, Object> result = new LinkedHashMap<>();
    if (truth == null && !data.given()) {
      if (net.l() > 0) {
        throw new IllegalArgumentException("nothing to evaluate against: pass --truth FILE and/or --data FILE");
      }
      // A representation on its own: what its first layer learned, for users with real tasks.
      result.putAll(spectrum(net));
      Common.report(commandSpec, output, result);
      return 0;
    }
    if (truth != null) {
      if (isSubspaceTruth(truth)) {
        SubspaceTruth t = SubspaceTruth.read(truth);
        SubspaceMetrics m = SubspaceMetrics.of(net.W(), net.k(), net.d(), t.family().basis(), t.family().r());
        result.put("energy_out", m.energyOut());
        result.put("subspace_dist", m.subspaceDist());
        result.put("coverage", m.coverage());
        result.put("principal_angles", Arrays.stream(m.principalAngles()).boxed().toList());
      } else {
        RecoveryError e = RecoveryError.of(ModelFile.read(truth).network(), net);
        result.put("w_error", e.wError());
        result.put("a_error", e.aError());
      }
    }
    if (!data.given()) {
      result.put("mse", null);
    } else if (isCsv()) {
      scoreCsv(model, result);
    } else if (isLabelledNpz()) {
      result.put("accuracy", accuracy(net, MultiTaskFiles.read(data.data), Main.blas(commandSpec).implementation()));
    } else {
      result.put("mse", PredictionError.mse(net, data.open(), Main.blas(commandSpec).implementation()));
    }
    Common.report(commandSpec, output, result);
    return 0;
  }

  /**
   * The singular values of a representation's W (m×d, descending) and the number of directions it
   * learned, r_estimated: the j with the largest ratio s_j / s_{j+1} (pretraining concentrates the
   * rows of W on an r-dimensional subspace, leaving the other d − r singular values small), with that
   * ratio as r_gap. A layer without a clear gap (r_gap below 2, e.g. random features) reports
   * r_estimated as its full rank min(m, d).
   */
  static Map<String, Object> spectrum(TwoLayerNet rep) {
    double[] s = Matrices.svd(rep.W(), rep.k(), rep.d()).s();
    int best = s.length;
    double gap = 1;
    for (int j = 0; j + 1 < s.length; j++) {
      double ratio = s[j + 1] > 0 ? s[j] / s[j + 1] : Double.POSITIVE_INFINITY;
      if (ratio > gap) {
        gap = ratio;
        best = j + 1;
      }
    }
    if (gap < 2) {
      best = s.length;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("singular_values", Arrays.stream(s).boxed().toList());
    m.put("r_estimated", best);
    m.put("r_gap", gap);
    return m;
  }

  static boolean isSubspaceTruth(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("truth file " + file + " does not exist; check the path");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz") || name.endsWith(".onnx")) {
      return false; // a network as arrays (a model .npz, or a teacher saved by NumPy) or as an ONNX graph
    }
    return SubspaceTruth.FORMAT.equals(JsonFiles.read(file, "truth file").path("format")
        .asText());
  }

  /** --data FILE.csv alone (with --x/--y as well, opening the data says which to drop). */
  private boolean isCsv() {
    return data.data != null && data.x == null && data.y == null
        && data.data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  /** Binary-task arrays: an .npz with y (not Y). */
  private boolean isLabelledNpz() throws IOException {
    return data.data != null && data.data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")
        && Files.exists(data.data) && MultiTaskFiles.isMultiTaskNpz(data.data);
  }

  /**
   * The MSE, or the accuracy for binary labels, on a CSV file read once (it may be a pipe). Columns not
   * chosen by --x-cols and --y-cols are the ones the model was fitted on when its provenance names them.
   * Binary labels: a column y without --y-cols, and a model of binary tasks (adapt, pretrain) or, for a
   * model that does not name its columns, a header without y0.
   */
  private void scoreCsv(ModelFile model, Map<String, Object> result) throws IOException {
    Blas blas = Main.blas(commandSpec).implementation();
    List<String> modelX = Common.columnsOf(model.provenance(), "x_cols");
    List<String> modelY = Common.columnsOf(model.provenance(), "y_cols");
    boolean binaryTasks = model.network().l() == 0
        || List.of("adapt", "multitask").contains(model.provenance().get("algorithm"));
    List<String> xs = data.xCols != null ? data.xCols : modelX;
    boolean[] labelled = {false};
    CsvSource source = CsvSource.open(data.data, header -> {
      if (data.xCols == null && modelX != null) {
        requireModelColumns(header, modelX, "inputs", "--x-cols");
      }
      labelled[0] = data.yCols == null && header.has("y") && (modelY == null ? !header.has("y0") : binaryTasks);
      if (labelled[0]) {
        return MultiTaskFiles.columns(header, xs);
      }
      if (data.yCols == null && modelY != null) {
        requireModelColumns(header, modelY, "outputs", "--y-cols");
      }
      return header.choose(xs, data.yCols != null ? data.yCols : modelY, true);
    });
    if (labelled[0]) {
      result.put("accuracy", accuracy(model.network(), MultiTaskFiles.tasks(source), blas));
    } else {
      result.put("mse", PredictionError.mse(model.network(), source, blas));
    }
  }

  /** Refuses a file that lacks a column the model was fitted on, saying where the name came from. */
  private void requireModelColumns(CsvHeader header, List<String> names, String role, String flag) {
    for (String name : names) {
      if (!header.names().contains(name)) {
        throw new IllegalArgumentException(header.file() + " has no column '" + name + "', one of the " + role
            + " the model was fitted on (" + CsvHeader.listed(names) + "); choose this file's columns with " + flag);
      }
    }
  }

  static double accuracy(TwoLayerNet net, MultiTaskDataset labelled, Blas blas) {
    if (net.l() != 1) {
      throw new IllegalArgumentException("accuracy needs a model with one output (from adapt), but this one has l = "
          + net.l() + (net.l() == 0 ? " (a representation: run adapt first)" : ""));
    }
    if (net.d() != labelled.d()) {
      throw new IllegalArgumentException("the model expects d = " + net.d() + " inputs but the data have "
          + labelled.d());
    }
    return Downstream.accuracy(net, labelled.x(), labelled.y(), labelled.n(), blas);
  }
}
