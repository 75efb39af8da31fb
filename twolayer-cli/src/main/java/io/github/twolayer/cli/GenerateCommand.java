package io.github.twolayer.cli;

import io.github.twolayer.data.AtomicFiles;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NumpyWriter;
import io.github.twolayer.dist.Distributions;
import io.github.twolayer.dist.PlantedNetworks;
import io.github.twolayer.dist.SymmetricDistribution;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.Options;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
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

    @Option(names = "--k", defaultValue = "5", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int k;

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

    @Option(names = "--seed", defaultValue = "" + Options.DEFAULT_SEED, description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** A planted network, its input law and samples: everything drawn from one generator seeded by --seed. */
    record Planted(TwoLayerNet truth, SymmetricDistribution inputs, Dataset data) {}

    Planted draw() {
      return draw(null);
    }

    /** Samples of {@code teacher} (null: a network drawn from the seed) under the input law. */
    Planted draw(TwoLayerNet teacher) {
      UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
      Planted law = law(rng, teacher);
      return new Planted(law.truth(), law.inputs(), PlantedNetworks.sample(law.truth(), law.inputs(), n, noise, rng));
    }

    /** The network ({@code teacher}, or drawn from {@code rng} when null) and the input law (no samples yet). */
    Planted law(UniformRandomProvider rng, TwoLayerNet teacher) {
      if (n <= 0) {
        throw new IllegalArgumentException("--n = " + n + " must be positive");
      }
      Distributions.Parameters params = Distributions.Parameters.defaults().withCovarianceCondition(covCond)
          .withDegreesOfFreedom(df);
      TwoLayerNet truth = teacher != null ? teacher
          : PlantedNetworks.draw(new PlantedNetworks.Shape(d, k, l, cond == null ? Double.NaN : cond, aCond), rng);
      SymmetricDistribution inputs = Distributions.byName(dist, truth.d(), params, rng);
      return new Planted(truth, inputs, null);
    }

    Map<String, Object> provenance() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("algorithm", "planted");
      p.put("dist", dist);
      p.put("seed", seed);
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

    @Mixin
    Common.OutputOptions output;

    @Override
    public Integer call() throws IOException {
      long start = System.nanoTime();
      AtomicFiles.checkWritable(out);
      AtomicFiles.checkWritable(truth);
      TwoLayerNet teacherNet = teacher == null ? null : teacher();
      PlantedOptions.Planted p;
      if (yOut != null) {
        AtomicFiles.checkWritable(yOut);
        p = planted.law(RandomSource.XO_RO_SHI_RO_128_PP.create(planted.seed), teacherNet);
      } else {
        p = planted.draw(teacherNet);
      }
      Map<String, Object> provenance = planted.provenance();
      if (teacher != null) {
        provenance.put("teacher", teacher.toString());
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
      result.put("seed", planted.seed);
      result.put("n", planted.n);
      Common.report(commandSpec, output, result);
      return 0;
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
      int[] given = {planted.d, planted.k, planted.l};
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
              throw new io.github.twolayer.data.RowSource.CancelledException();
            }
            Dataset chunk = PlantedNetworks.sample(p.truth(), p.inputs(), Math.min(block, n - first), planted.noise,
                io.github.twolayer.dist.Seeds.generator(planted.seed, 0x9a1c, b));
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
