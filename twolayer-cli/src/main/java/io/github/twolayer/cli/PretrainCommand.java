package io.github.twolayer.cli;

import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.CsvHeader;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.MultiTaskFiles;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.multitask.Baselines;
import io.github.twolayer.multitask.Loss;
import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.multitask.PretrainingSource;
import io.github.twolayer.multitask.Representation;
import io.github.twolayer.multitask.SubspaceTruth;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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

  @Option(names = "--rounds", defaultValue = "auto", paramLabel = "K|auto", description = "Rounds K, or auto: "
      + "rounds at the --lr-w step until a loss on samples held out of training (a fifth of each task's rows, or "
      + "fresh ones online) stops falling, then a decaying step until it settles (at most 2000 rounds; rounds_used "
      + "and stop_reason say what happened) (default: ${DEFAULT-VALUE}).")
  String rounds;

  /** --rounds as the options take it: a positive number, or {@link PretrainingOptions#AUTO_ROUNDS}. */
  int rounds() {
    if (rounds.strip().equals("auto")) {
      return PretrainingOptions.AUTO_ROUNDS;
    }
    try {
      int k = Integer.parseInt(rounds.strip());
      if (k > 0) {
        return k;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("--rounds " + rounds + " is not a number of rounds: give a positive integer "
        + "or auto");
  }

  @Option(names = "--n1", defaultValue = "256", description = "Head-step samples per task (default: ${DEFAULT-VALUE}).")
  int n1;

  @Option(names = "--n2", defaultValue = "auto", paramLabel = "N|auto", description = "Representation-step samples "
      + "per task, or auto: max(256, d/2), at most the largest task's rows (the W step's noise off the subspace "
      + "grows with d/n₂) (default: ${DEFAULT-VALUE}).")
  String n2;

  /** --n2 as the options take it: a positive number, or {@link PretrainingOptions#AUTO_SAMPLES}. */
  int n2() {
    if (n2.strip().equals("auto")) {
      return PretrainingOptions.AUTO_SAMPLES;
    }
    try {
      int n = Integer.parseInt(n2.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("--n2 " + n2 + " is not a number of samples: give a positive integer or "
        + "auto");
  }

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
    if (online == (data != null)) {
      throw new IllegalArgumentException("give exactly one of --data FILE or --online");
    }
    if (truthOut != null && !online) {
      throw new IllegalArgumentException("--truth FILE writes the subspace that --online draws; with --data the "
          + "subspace is the data's: give it as --subspace FILE, or drop --truth");
    }
    try (Outputs outputs = Outputs.reading(data, subspace)) {
      modelOutput.declare(outputs);
      if (truthOut != null) {
        outputs.add(truthOut);
      }
      return run(outputs);
    }
  }

  private int run(Outputs outputs) throws IOException {
    long start = System.nanoTime();
    SubspaceTruth truth = subspace == null ? null : SubspaceTruth.read(subspace);
    boolean spark = engine.spark();
    PretrainingOptions options = options(spark);
    Representation rep;
    String source;
    RowSource.Columns columns = RowSource.Columns.NONE;
    try (TerminalProgress progress = TerminalProgress.forTerminal()) {
      if (spark) {
        try (Engine cluster = engine.open(data.toString(), null, List.of("y", "task"))) {
          if (truth != null) {
            truth.requireDimension(cluster.d());
          }
          rep = MultiTaskPretraining.fit(new PretrainingSource.Passes(cluster), options,
              Progress.NONE);
        }
        source = data.toString();
      } else if (online) {
        if (truth == null) { // a fresh family and its tasks, drawn from the seed
          truth = SubspaceTruth.drawHalfspaces(shape.d, shape.r, shape.tasks, seedOption.seed);
        }
        rep = MultiTaskPretraining.fit(new PretrainingSource.Online(truth), options, progress);
        source = "online";
      } else if (options.sampling() == PretrainingOptions.Sampling.BERNOULLI) {
        RowSource rows = CachingSource.ifItFits(MultiTaskFiles.rows(data));
        requireSeveralTasks(options, rows.columns());
        if (truth != null) {
          truth.requireDimension(rows.d());
        }
        rep = MultiTaskPretraining.fit(new PretrainingSource.Rows(rows), options, progress);
        source = data.toString();
        columns = rows.columns();
      } else {
        MultiTaskFiles.Loaded tasks = MultiTaskFiles.load(data, null); // the labels and ids are checked first
        requireSeveralTasks(options, tasks.columns());
        rep = MultiTaskPretraining.fit(new PretrainingSource.Tasks(tasks.data(), truth), options, progress);
        source = data.toString();
        columns = tasks.columns();
      }
    }
    for (String w : rep.warnings()) {
      commandSpec.commandLine().getErr().println("warning: " + w);
    }
    if (online && truthOut != null) {
      truth.write(outputs, truthOut);
    }
    Map<String, Object> diagnostics = new LinkedHashMap<>(rep.diagnostics());
    if (truth != null) {
      SubspaceMetrics m = SubspaceMetrics.of(rep.network().W(), rep.width(), rep.d(), truth.family().basis(),
          truth.family().r());
      diagnostics.put("energy_out", m.energyOut());
      diagnostics.put("subspace_dist", m.subspaceDist());
      diagnostics.put("coverage", m.coverage());
    }
    Map<String, Object> provenance = rep.provenance();
    provenance.put("engine", engine.name());
    Common.addOrigin(provenance, source);
    Common.putColumns(provenance, columns);
    new ModelFile(rep.network(), provenance, diagnostics).write(outputs, modelOutput.out);
    outputs.commit();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("out", modelOutput.out.toString());
    result.put("seconds", (System.nanoTime() - start) * 1e-9);
    result.put("seed", seedOption.seed);
    result.put("peak_heap_mb", Common.peakHeapMegabytes());
    result.put("diagnostics", diagnostics);
    Common.report(commandSpec, output, result);
    return 0;
  }

  /**
   * Refuses a file without task ids when pretraining itself is asked for: it reads as one task (downstream
   * data, as adapt takes them), and a layer shared across tasks cannot be learned from one.
   */
  void requireSeveralTasks(PretrainingOptions options, RowSource.Columns columns) throws IOException {
    if (options.baseline() != Baselines.Kind.NONE) {
      return; // a single-task baseline (or random or oracle features) needs no task ids
    }
    // A CSV's columns are known from its one read (a pipe cannot be read twice); an .npz's from its entries.
    String missing = columns.x().isEmpty() ? MultiTaskFiles.missingTaskIds(data)
        : columns.y().contains("task") ? null
        : data + " has no column 'task' (its columns are " + CsvHeader.listed(
            Stream.concat(columns.x().stream(), columns.y().stream()).toList()) + ")";
    if (missing != null) {
      throw new IllegalArgumentException(missing + ", so its rows read as one task; pretraining needs several tasks: "
          + "give each row its task id 0..T−1 (np.savez(path, X=X, y=y, task=task), or a CSV column task); the data "
          + "of one task are for adapt");
    }
  }

  /** The flags as options: --sampling (default subsets here, bernoulli on a cluster), --baseline, the rest. */
  PretrainingOptions options(boolean spark) {
    PretrainingOptions.Sampling how = PretrainingOptions.Sampling.of(sampling != null ? sampling
        : spark ? "bernoulli" : "subsets");
    if (spark && how == PretrainingOptions.Sampling.SUBSETS) {
      throw new IllegalArgumentException("--sampling subsets needs the tasks in memory; --engine spark samples with "
          + "--sampling bernoulli");
    }
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
    PretrainingOptions o = PretrainingOptions.defaults(width).withRounds(m == PretrainingOptions.Mode.THEORY ? 1 : rounds()).withSamples(n1, n2())
        .withLoss(Loss.of(loss.toLowerCase(Locale.ROOT))).withHeads(h).withRates(lrHead, lrW).withBias(!noBias)
        .withSeed(seedOption.seed).withPrecision(PretrainingOptions.Precision.of(precision)).withSampling(how)
        .withBaseline(Baselines.Kind.of(baseline)).withStandardize(!standardizeOption.noStandardize)
        .withBlas(Main.blas(commandSpec));
    if (m == PretrainingOptions.Mode.THEORY) {
      o = o.inTheoryMode();
    }
    return threadsOption.threads == null ? o : o.withThreads(threadsOption.threads);
  }

}
