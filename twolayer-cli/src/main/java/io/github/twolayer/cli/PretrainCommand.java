package io.github.twolayer.cli;

import io.github.twolayer.data.AtomicFiles;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.multitask.SubspaceTruth;
import io.github.twolayer.sampling.TaskFamily;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.multitask.Baselines;
import io.github.twolayer.multitask.DataParallelPretraining;
import io.github.twolayer.multitask.Loss;
import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.multitask.Representation;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.pass.ScaledEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code twolayer pretrain}: Collins et al. (2024) multi-task pretraining of the shared first layer. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pretrain a shared first layer on many binary tasks (Collins et al. 2024), from a data file or "
        + "with fresh samples every round (--online).")
final class PretrainCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "FILE", description = "Multi-task data: .npz (X, y, task) or .csv.")
  Path data;

  @Option(names = "--online", description = "Draw fresh samples every round from T halfspace tasks.")
  boolean online;

  @Mixin
  Common.TaskFamilyOptions shape;

  @Option(names = "--subspace", paramLabel = "FILE",
      description = "A truth file: online tasks are its tasks; with --data it scores the result and serves --baseline oracle.")
  Path subspace;

  @Option(names = "--truth", paramLabel = "FILE", description = "Online: write the drawn subspace and tasks here.")
  Path truthOut;

  @Option(names = "--width", required = true, description = "Hidden units m.")
  int width;

  @Option(names = "--rounds", defaultValue = "100", description = "Rounds K (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--n1", defaultValue = "256", description = "Head-step samples per task (default: ${DEFAULT-VALUE}).")
  int n1;

  @Option(names = "--n2", defaultValue = "256", description = "Representation-step samples per task (default: ${DEFAULT-VALUE}).")
  int n2;

  @Option(names = "--mode", defaultValue = "practice", description = "practice or theory (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--loss", defaultValue = "logistic", description = "logistic, hinge or linear (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--heads", defaultValue = "reset",
      description = "reset (head-first, the paper), persistent, simultaneous-zero, simultaneous-random (default: ${DEFAULT-VALUE}).")
  String heads;

  @Option(names = "--baseline", defaultValue = "none",
      description = "none, single-task, random-features or oracle (default: ${DEFAULT-VALUE}).")
  String baseline;

  @Option(names = "--lr-w", defaultValue = "10", description = "lr_W; the W step is lr_W·m (default: ${DEFAULT-VALUE}).")
  double lrW;

  @Option(names = "--lr-head", defaultValue = "1", description = "Head step size η_h (default: ${DEFAULT-VALUE}).")
  double lrHead;

  @Option(names = "--no-bias", description = "No first-layer biases.")
  boolean noBias;

  @Option(names = "--precision", defaultValue = "float32", paramLabel = "float32|float64", description = "Arithmetic "
      + "of a round: float32 batches every task into large native products; float64 runs task by task in double "
      + "precision (default: ${DEFAULT-VALUE}).")
  String precision;

  @Mixin
  Common.ThreadsOption threadsOption;

  @Mixin
  Common.SeedOption seedOption;

  @Mixin
  Common.ModelOutput modelOutput;

  @Mixin
  Common.EngineOptions engine;

  @Option(names = "--sampling", paramLabel = "subsets|bernoulli", description = "How a round picks S¹ and S² from "
      + "--data: subsets (n₁ and n₂ rows per task; data in memory) or bernoulli (each row by a hash of its contents, "
      + "n₁ and n₂ on average; one pass per step, so it streams and runs on Spark) (default: subsets locally, bernoulli "
      + "on Spark).")
  String sampling;

  @Mixin
  Common.StandardizeOption standardizeOption;

  @Mixin
  Common.OutputOptions output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    if (online == (data != null)) {
      throw new IllegalArgumentException("give exactly one of --data FILE or --online");
    }
    AtomicFiles.checkWritable(modelOutput.out);
    if (truthOut != null) {
      AtomicFiles.checkWritable(truthOut);
    }
    PretrainingOptions options = options();
    Baselines.Kind base = Baselines.Kind.of(baseline);
    SubspaceTruth truth = subspace == null ? null : SubspaceTruth.read(subspace);
    boolean spark = engine.spark();
    boolean bernoulli = sampling(spark);
    if (bernoulli && (online || base != Baselines.Kind.NONE)) {
      throw new IllegalArgumentException("--sampling bernoulli" + (spark ? " (and --engine spark)" : "")
          + " pretrains on --data without a baseline; drop " + (online ? "--online" : "--baseline " + baseline));
    }
    TaskSampler sampler = null;
    double[] sx = null; // the inputs' scales when pretraining on standardized columns
    RowSource rows = null; // --sampling bernoulli on this machine: streamed, or cached when it fits
    String source;
    if (spark) {
      source = data.toString();
    } else if (online) {
      if (truth == null) {
        UniformRandomProvider rng = io.github.twolayer.sampling.Seeds.generator(io.github.twolayer.sampling.Seeds.Stream.TASK_FAMILY, seedOption.seed);
        TaskFamily family = TaskFamily.draw(shape.d, shape.r, TaskFamily.Kind.HALFSPACE, 0, rng);
        truth = new SubspaceTruth(family, TaskSampler.drawTasks(family, shape.tasks, rng), seedOption.seed);
      }
      if (truth.tasks().isEmpty()) {
        throw new IllegalArgumentException(subspace + " holds no tasks to draw from");
      }
      sampler = TaskSampler.online(truth.family(), truth.tasks());
      source = "online";
    } else if (bernoulli) {
      rows = Common.inMemoryIfItFits(MultiTaskFiles.rows(data));
      source = data.toString();
    } else {
      io.github.twolayer.data.MultiTaskDataset tasksData = MultiTaskFiles.read(data);
      if (standardize(base)) {
        sx = io.github.twolayer.model.ColumnScaling.nearestPowersOfTwo(
            io.github.twolayer.model.ColumnScaling.rmsScales(tasksData.x(), tasksData.d()));
        tasksData = scaled(tasksData, sx);
      }
      sampler = TaskSampler.finite(tasksData);
      source = data.toString();
    }
    if (sampler != null || rows != null) {
      checkDimension(truth, sampler != null ? sampler.d() : rows.d());
    }
    Representation rep;
    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
      if (spark) {
        try (io.github.twolayer.pass.Engine cluster = engine.open(data.toString(), null, List.of("y", "task"))) {
          checkDimension(truth, cluster.d());
          sx = standardize(base) ? inputScales(cluster) : null;
          rep = DataParallelPretraining.fit(sx == null ? cluster : new ScaledEngine(cluster, sx, new double[] {1, 1}),
              options, io.github.twolayer.progress.Progress.NONE, (round, w) -> {});
        }
      } else if (bernoulli) {
        try (LocalEngine local = new LocalEngine(rows, options.threads(), LocalEngine.blockRowsFor(rows.d(), rows.l()),
            progress)) {
          sx = standardize(base) ? inputScales(local) : null;
          rep = DataParallelPretraining.fit(sx == null ? local : new ScaledEngine(local, sx, new double[] {1, 1}),
              options, progress, (round, w) -> {});
        }
      } else {
        rep = baseline(base, sampler, truth, options, progress);
      }
    }
    if (sx != null) { // pretrained on standardized inputs: the first layer in the data's units, W = W' S
      rep = new Representation(new io.github.twolayer.model.ColumnScaling(sx, new double[0]).mapBack(rep.network()),
          rep.options(), rep.tasks(), rep.rounds(), rep.seconds());
    }
    if (online && truthOut != null) {
      truth.write(truthOut);
    }
    Map<String, Object> diagnostics = new LinkedHashMap<>();
    if (sx != null) {
      // What the inputs were multiplied by while pretraining.
      diagnostics.put("column_scales", Map.of("x", io.github.twolayer.model.ColumnScaling.list(sx)));
    }
    if (truth != null) {
      SubspaceMetrics m = SubspaceMetrics.of(rep.network().W(), rep.width(), rep.d(), truth.family().basis(),
          truth.family().r());
      diagnostics.put("energy_out", m.energyOut());
      diagnostics.put("subspace_dist", m.subspaceDist());
      diagnostics.put("coverage", m.coverage());
    }
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("algorithm", "multitask");
    provenance.put("seed", seedOption.seed);
    provenance.put("tasks", rep.tasks());
    provenance.put("engine", engine.name());
    provenance.put("sampling", online ? "online" : bernoulli ? "bernoulli" : "subsets");
    provenance.put("data", source);
    provenance.put("width", width);
    provenance.put("rounds", options.rounds());
    provenance.put("n1", n1);
    provenance.put("n2", n2);
    provenance.put("mode", mode);
    provenance.put("loss", loss);
    provenance.put("heads", heads);
    provenance.put("baseline", base.label);
    provenance.put("lr_w", lrW);
    provenance.put("lr_head", lrHead);
    provenance.put("precision", rep.options().precision().label);
    provenance.put("twolayer", Main.VERSION);
    Common.putBlas(provenance);
    new ModelFile(rep.network(), provenance, diagnostics).write(modelOutput.out);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", modelOutput.out.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seedOption.seed);
    result.put("peak_heap_mb", Common.peakHeapMegabytes());
    result.put("diagnostics", diagnostics);
    Common.report(commandSpec, output, result);
    return 0;
  }

  static Representation baseline(Baselines.Kind base, TaskSampler sampler, SubspaceTruth truth, PretrainingOptions options,
      TerminalProgress progress) {
    return switch (base) {
      case NONE -> MultiTaskPretraining.fit(sampler, options, progress, (round, w) -> {});
      case SINGLE_TASK -> Baselines.singleTask(sampler, options);
      case RANDOM_FEATURES -> Baselines.randomFeatures(sampler.d(), options);
      case ORACLE -> {
        if (truth == null) {
          throw new IllegalArgumentException("--baseline oracle needs the subspace: pass --subspace FILE");
        }
        yield Baselines.oracle(truth.family().basis(), truth.family().d(), truth.family().r(), options);
      }
    };
  }

  /**
   * Whether to pretrain on standardized input columns, mapped back afterwards: for --data, unless
   * --no-standardize; not for the baselines that do not look at the data. The scales are powers of two
   * near 1/root-mean-square: exact, the same on every engine (whose sums of squares differ in the last
   * bits), and 1 for columns already near unit scale (the spec's x ~ N(0, I) runs are unchanged). So
   * the representation is the same to rounding for power-of-two changes of units; other units leave
   * each column within √2 of unit scale, which the step sizes are calibrated for, and give a
   * statistically equivalent layer (--sampling bernoulli hashes each row's exact bits).
   */
  boolean standardize(Baselines.Kind base) {
    return !standardizeOption.noStandardize && !online && base != Baselines.Kind.RANDOM_FEATURES && base != Baselines.Kind.ORACLE;
  }

  /** 1/root-mean-square of each input column over an engine's samples, to the nearest power of two. */
  static double[] inputScales(io.github.twolayer.pass.Engine data) {
    double[][] rms = io.github.twolayer.pass.ColumnRms.of(data);
    return io.github.twolayer.model.ColumnScaling.nearestPowersOfTwo(
        io.github.twolayer.model.ColumnScaling.of(rms[0], rms[1]).sx());
  }

  /** The tasks with their inputs' columns multiplied by {@code sx} (labels and task ids unchanged). */
  static io.github.twolayer.data.MultiTaskDataset scaled(io.github.twolayer.data.MultiTaskDataset data, double[] sx) {
    double[] x = data.x();
    double[] xs = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xs[i] = x[i] * sx[i % sx.length];
    }
    return new io.github.twolayer.data.MultiTaskDataset(data.n(), data.d(), xs, data.y(), data.task());
  }

  /** The subspace truth (if any) must live in the data's dimension. */
  static void checkDimension(SubspaceTruth truth, int d) {
    if (truth != null && truth.family().d() != d) {
      throw new IllegalArgumentException("the subspace has d = " + truth.family().d() + " but the data d = " + d
          + "; use the truth of these data");
    }
  }

  /** --sampling, checked against the engine. */
  boolean sampling(boolean spark) {
    String chosen = sampling != null ? sampling : spark ? "bernoulli" : "subsets";
    return switch (chosen) {
      case "bernoulli" -> true;
      case "subsets" -> {
        if (spark) {
          throw new IllegalArgumentException("--sampling subsets needs the tasks in memory; --engine spark samples "
              + "with --sampling bernoulli");
        }
        yield false;
      }
      default -> throw new IllegalArgumentException("--sampling " + chosen + " is not known: use subsets or bernoulli");
    };
  }

  PretrainingOptions options() {
    PretrainingOptions.Mode m = switch (mode) {
      case "practice" -> PretrainingOptions.Mode.PRACTICE;
      case "theory" -> PretrainingOptions.Mode.THEORY;
      default -> throw new IllegalArgumentException("--mode " + mode + " is not known: use practice or theory");
    };
    PretrainingOptions.Heads h = switch (heads) {
      case "reset" -> PretrainingOptions.Heads.RESET;
      case "persistent" -> PretrainingOptions.Heads.PERSISTENT;
      case "simultaneous-zero" -> PretrainingOptions.Heads.SIMULTANEOUS_ZERO;
      case "simultaneous-random" -> PretrainingOptions.Heads.SIMULTANEOUS_RANDOM;
      default -> throw new IllegalArgumentException("--heads " + heads + " is not known: use reset, persistent, "
          + "simultaneous-zero or simultaneous-random");
    };
    PretrainingOptions o = PretrainingOptions.defaults(width).withRounds(m == PretrainingOptions.Mode.THEORY ? 1 : rounds).withSamples(n1, n2)
        .withLoss(Loss.of(loss.toLowerCase(Locale.ROOT))).withHeads(h).withRates(lrHead, lrW).withBias(!noBias)
        .withSeed(seedOption.seed).withPrecision(PretrainingOptions.Precision.of(precision));
    if (m == PretrainingOptions.Mode.THEORY) {
      o = o.inTheoryMode();
    }
    return threadsOption.threads == null ? o : o.withThreads(threadsOption.threads);
  }

}
