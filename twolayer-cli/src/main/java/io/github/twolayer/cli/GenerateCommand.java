package io.github.twolayer.cli;

import io.github.twolayer.data.CsvWriter;
import io.github.twolayer.data.DataFiles;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.Heap;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NpyHeader;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.sampling.SymmetricDistribution;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
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

    /** A network drawn from the seed, its --dist law and samples, the outputs computed on {@code blas}. */
    Planted draw(Blas.Choice blas) {
      return draw(null, null, blas);
    }

    /**
     * Samples of {@code teacher} (null: a network drawn from the seed) under {@code inputLaw} (null: the
     * --dist law), the outputs computed on {@code blas}.
     */
    Planted draw(TwoLayerNet teacher, SymmetricDistribution inputLaw, Blas.Choice blas) {
      UniformRandomProvider rng = Seeds.root(seedOption.seed);
      Planted law = law(rng, teacher, inputLaw);
      return new Planted(law.truth(), law.inputs(), PlantedNetworks.sample(law.truth(), law.inputs(), n, noise, rng,
          blas));
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

    /**
     * Whether n samples of the network can be drawn at once: X, Y and the hidden activations (n·(d + l +
     * k) doubles) within the heap's share for samples kept in memory ({@link Heap#fitsCache}, the rule of the
     * readers' caches), and every array within Java's array size.
     */
    boolean fitsInMemory(TwoLayerNet teacher, SymmetricDistribution inputLaw) {
      int dims = inputLaw != null ? inputLaw.d() : teacher != null ? teacher.d() : d;
      int units = teacher != null ? teacher.k() : k();
      int outs = teacher != null ? teacher.l() : l;
      double bytes = 8.0 * n * (dims + outs + units);
      return Heap.fitsCache(bytes)
          && (long) n * Math.max(dims, Math.max(units, outs)) < Integer.MAX_VALUE - 16;
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
        + "X.npy), streamed in blocks of up to 16 MB: any n in bounded memory (each block from its own seeded "
        + "stream, so not the same samples as an .npz or CSV of n that fits in memory; larger .npz and CSV files "
        + "are streamed the same way, with the same samples as the pair).")
    Path yOut;

    @Option(names = "--truth", required = true, paramLabel = "FILE", description = "Model file of the true network.")
    Path truth;

    @Option(names = "--teacher", paramLabel = "FILE", description = "Plant this network instead of one drawn from "
        + "--seed: a model file, .json or .npz with W (k×d) and A (l×k), e.g. a PyTorch nn.Linear(d, k, bias=False) "
        + "→ ReLU → nn.Linear(k, l, bias=False) saved by np.savez(FILE, W=..., A=...), or that network as .onnx "
        + "(torch.onnx.export); d, k, l come from it.")
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
      if (planted.kAuto()) {
        throw new IllegalArgumentException("--k auto chooses k when recovering; generate plants a network, so give its "
            + "number of hidden units (--k " + PlantedOptions.DEFAULT_K + ")");
      }
      try (Outputs outputs = Outputs.reading(teacher, inputs)) {
        for (Path f : yOut == null ? new Path[] {} : new Path[] {out, yOut}) {
          if (!f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new IllegalArgumentException("with --y-out both files are .npy arrays: name them X.npy and Y.npy ("
                + f + ")");
          }
        }
        if (yOut == null && !name(out).endsWith(".npz") && !name(out).endsWith(".csv")) {
          throw new IllegalArgumentException("cannot tell the format of " + out + ": name it FILE.npz or FILE.csv "
              + "(or X.npy with --y-out Y.npy)");
        }
        outputs.add(out);
        if (yOut != null) {
          outputs.add(yOut);
        }
        ModelFile.requireModelName(truth);
        outputs.add(truth);
        return run(outputs);
      }
    }

    private static String name(Path file) {
      return file.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private int run(Outputs outputs) throws IOException {
      long start = System.nanoTime();
      TwoLayerNet teacherNet = teacher == null ? null : teacher();
      SymmetricDistribution inputLaw = inputLaw(teacherNet);
      PlantedOptions.Planted p;
      // Samples that fit in the heap are drawn at once from --seed; larger ones are drawn and written in
      // blocks, each from its own stream (as --y-out always does), so memory stays bounded for any n.
      boolean streamed = yOut != null || !planted.fitsInMemory(teacherNet, inputLaw);
      if (streamed) {
        p = planted.law(Seeds.root(planted.seedOption.seed), teacherNet, inputLaw);
      } else {
        p = planted.draw(teacherNet, inputLaw, Main.blas(commandSpec));
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
      if (streamed) {
        provenance.put("block_rows", blockRows(p.truth()));
      }
      // Both files or neither: the data are never left without the truth they came from, nor an old truth
      // lost to a run that failed.
      new ModelFile(p.truth(), provenance, Map.of()).write(outputs, truth);
      if (yOut != null) {
        writePair(outputs, p);
      } else if (streamed) {
        writeBlocks(outputs, p);
      } else {
        DataFiles.write(outputs, out, p.data());
      }
      outputs.commit();
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
      DataFiles.Inputs rows = DataFiles.readInputs(inputs);
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
        x = Distributions.centered(x, rows.n(), rows.d());
      }
      return Distributions.symmetrized(x, rows.d());
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

    /**
     * Bytes a block of streamed samples may take (its X, Y and hidden activations): small enough for a
     * 64 MB heap beside the write buffers, large enough that the noise level of each block (a multiple of
     * its y's standard deviation) is estimated from tens of thousands of rows.
     */
    static final long BLOCK_BYTES = 16L << 20;

    /**
     * Rows of a block of streamed samples: a power of two (at least 2¹⁰) whose samples fit in {@link
     * #BLOCK_BYTES}. It depends on the network's shape only, never on the heap, so that the same seed
     * gives the same samples on any machine.
     */
    static int blockRows(TwoLayerNet net) {
      long perRow = 8L * (net.d() + net.l() + net.k());
      return (int) Math.max(1 << 10, Math.min(1 << 20, Long.highestOneBit(BLOCK_BYTES / perRow)));
    }

    /** Block {@code b} of the streamed samples, drawn from its own stream. */
    private Dataset block(PlantedOptions.Planted p, int b) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancelledException();
      }
      int block = blockRows(p.truth());
      int rows = (int) Math.min(block, planted.n - (long) b * block);
      return PlantedNetworks.sample(p.truth(), p.inputs(), rows, planted.noise,
          Seeds.generator(Seeds.Stream.GENERATED_BLOCK, planted.seedOption.seed, b), Main.blas(commandSpec));
    }

    private int blocks(PlantedOptions.Planted p) {
      int block = blockRows(p.truth());
      return (int) ((planted.n + (long) block - 1) / block);
    }

    /** Streams n samples into X.npy and Y.npy, block by block. */
    void writePair(Outputs outputs, PlantedOptions.Planted p) throws IOException {
      int d = p.truth().d();
      int l = p.truth().l();
      int n = planted.n;
      try (TerminalProgress progress = TerminalProgress.forTerminal();
          OutputStream xs = outputs.open(out);
          OutputStream ys = outputs.open(yOut)) {
        NpyHeader.writeFloat64(xs, n, d, false);
        NpyHeader.writeFloat64(ys, n, l, false);
        for (int b = 0; b < blocks(p); b++) {
          Dataset chunk = block(p, b);
          NumpyWriter.writeValues(xs, chunk.X());
          NumpyWriter.writeValues(ys, chunk.Y());
          progress.update("generating", Math.min(n, (long) (b + 1) * blockRows(p.truth())), n);
        }
      }
    }

    /**
     * Streams n samples into an .npz (X, then Y: each array's blocks are drawn twice, for the entry's
     * checksum and for its bytes) or a CSV, block by block.
     */
    void writeBlocks(Outputs outputs, PlantedOptions.Planted p) throws IOException {
      int n = planted.n;
      try (TerminalProgress progress = TerminalProgress.forTerminal()) {
        if (name(out).endsWith(".csv")) {
          outputs.write(out, stream -> {
            PrintWriter w = CsvWriter.writer(stream);
            w.println(CsvWriter.header(p.truth().d(), p.truth().l()));
            for (int b = 0; b < blocks(p); b++) {
              CsvWriter.writeRows(w, block(p, b));
              progress.update("generating", Math.min(n, (long) (b + 1) * blockRows(p.truth())), n);
            }
            w.flush();
          });
          return;
        }
        Map<String, NumpyWriter.Streamed> arrays = new LinkedHashMap<>();
        String[] names = {"X", "Y"};
        int[] cols = {p.truth().d(), p.truth().l()};
        for (int a = 0; a < 2; a++) {
          boolean isX = a == 0;
          int width = cols[a];
          arrays.put(names[a], new NumpyWriter.Streamed() {
            @Override
            public long rows() {
              return n;
            }

            @Override
            public int cols() {
              return width;
            }

            @Override
            public void write(OutputStream values) throws IOException {
              for (int b = 0; b < blocks(p); b++) {
                Dataset chunk = block(p, b);
                NumpyWriter.writeValues(values, isX ? chunk.X() : chunk.Y());
              }
            }
          });
        }
        outputs.write(out, stream -> NumpyWriter.writeNpzStreamed(stream, arrays));
      }
    }
  }
}
