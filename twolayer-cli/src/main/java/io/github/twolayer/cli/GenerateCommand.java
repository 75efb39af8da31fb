package io.github.twolayer.cli;

import io.github.twolayer.data.AtomicFiles;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.sampling.SymmetricDistribution;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.RecoveryOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code twolayer generate planted ...}: synthetic data with a known answer. */
@Command(name = "generate", description = "Generate synthetic data.", mixinStandardHelpOptions = true,
    subcommands = {GenerateCommand.Planted.class, MultiTaskGenerate.class})
final class GenerateCommand implements Runnable {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing kind: try 'twolayer generate planted --help'");
  }

  /** The options of a planted network and its samples, shared with {@code demo}. */
  static final class PlantedOptions {
    @Option(names = "--dist", defaultValue = "gaussian",
        description = "Input law: gaussian, gaussian-cov, cube, rademacher, mixture, student-t (default: ${DEFAULT-VALUE}).")
    String dist;

    @Option(names = "--d", defaultValue = "10", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--k", defaultValue = "" + DEFAULT_K, paramLabel = "K", description = "Hidden units of the planted "
        + "network (default: ${DEFAULT-VALUE}); demo also takes auto: a network of " + DEFAULT_K + " units, recovered with "
        + "k chosen from the data.")
    String kOption;

    /** The planted network's hidden units when --k is not given (and under demo --k auto). */
    static final int DEFAULT_K = 5;

    /** demo --k auto: recover with k chosen from the data. */
    boolean kAuto() {
      return kOption.strip().equals("auto");
    }

    /** The planted network's number of hidden units. */
    int k() {
      return kAuto() ? DEFAULT_K : Common.KOption.parseK(kOption);
    }

    @Option(names = "--l", defaultValue = "8", description = "Outputs (default: ${DEFAULT-VALUE}).")
    int l;

    @Option(names = "--n", defaultValue = "1000000", description = "Samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--noise", defaultValue = "0",
        description = "Output noise std as a multiple of the std of the noiseless y (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--cond", description = "Condition number of W (default: standard Gaussian rows).")
    Double cond;

    @Option(names = "--a-cond", defaultValue = "2", description = "Condition number of A (default: ${DEFAULT-VALUE}).")
    double aCond;

    @Option(names = "--cov-cond", defaultValue = "10",
        description = "Condition number of the covariance for gaussian-cov (default: ${DEFAULT-VALUE}).")
    double covCond;

    @Option(names = "--df", defaultValue = "5", description = "Degrees of freedom for student-t (default: ${DEFAULT-VALUE}).")
    double df;

    @Mixin
    Common.SeedOption seedOption;

    /** A planted network, its input law and samples: everything drawn from one generator seeded by --seed. */
    record Planted(TwoLayerNet truth, SymmetricDistribution inputs, Dataset data) {}

    Planted draw() {
      return draw(null, null);
    }

    /**
     * Samples of {@code teacher} (null: a network drawn from the seed) under {@code inputLaw} (null: the
     * --dist law).
     */
    Planted draw(TwoLayerNet teacher, SymmetricDistribution inputLaw) {
      UniformRandomProvider rng = io.github.twolayer.sampling.Seeds.root(seedOption.seed);
      Planted law = law(rng, teacher, inputLaw);
      return new Planted(law.truth(), law.inputs(), PlantedNetworks.sample(law.truth(), law.inputs(), n, noise, rng));
    }

    /** The network and the input law (no samples yet); as {@link #draw(TwoLayerNet, SymmetricDistribution)}. */
    Planted law(UniformRandomProvider rng, TwoLayerNet teacher, SymmetricDistribution inputLaw) {
      if (n <= 0) {
        throw new IllegalArgumentException("--n = " + n + " must be positive");
      }
      Distributions.Parameters params = Distributions.Parameters.defaults().withCovarianceCondition(covCond)
          .withDegreesOfFreedom(df);
      int dims = inputLaw != null ? inputLaw.d() : d;
      TwoLayerNet truth = teacher != null ? teacher
          : PlantedNetworks.draw(new PlantedNetworks.Shape(dims, k(), l, cond == null ? Double.NaN : cond, aCond), rng);
      SymmetricDistribution inputs = inputLaw != null ? inputLaw : Distributions.byName(dist, truth.d(), params, rng);
      return new Planted(truth, inputs, null);
    }

    Map<String, Object> provenance() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("algorithm", "planted");
      p.put("dist", dist);
      p.put("seed", seedOption.seed);
      p.put("n", n);
      p.put("noise", noise);
      p.put("cond", cond);
      p.put("a_cond", aCond);
      if (dist.equals("gaussian-cov")) {
        p.put("cov_cond", covCond);
      }
      if (dist.equals("student-t")) {
        p.put("df", df);
      }
      p.put("twolayer", Main.VERSION);
      return p;
    }
  }

  @Command(name = "planted", mixinStandardHelpOptions = true,
      description = "Sample y = A·relu(W x) + noise under a symmetric input law; write the data and the truth.")
  static final class Planted implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Mixin
    PlantedOptions planted;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Data file to write (.npz or .csv; "
        + "X.npy with --y-out).")
    Path out;

    @Option(names = "--y-out", paramLabel = "Y.npy", description = "Write X and Y as a pair of .npy files (--out "
        + "X.npy), streamed in blocks of 2²⁰ samples: any n in bounded memory (each block from its own seeded "
        + "stream, so not the same samples as the in-memory formats).")
    Path yOut;

    @Option(names = "--truth", required = true, paramLabel = "FILE", description = "Model file of the true network.")
    Path truth;

    @Option(names = "--teacher", paramLabel = "FILE", description = "Plant this network instead of one drawn from "
        + "--seed: a model file, .json or .npz with W (k×d) and A (l×k), e.g. a PyTorch nn.Linear(d, k, bias=False) "
        + "→ ReLU → nn.Linear(k, l, bias=False) saved by np.savez(FILE, W=..., A=...); d, k, l come from it.")
    Path teacher;

    @Option(names = "--inputs", paramLabel = "FILE", description = "Draw the inputs from your data instead of --dist: "
        + "rows of a .npy array, of X in an .npz, or of a CSV's x0, x1, ... columns (all its columns without "
        + "them), picked with replacement from --seed, each with a random sign (needs --symmetrize).")
    Path inputs;

    @Option(names = "--symmetrize", description = "With --inputs: give each drawn row a random sign, so that x and "
        + "−x are equally likely (the symmetrized empirical law), as the method requires. The rows are centered "
        + "first (their mean subtracted; see --no-center).")
    boolean symmetrize;

    @Option(names = "--no-center", description = "With --symmetrize: keep the rows' mean. Symmetrizing uncentered "
        + "rows makes two clusters ±(mean + spread) on which every unit switches with the sign, and the units "
        + "can no longer be told apart.")
    boolean noCenter;

    @Mixin
    Common.OutputOptions output;

    @Override
    public Integer call() throws IOException {
      long start = System.nanoTime();
      AtomicFiles.checkWritable(out);
      AtomicFiles.checkWritable(truth);
      if (planted.kAuto()) {
        throw new IllegalArgumentException("--k auto chooses k when recovering; generate plants a network, so give its "
            + "number of hidden units (--k " + PlantedOptions.DEFAULT_K + ")");
      }
      TwoLayerNet teacherNet = teacher == null ? null : teacher();
      SymmetricDistribution inputLaw = inputLaw(teacherNet);
      PlantedOptions.Planted p;
      if (yOut != null) {
        AtomicFiles.checkWritable(yOut);
        p = planted.law(io.github.twolayer.sampling.Seeds.root(planted.seedOption.seed), teacherNet, inputLaw);
      } else {
        p = planted.draw(teacherNet, inputLaw);
      }
      TwoLayerNet net = p.truth();
      if (net.l() < net.k()) { // the data are still of use (train fits them); say what they cannot do
        commandSpec.commandLine().getErr().println("warning: the network has k = " + net.k() + " hidden units but "
            + "l = " + net.l() + (net.l() == 1 ? " output" : " outputs") + ": the method of moments cannot recover a "
            + "network with fewer outputs than hidden units (recover needs k ≤ l; these data show at most " + net.l()
            + (net.l() == 1 ? " unit" : " units") + "); train can still fit it");
      }
      Map<String, Object> provenance = planted.provenance();
      if (teacher != null) {
        provenance.put("teacher", teacher.toString());
      }
      if (inputs != null) {
        provenance.put("dist", "symmetrized");
        provenance.put("inputs", inputs.toString());
        provenance.put("centered", !noCenter);
      }
      // The truth first: an interrupted or failed run never leaves data without the truth they came from.
      new ModelFile(p.truth(), provenance, Map.of()).write(truth);
      try {
        if (yOut != null) {
          writePair(p);
        } else {
          writeData(out, p.data());
        }
      } catch (IOException | RuntimeException e) {
        java.nio.file.Files.deleteIfExists(truth);
        throw e;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("out", out.toString());
      result.put("truth", truth.toString());
      result.put("seconds", (System.nanoTime() - start) * 1e-9);
      result.put("seed", planted.seedOption.seed);
      result.put("n", planted.n);
      Common.report(commandSpec, output, result);
      return 0;
    }

    /** The symmetrized law of the --inputs rows, or null; their width must be the teacher's d and --d. */
    SymmetricDistribution inputLaw(TwoLayerNet teacherNet) throws IOException {
      if (inputs == null) {
        if (symmetrize) {
          throw new IllegalArgumentException("--symmetrize applies to --inputs FILE; give the file of your inputs");
        }
        return null;
      }
      if (!symmetrize) {
        throw new IllegalArgumentException("--inputs needs --symmetrize: the method requires x and −x to be equally "
            + "likely, so each drawn row gets a random sign; add --symmetrize");
      }
      io.github.twolayer.data.DataFiles.Inputs rows = io.github.twolayer.data.DataFiles.readInputs(inputs);
      if (teacherNet != null && teacherNet.d() != rows.d()) {
        throw new IllegalArgumentException(inputs + " has rows of d = " + rows.d() + " but the teacher " + teacher
            + " takes d = " + teacherNet.d() + " inputs; use inputs of the teacher's width");
      }
      if (commandSpec.commandLine().getParseResult().hasMatchedOption("--d") && planted.d != rows.d()) {
        throw new IllegalArgumentException("--d " + planted.d + " disagrees with " + inputs + " (rows of d = " + rows.d()
            + "); drop --d");
      }
      double[] x = rows.rows();
      if (!noCenter) {
        x = centered(x, rows.n(), rows.d());
      }
      return io.github.twolayer.sampling.Distributions.symmetrized(x, rows.d());
    }

    /** The rows minus their mean (a copy). */
    static double[] centered(double[] rows, int n, int d) {
      double[] mean = new double[d];
      for (int i = 0; i < rows.length; i++) {
        mean[i % d] += rows[i] / n;
      }
      double[] out = rows.clone();
      for (int i = 0; i < out.length; i++) {
        out[i] -= mean[i % d];
      }
      return out;
    }

    /** The --teacher network, checked: a first layer without bias, a second layer, no clash with --d/--k/--l. */
    TwoLayerNet teacher() throws IOException {
      TwoLayerNet net = ModelFile.read(teacher).network();
      if (net.bias() != null) {
        throw new IllegalArgumentException(teacher + " has a first-layer bias: the method recovers y = A·relu(W x) "
            + "without biases (a bias breaks the x ↔ −x symmetry its moments rest on); train the teacher with "
            + "nn.Linear(d, k, bias=False), or drop the bias");
      }
      if (net.l() == 0) {
        throw new IllegalArgumentException(teacher + " has no second layer A (a representation); a teacher needs W "
            + "(k×d) and A (l×k): np.savez(FILE, W=W, A=A)");
      }
      var parsed = commandSpec.commandLine().getParseResult();
      int[] given = {planted.d, planted.k(), planted.l};
      int[] has = {net.d(), net.k(), net.l()};
      String[] names = {"--d", "--k", "--l"};
      for (int i = 0; i < 3; i++) {
        if (parsed.hasMatchedOption(names[i]) && given[i] != has[i]) {
          throw new IllegalArgumentException(names[i] + " " + given[i] + " disagrees with the teacher " + teacher
              + " (d = " + net.d() + ", k = " + net.k() + ", l = " + net.l() + "); drop " + names[i]);
        }
      }
      return net;
    }

    /** Streams n samples into X.npy and Y.npy, block by block, both written atomically. */
    void writePair(PlantedOptions.Planted p) throws IOException {
      for (Path f : new Path[] {out, yOut}) {
        if (!f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
          throw new IllegalArgumentException("with --y-out both files are .npy arrays: name them X.npy and Y.npy ("
              + f + ")");
        }
      }
      int d = p.truth().d();
      int l = p.truth().l();
      int n = planted.n;
      int block = 1 << 20;
      try (TerminalProgress progress = TerminalProgress.forTerminal()) {
        AtomicFiles.write(out, xs -> AtomicFiles.write(yOut, ys -> {
          io.github.twolayer.data.NpyHeader.writeFloat64(xs, n, d, false);
          io.github.twolayer.data.NpyHeader.writeFloat64(ys, n, l, false);
          for (int first = 0, b = 0; first < n; first += block, b++) {
            if (Thread.currentThread().isInterrupted()) {
              throw new io.github.twolayer.progress.CancelledException();
            }
            Dataset chunk = PlantedNetworks.sample(p.truth(), p.inputs(), Math.min(block, n - first), planted.noise,
                io.github.twolayer.sampling.Seeds.generator(io.github.twolayer.sampling.Seeds.Stream.GENERATED_BLOCK, planted.seedOption.seed, b));
            NumpyWriter.writeValues(xs, chunk.X());
            NumpyWriter.writeValues(ys, chunk.Y());
            progress.update("generating", Math.min(n, first + block), n);
          }
        }));
      }
    }
  }

  /** Writes samples as .npz (arrays X, Y) or .csv (columns x0.., y0..), atomically. */
  static void writeData(Path out, Dataset data) throws IOException {
    String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".npz")) {
      Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
      arrays.put("X", NumpyWriter.Array.matrix(data.X(), data.size(), data.d()));
      arrays.put("Y", NumpyWriter.Array.matrix(data.Y(), data.size(), data.l()));
      NumpyWriter.writeNpz(out, arrays);
    } else if (name.endsWith(".csv")) {
      AtomicFiles.write(out, stream -> {
        PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8));
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < data.d(); j++) {
          header.append(j == 0 ? "" : ",").append('x').append(j);
        }
        for (int j = 0; j < data.l(); j++) {
          header.append(",y").append(j);
        }
        w.println(header);
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < data.size(); r++) {
          line.setLength(0);
          for (int j = 0; j < data.d(); j++) {
            line.append(j == 0 ? "" : ",").append(data.X()[r * data.d() + j]);
          }
          for (int j = 0; j < data.l(); j++) {
            line.append(',').append(data.Y()[r * data.l() + j]);
          }
          w.println(line);
        }
        w.flush();
      });
    } else {
      throw new IllegalArgumentException("cannot tell the format of " + out + ": name it .npz or .csv");
    }
  }
}
