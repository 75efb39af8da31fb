package io.github.twolayer.cli;

import io.github.twolayer.data.DataFiles;
import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.multitask.SubspaceTruth;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twolayer generate multitask}: binary tasks whose labels depend on an r-dimensional projection. */
@Command(name = "multitask", mixinStandardHelpOptions = true,
    description = "Sample T binary tasks on x ~ N(0, I_d) whose labels depend only on Mᵀx (M: d×r); write the "
        + "data (X, y, task) and the truth (M and the task parameters).")
final class MultiTaskGenerate implements Callable<Integer> {
  @Mixin
  Common.TaskFamilyOptions shape;

  @Option(names = "--n-per-task", defaultValue = "512", description = "Samples per task (default: ${DEFAULT-VALUE}).")
  int perTask;

  @Option(names = "--family", defaultValue = "halfspace",
      description = "halfspace, biased-halfspace or relu-teacher (default: ${DEFAULT-VALUE}).")
  String family;

  @Option(names = "--label-noise", defaultValue = "0", description = "Probability of flipping a label (default: ${DEFAULT-VALUE}).")
  double labelNoise;

  @Option(names = "--subspace", paramLabel = "FILE",
      description = "Draw new tasks on the subspace of this truth file (e.g. downstream tasks) instead of a new M.")
  Path subspace;

  @Option(names = "--same-tasks", description = "With --subspace: fresh samples of the tasks stored in that file "
      + "(e.g. a test set for a downstream task) instead of new tasks.")
  boolean sameTasks;

  @Mixin
  Common.SeedOption seedOption;

  @Option(names = "--inputs", paramLabel = "FILE", description = "Draw the inputs from your data instead of "
      + "N(0, I_d): rows of a .npy array, of X in an .npz, or of a CSV's x0, x1, ... columns (all its columns "
      + "without them), standardized per column (mean 0, root-mean-square 1, as the task family assumes) and "
      + "picked with replacement from --seed; d comes from the file. The data file holds the standardized rows.")
  Path inputs;

  @Mixin
  Common.DataOutput dataOutput;

  @Option(names = "--truth", required = true, paramLabel = "FILE", description = "Truth file (JSON): M and the tasks.")
  Path truth;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    if (shape.tasks <= 0 || perTask <= 0) {
      throw new IllegalArgumentException("--tasks = " + shape.tasks + " and --n-per-task = " + perTask + " must be positive");
    }
    try (Outputs outputs = Outputs.reading(subspace, inputs)) {
      dataOutput.declare(outputs, ".npz", ".csv");
      outputs.add(truth);
      return run(outputs);
    }
  }

  private int run(Outputs outputs) throws IOException {
    long start = System.nanoTime();
    UniformRandomProvider rng = Seeds.root(seedOption.seed);
    double[] pool = null; // the user's standardized rows, with --inputs
    if (inputs != null) {
      DataFiles.Inputs rows = DataFiles.readInputs(inputs);
      if (commandSpec.commandLine().getParseResult().hasMatchedOption("--d") && shape.d != rows.d()) {
        throw new IllegalArgumentException("--d " + shape.d + " disagrees with " + inputs + " (rows of d = " + rows.d()
            + "); drop --d");
      }
      shape.d = rows.d();
      pool = TaskFamily.standardizedRows(rows.rows(), rows.n(), shape.d);
    }
    TaskFamily fam;
    if (subspace != null) {
      TaskFamily base = SubspaceTruth.read(subspace).family();
      fam = TaskFamily.of(base.d(), base.r(), base.basis(), TaskFamily.Kind.of(family), labelNoise);
    } else {
      fam = TaskFamily.draw(shape.d, shape.r, TaskFamily.Kind.of(family), labelNoise, rng);
    }
    List<TaskFamily.Task> drawn;
    if (sameTasks) {
      if (subspace == null) {
        throw new IllegalArgumentException("--same-tasks needs --subspace FILE: the truth file whose tasks to sample");
      }
      drawn = SubspaceTruth.read(subspace).tasks();
      shape.tasks = drawn.size();
    } else {
      drawn = TaskSampler.drawTasks(fam, shape.tasks, rng);
    }
    long total = (long) shape.tasks * perTask;
    if (total * fam.d() > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(total + " samples of dimension " + fam.d() + " are too many for one file; "
          + "use fewer tasks or samples per task");
    }
    int n = (int) total;
    double[] x = new double[n * fam.d()];
    double[] y = new double[n];
    int[] ids = new int[n];
    if (pool != null && fam.d() != shape.d) {
      throw new IllegalArgumentException(inputs + " has rows of d = " + shape.d + " but the subspace " + subspace
          + " lives in d = " + fam.d() + "; use inputs of that width");
    }
    for (int t = 0; t < shape.tasks; t++) {
      if (pool == null) {
        fam.sample(drawn.get(t), rng, perTask, x, t * perTask * fam.d(), y, t * perTask);
      } else {
        fam.sampleRows(drawn.get(t), pool, rng, perTask, x, t * perTask * fam.d(), y, t * perTask);
      }
      Arrays.fill(ids, t * perTask, (t + 1) * perTask, t);
    }
    // Both files or neither: the data are never left without the truth they came from, nor an old truth
    // lost to a run that failed.
    new SubspaceTruth(fam, drawn, seedOption.seed).write(outputs, truth);
    MultiTaskFiles.write(outputs, dataOutput.out, new MultiTaskDataset(n, fam.d(), x, y, ids));
    outputs.commit();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", dataOutput.out.toString());
    result.put("truth", truth.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seedOption.seed);
    result.put("n", n);
    Common.report(commandSpec, output, result);
    return 0;
  }
}
