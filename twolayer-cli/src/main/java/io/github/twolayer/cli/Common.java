package io.github.twolayer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.CsvSource;
import io.github.twolayer.data.DataFiles;
import io.github.twolayer.data.ModelFile;
import io.github.twolayer.data.NumpySource;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** Options every command shares, and the small helpers around them. */
final class Common {

  /** {@code --seed}: one declaration for every command that draws random numbers. */
  static final class SeedOption {
    @Option(names = "--seed", defaultValue = "" + RecoveryOptions.DEFAULT_SEED,
        paramLabel = "SEED", description = "Random seed: every random choice of the command derives from it, and the "
        + "same seed gives the same bits (default: ${DEFAULT-VALUE}).")
    long seed;
  }

  /** {@code --threads}: worker threads of the algorithm (or parallel runs of reproduce). */
  static final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
        description = "Worker threads (default: all cores; results do not depend on it).")
    Integer threads;

    /** The number given, or every core; refused when not positive. */
    int threadsOrAllCores() {
      int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
      if (t <= 0) {
        throw new IllegalArgumentException("--threads = " + t + " must be positive");
      }
      return t;
    }
  }

  /** {@code --no-standardize}: the raw columns instead of columns scaled to magnitude 1 (mapped back). */
  static final class StandardizeOption {
    @Option(names = "--no-standardize", description = "Work on the raw columns instead of columns scaled to magnitude "
        + "1 (the result is mapped back to your units, so it does not depend on them; without scaling it does); "
        + "for experiments.")
    boolean noStandardize;
  }

  /** {@code --k K|auto} of recover and train. */
  static final class KOption {
    @Option(names = "--k", required = true, paramLabel = "K|auto", description = "Number of hidden units, or auto: "
        + "the number whose singular values stand clearly out of the sampling noise (k_selected and k_evidence in "
        + "the diagnostics; exit 3 when no k is clearly supported).")
    String text;

    /** The number given; 0 for auto. */
    int k() {
      return parseK(text);
    }

    /** --k as a number; 0 for auto. */
    static int parseK(String text) {
      if (text.equals("auto")) {
        return 0;
      }
      try {
        int k = Integer.parseInt(text.strip());
        if (k < 1) {
          throw new NumberFormatException();
        }
        return k;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--k " + text + " is not a number of hidden units: give a positive integer "
            + "or auto");
      }
    }
  }

  /** {@code --out FILE} of the commands that write a model or representation. */
  static final class ModelOutput {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write: .json, "
        + ".npz (the arrays, with provenance and diagnostics in a JSON entry), or .onnx (an ONNX graph in float64, "
        + "for ONNX Runtime or PyTorch).")
    Path out;

    /** Declares the model file as an output of the run (refused when its name says no model format). */
    Path declare(Outputs outputs) {
      ModelFile.requireModelName(out);
      return outputs.add(out);
    }
  }

  /** {@code --model FILE} of the commands that read a model or representation. */
  static final class ModelInput {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model or representation file "
        + "(.json, .npz or .onnx), as recover, train, pretrain or adapt write them.")
    Path model;
  }

  /** The variants of the method of moments that demo and recover share. */
  static final class MomentVariants {
    @Option(names = "--no-reduce", description = "Run on the full d-dimensional input (the paper's plain form) "
        + "instead of the k-dimensional input reduction (docs/ge-method.md, step 2a).")
    boolean noReduce;

    @Option(names = "--plain-detector", description = "Use the plain detector estimator instead of "
        + "averaging each sample with its reflection (−x, y − P x) (same expectation, higher variance).")
    boolean plainDetector;
  }

  /** {@code --out FILE} of the generators: the data file they write. */
  static final class DataOutput {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Data file to write: .npz or .csv "
        + "(generate planted: X.npy with --y-out).")
    Path out;

    /**
     * Declares the data file as an output of the run, refused unless its name ends in one of {@code
     * formats} (also a device or a pipe: its name says the format written through it).
     */
    Path declare(Outputs outputs, String... formats) {
      String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
      if (Arrays.stream(formats).noneMatch(name::endsWith)) {
        throw new IllegalArgumentException("cannot tell the format of " + out + ": name it " + String.join(" or ",
            Arrays.stream(formats).map(f -> "FILE" + f).toList()));
      }
      return outputs.add(out);
    }
  }

  /** The task family of multi-task data drawn here (generate multitask, pretrain --online). */
  static final class TaskFamilyOptions {
    @Option(names = "--d", defaultValue = "50", description = "Input dimension of the task family (default: "
        + "${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--r", defaultValue = "3", description = "Dimension r of the hidden subspace (default: "
        + "${DEFAULT-VALUE}).")
    int r;

    @Option(names = "--tasks", defaultValue = "32", description = "Number of tasks T (default: ${DEFAULT-VALUE}).")
    int tasks;
  }
  private Common() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Loads Jackson's classes by writing and reading a small model-like tree (~0.2 s of class loading
   * that would otherwise sit on the main thread before the first pass and again at the output).
   * Called from Main's preload thread; a failure here only means the main thread loads them itself.
   */
  static void warmUp() {
    try {
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("format", "warm-up");
      tree.put("values", new double[][] {{1.5, -2.0}});
      tree.put("meta", Map.of("n", 1L, "ok", true));
      JSON.readTree(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
    } catch (IOException | RuntimeException ignored) {
      // nothing to do: the classes load on first use instead
    }
  }

  /** --json and --verbose. */
  static final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON object on stdout instead of a table.")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;
  }

  /** Where samples come from: --data FILE or --x X.npy --y Y.npy, with CSV column choices. */
  static final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE", description = "Samples: .npz with arrays X and Y, or .csv.")
    Path data;

    @Option(names = "--x", paramLabel = "X.npy", description = "Inputs as an .npy file (with --y).")
    Path x;

    @Option(names = "--y", paramLabel = "Y.npy", description = "Outputs as an .npy file (with --x).")
    Path y;

    @Option(names = "--x-cols", split = ",", paramLabel = "NAME", description = "CSV input columns, by name "
        + "(default: x0, x1, ...; with only --y-cols given and no x0, every column that is not an output; evaluate: "
        + "the columns the model was fitted on). An unnamed first column, the row index pandas writes, is skipped.")
    List<String> xCols;

    @Option(names = "--y-cols", split = ",", paramLabel = "NAME", description = "CSV output columns, by name "
        + "(default: y0, y1, ...; with only --x-cols given and no y0, every column that is not an input; evaluate: "
        + "the columns the model was fitted on).")
    List<String> yCols;

    boolean given() {
      return data != null || x != null || y != null;
    }

    /** The outputs of a run that reads these samples: none may be one of their files. */
    Outputs outputs() {
      return Outputs.reading(data, x, y);
    }

    RowSource open() throws IOException {
      if (data != null && (x != null || y != null)) {
        throw new IllegalArgumentException("give either --data FILE or --x X.npy --y Y.npy, not both");
      }
      if (data != null) {
        return DataFiles.open(data, xCols, yCols);
      }
      if (x == null || y == null) {
        throw new IllegalArgumentException("no data: pass --data FILE (.npz or .csv) or both --x X.npy and --y Y.npy");
      }
      return DataFiles.open(x, y);
    }
  }

  /** --engine and --master: where the passes over the samples run. */
  static final class EngineOptions {
    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark", description = "Where the passes "
        + "run: local (this machine's cores; .npz, .npy, .csv) or spark (Parquet or CSV through Spark's readers: a "
        + "file, a directory of part files or a glob) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for --engine spark (default: "
        + "spark-submit's, else embedded local[*]).")
    String master;

    boolean spark() {
      return switch (engine) {
        case "local" -> {
          if (master != null) {
            throw new IllegalArgumentException("--master is for --engine spark; add --engine spark or drop --master");
          }
          yield false;
        }
        case "spark" -> true;
        default -> throw new IllegalArgumentException("--engine " + engine + " is not known: use local or spark");
      };
    }

    String name() {
      return engine;
    }

    /** The Spark engine over --data (with the CSV column choices, which apply to Parquet too). */
    Engine open(DataOptions data) {
      requireDataPath(data);
      return open(data.data.toString(), data.xCols, data.yCols);
    }

    /** Spark reads --data PATH, not .npy pairs. */
    private static void requireDataPath(DataOptions data) {
      if (data.data == null || data.x != null || data.y != null) {
        throw new IllegalArgumentException("--engine spark reads --data PATH (Parquet or CSV: a file, a directory or a "
            + "glob), not --x/--y; convert .npy data with the local engine or to Parquet");
      }
    }

    /**
     * The samples of a recovery: --data read by Spark, or the local file, which the library keeps in
     * memory when it fits ({@link RecoverySource#of}).
     */
    RecoverySource recoverySource(DataOptions data) throws IOException {
      if (spark()) {
        requireDataPath(data);
        return new RecoverySource.Cluster("spark", master, data.data.toString(), data.xCols, data.yCols);
      }
      return RecoverySource.of(data.open());
    }

    Engine open(String path, List<String> xCols, List<String> yCols) {
      return EngineFactory.named("spark").open(master, path, xCols, yCols);
    }
  }

  /**
   * Megabytes of heap at its peak: the sum over the JVM's heap pools of each pool's peak use, an upper
   * bound on what was in use at any one moment.
   */
  static double peakHeapMegabytes() {
    long bytes = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return Math.round(bytes / 1048576.0 * 10) / 10.0;
  }

  /**
   * Prints a command's result: one JSON object with --json, else a table in which the nested
   * "diagnostics" are listed inline (their "warnings" go to stderr, where each command prints them, and
   * per-run lists stay in the JSON and the model file).
   */
  static void report(picocli.CommandLine.Model.CommandSpec spec, OutputOptions output, Map<String, Object> result) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      printJson(out, result);
      return;
    }
    Map<String, Object> table = new LinkedHashMap<>(result);
    if (table.remove("diagnostics") instanceof Map<?, ?> diagnostics) {
      diagnostics.forEach((k, v) -> {
        if (!"warnings".equals(k) && !"runs".equals(k)) {
          table.put(String.valueOf(k), v);
        }
      });
    }
    printTable(out, table);
  }

  static void printJson(PrintWriter out, Map<String, Object> fields) {
    try {
      out.println(JSON.writeValueAsString(clean(fields)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Non-finite numbers have no JSON form: they become null. */
  static Map<String, Object> clean(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v instanceof Double d && !Double.isFinite(d)) {
        out.put(k, null);
      } else if (v instanceof Map<?, ?> inner) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cast = (Map<String, Object>) inner;
        out.put(k, clean(cast));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The widest line a table prints: what a terminal shows without wrapping. */
  static final int TABLE_WIDTH = 100;

  /** Lists longer than this are summarized in a table (their length, min, median, max); JSON keeps them whole. */
  static final int LIST_IN_FULL = 8;

  /**
   * Prints "name  value" rows, names padded to one width, each line at most {@link #TABLE_WIDTH}
   * characters: a long value continues on the next lines under its column (only a single word longer
   * than the column, such as a long path, can exceed it). Absent values (null) are left out: the JSON
   * keeps them as null.
   */
  static void printTable(PrintWriter out, Map<String, Object> rows) {
    // A map of numbers (e.g. pass_seconds) or of lists of numbers (column_scales: x and y) becomes one
    // row per entry, "name: entry", like the other rows.
    Map<String, Object> flat = new LinkedHashMap<>();
    rows.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m && !m.isEmpty()
          && m.values().stream().allMatch(x -> x instanceof Number || isNumberList(x))) {
        m.forEach((sub, x) -> flat.put(k + ": " + sub, x));
      } else {
        flat.put(k, v);
      }
    });
    flat.values().removeIf(Objects::isNull);
    int width = flat.keySet().stream().mapToInt(String::length).max().orElse(0);
    flat.forEach((k, v) -> printWrapped(out, String.format("%-" + width + "s  %s", k, format(v)), width + 2));
  }

  /**
   * Prints a line of text, broken after a comma or at a space so that no line is longer than {@link
   * #TABLE_WIDTH}; the lines after the first start with {@code indent} spaces.
   */
  static void printWrapped(PrintWriter out, String line, int indent) {
    String rest = line;
    String margin = "";
    // A column narrower than this would break a value into a list of words; past it, long lines are left.
    int room = Math.max(TABLE_WIDTH, indent + 24);
    while (margin.length() + rest.length() > room) {
      int limit = room - margin.length();
      int cut = rest.lastIndexOf(' ', limit);
      if (cut <= indent - margin.length()) {
        break; // one word longer than the column (a path): printed whole
      }
      out.println(margin + rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut + 1).stripLeading();
      margin = " ".repeat(indent);
    }
    out.println(margin + rest);
  }

  private static boolean isNumberList(Object v) {
    return v instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(x -> x instanceof Number);
  }

  static String format(Object v) {
    if (v instanceof Double d) {
      if (Double.isNaN(d)) {
        return "-";
      }
      double a = Math.abs(d);
      return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format("%.3e", d) : String.format("%.4f", d);
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      return nested(v);
    }
    return String.valueOf(v);
  }

  /**
   * Lists and maps inside a table cell: numbers to 3 significant digits ({@code [0.208, 0.204]}); a
   * list longer than {@link #LIST_IN_FULL} as a summary ({@link #summary}).
   */
  private static String nested(Object v) {
    if (v instanceof Double d) {
      if (d == 0) {
        return "0"; // not "0.00": no digits to show
      }
      return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.3g", d);
    }
    if (v instanceof List<?> list) {
      if (list.size() > LIST_IN_FULL) {
        return summary(list);
      }
      return list.stream().map(Common::nested).collect(Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> e.getKey() + "=" + nested(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(v);
  }

  /**
   * A long list in a few words: numbers as "100 values, min 0.199, median 0.219, max 0.236"; records
   * (maps, such as k_evidence's {k, rank_snr}) as "20 entries: k from 1 to 20, rank_snr from 0.516 to
   * 56.1", the range of each of their numeric fields; anything else as its first entries and the count.
   */
  static String summary(List<?> list) {
    if (list.stream().allMatch(x -> x instanceof Number)) {
      double[] finite = list.stream().mapToDouble(x -> ((Number) x).doubleValue()).filter(Double::isFinite).sorted()
          .toArray();
      boolean integral = list.stream().allMatch(x -> x instanceof Integer || x instanceof Long);
      StringBuilder b = new StringBuilder(list.size() + " values");
      if (finite.length > 0) {
        int n = finite.length;
        double median = n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
        b.append(", min ").append(number(finite[0], integral)).append(", median ").append(number(median, integral))
            .append(", max ").append(number(finite[n - 1], integral));
      }
      if (finite.length < list.size()) {
        b.append(", ").append(list.size() - finite.length).append(" not finite");
      }
      return b.toString();
    }
    if (list.stream().allMatch(x -> x instanceof Map<?, ?>)) {
      Map<String, List<Object>> fields = new LinkedHashMap<>();
      for (Object entry : list) {
        ((Map<?, ?>) entry).forEach((k, x) -> fields.computeIfAbsent(String.valueOf(k), f -> new ArrayList<>())
            .add(x));
      }
      StringBuilder b = new StringBuilder(list.size() + " entries");
      String sep = ": ";
      for (var field : fields.entrySet()) {
        List<Object> values = field.getValue();
        if (values.stream().allMatch(x -> x instanceof Number)) {
          boolean integral = values.stream().allMatch(x -> x instanceof Integer || x instanceof Long);
          var stats = values.stream().mapToDouble(x -> ((Number) x).doubleValue()).filter(Double::isFinite)
              .summaryStatistics();
          if (stats.getCount() > 0) {
            b.append(sep).append(field.getKey()).append(" from ").append(number(stats.getMin(), integral))
                .append(" to ").append(number(stats.getMax(), integral));
            sep = ", ";
          }
        }
      }
      return b.toString();
    }
    return list.stream().limit(LIST_IN_FULL).map(Common::nested)
        .collect(Collectors.joining(", ", "[", ", … " + list.size() + " in all]"));
  }

  private static String number(double v, boolean integral) {
    return integral && v == Math.rint(v) ? Long.toString((long) v) : nested(v);
  }

  /**
   * What the library's provenance of a result cannot know: where its samples came from and this
   * program's version; then the BLAS that ran, as the library recorded it, moved after the version
   * (where model files have it).
   */
  static void addOrigin(Map<String, Object> provenance, String data) {
    Object blas = provenance.remove("blas");
    Object note = provenance.remove("blas_note");
    provenance.put("data", data);
    provenance.put("twolayer", Main.VERSION);
    if (blas != null) {
      provenance.put("blas", blas);
      if (note != null) {
        provenance.put("blas_note", note);
      }
    }
  }

  /**
   * The CSV column names a model was fitted from, as "x_cols" and "y_cols" of its provenance (evaluate
   * reads other files by them); none when the data do not name their columns (arrays). Always those of
   * this command's data: adapt starts from its representation's provenance, whose names it replaces.
   */
  static void putColumns(Map<String, Object> provenance, RowSource.Columns columns) {
    provenance.remove("x_cols");
    provenance.remove("y_cols");
    if (columns.named()) {
      provenance.put("x_cols", columns.x());
      provenance.put("y_cols", columns.y());
    }
  }

  /** The column names a model's provenance records under {@code key} (x_cols, y_cols), or null. */
  static List<String> columnsOf(Map<String, Object> provenance, String key) {
    if (!(provenance.get(key) instanceof List<?> names) || names.isEmpty()
        || !names.stream().allMatch(n -> n instanceof String)) {
      return null;
    }
    return names.stream().map(String.class::cast).toList();
  }
}
