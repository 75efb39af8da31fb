package io.github.twolayer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Multi-task data files: {@code .npz} with arrays {@code X} (n×d), {@code y} (n, ±1) and {@code task} (n,
 * integers 0..T−1), or CSV with columns x0..x{d−1}, y, task (inputs under other names: every column but y
 * and task). A file without a task array or column is one task (all ids 0), as downstream data are.
 */
public final class MultiTaskFiles {
  private MultiTaskFiles() {}

  public static MultiTaskDataset read(Path file) throws IOException {
    return load(file, null).data();
  }

  /** Multi-task samples and the names of their columns (for CSV; {@link RowSource.Columns#NONE} for .npz). */
  public record Loaded(MultiTaskDataset data, RowSource.Columns columns) {}

  /**
   * The samples of a multi-task file, with the names of their columns.
   *
   * @param xColumns CSV input columns, or null for x0, x1, ... (else every column but y and task)
   */
  public static Loaded load(Path file, List<String> xColumns) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("data file " + file + " does not exist; check the path");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      return new Loaded(readNpz(file), RowSource.Columns.NONE);
    }
    if (name.endsWith(".csv")) {
      CsvSource source = CsvSource.open(file, h -> columns(h, xColumns));
      return new Loaded(tasks(source), source.columns());
    }
    throw new IllegalArgumentException("cannot tell the format of " + file + ": use .npz (X, y, task) or .csv");
  }

  /**
   * The rows of a multi-task file as samples streamed block by block, for passes over files larger than
   * memory: inputs x, outputs (y, task), or only y when the file has no task array or column (one task).
   */
  public static RowSource rows(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("data file " + file + " does not exist; check the path");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      DataFiles.requireRegularFile(file);
      boolean hasTask;
      try (ZipFile zip = new ZipFile(file.toFile())) {
        hasTask = zip.getEntry("task.npy") != null;
      } catch (ZipException e) {
        throw new IllegalArgumentException(file + " is not a readable .npz archive (" + e.getMessage()
            + "); it may be truncated: re-save it with numpy.savez");
      }
      return NumpySource.npz(file, "X", hasTask ? List.of("y", "task") : List.of("y"));
    }
    if (name.endsWith(".csv")) {
      return CsvSource.open(file, h -> columns(h, null));
    }
    throw new IllegalArgumentException("cannot tell the format of " + file + ": use .npz (X, y, task) or .csv");
  }

  /**
   * The columns of a multi-task CSV file: inputs x0, x1, ... (or those given; else every column but y and
   * task), outputs y and, when the header has one, task.
   */
  public static RowSource.Columns columns(CsvHeader header, List<String> xColumns) {
    if (!header.has("y")) {
      throw new IllegalArgumentException(header.file() + " has no column 'y' (its columns: "
          + CsvHeader.listed(header.columns()) + "); multi-task CSV files hold the inputs (x0, x1, ...), the labels "
          + "±1 in a column named y and the task ids 0..T−1 in one named task: rename the label column y");
    }
    return header.choose(xColumns, header.has("task") ? List.of("y", "task") : List.of("y"), false);
  }

  /** Multi-task samples from a CSV source opened with {@link #columns}: labels y, then task ids when present. */
  public static MultiTaskDataset tasks(CsvSource source) {
    String file = source.description();
    boolean hasTask = source.columns().y().equals(List.of("y", "task"));
    Dataset all = Dataset.load(source);
    int n = all.size();
    int d = all.d();
    double[] y = new double[n];
    int[] task = new int[n];
    int l = all.l();
    for (int i = 0; i < n; i++) {
      y[i] = all.Y()[i * l];
      if (hasTask) {
        double v = all.Y()[i * l + 1];
        if (v != Math.rint(v) || v < 0) {
          throw new IllegalArgumentException(file + ": task id " + v + " in row " + i + " is not an integer 0..T−1");
        }
        task[i] = (int) v;
      }
    }
    return new MultiTaskDataset(n, d, all.X(), y, task);
  }

  /**
   * Null when a multi-task .npz has task ids (an array {@code task}) or is not an .npz; otherwise what it
   * holds instead, e.g. "tasks.npz has no array 'task' (it holds X, y)": such a file reads as one task. (A
   * CSV's columns say it, from {@link #columns}.)
   */
  public static String missingTaskIds(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        return zip.getEntry("task.npy") != null ? null
            : file + " has no array 'task' (it holds " + String.join(", ", NpzArray.members(zip)) + ")";
      } catch (ZipException e) {
        return null; // not an archive: the reader says so
      }
    }
    return null;
  }

  /** Whether an .npz holds multi-task arrays (a lower-case {@code y}) rather than regression outputs Y. */
  public static boolean isMultiTaskNpz(Path file) throws IOException {
    if (DataFiles.notRegular(file) != null) {
      return false; // the reader that opens it refuses it by name
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.getEntry("y.npy") != null && zip.getEntry("Y.npy") == null;
    } catch (ZipException e) {
      return false;
    }
  }

  private static MultiTaskDataset readNpz(Path file) throws IOException {
    DataFiles.requireRegularFile(file);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IllegalArgumentException(file + " is not a readable .npz archive (" + e.getMessage()
          + "); it may be truncated: re-save it with numpy.savez");
    }
    try (zip) {
      NpzArray x = array(zip, "X", true);
      NpzArray y = array(zip, "y", true);
      NpzArray task = array(zip, "task", false);
      int n = (int) x.header().rows();
      if (n == 0) {
        throw new IllegalArgumentException(file + " holds no samples (0 rows); save at least one row");
      }
      if (x.header().cols() == 0) {
        throw DataFiles.noColumns("X in " + file, x.header(), "the inputs need at least one column; save them as an "
            + "(n, d) array with d ≥ 1");
      }
      if (y.header().rows() != n || y.header().cols() != 1) {
        throw new IllegalArgumentException(file + ": y must be a vector of n = " + n + " labels, but has shape "
            + y.header().rows() + "×" + y.header().cols());
      }
      int[] ids = new int[n];
      if (task != null) {
        if (task.header().rows() != n || task.header().cols() != 1) {
          throw new IllegalArgumentException(file + ": task must be a vector of n = " + n + " ids, but has shape "
              + task.header().rows() + "×" + task.header().cols());
        }
        for (int i = 0; i < n; i++) {
          double v = task.values()[i];
          if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": task id " + v + " in row " + i
                + " is not an integer 0..T−1");
          }
          ids[i] = (int) v;
        }
      }
      return new MultiTaskDataset(n, x.header().cols(), x.values(), y.values(), ids);
    }
  }

  private static NpzArray array(ZipFile zip, String name, boolean required) throws IOException {
    NpzArray a = NpzArray.read(zip, name);
    if (a == null && required) {
      throw new IllegalArgumentException(zip.getName() + " has no array '" + name + "' (it holds "
          + NpzArray.members(zip) + "); multi-task data need X, y and task: np.savez(path, X=X, y=y, task=task)");
    }
    return a;
  }

  /** Writes .npz (X, y, task) or .csv (x0.., y, task), completely or not at all. */
  public static void write(Path file, MultiTaskDataset data) throws IOException {
    try (Outputs outputs = Outputs.reading()) {
      write(outputs, file, data);
      outputs.commit();
    }
  }

  /** Writes the data as one of a run's {@code outputs} (committed with the others). */
  public static void write(Outputs outputs, Path file, MultiTaskDataset data) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int n = data.n();
    int d = data.d();
    if (name.endsWith(".npz")) {
      double[] task = new double[n];
      for (int i = 0; i < n; i++) {
        task[i] = data.task()[i];
      }
      Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
      arrays.put("X", NumpyWriter.Array.matrix(data.x(), n, d));
      arrays.put("y", NumpyWriter.Array.vector(data.y()));
      arrays.put("task", NumpyWriter.Array.vector(task));
      outputs.write(file, out -> NumpyWriter.writeNpz(out, arrays, Map.of()));
    } else if (name.endsWith(".csv")) {
      outputs.write(file, out -> {
        PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        for (int p = 0; p < d; p++) {
          line.append('x').append(p).append(',');
        }
        w.println(line.append("y,task"));
        for (int i = 0; i < n; i++) {
          line.setLength(0);
          for (int p = 0; p < d; p++) {
            line.append(data.x()[i * d + p]).append(',');
          }
          line.append((int) data.y()[i]).append(',').append(data.task()[i]);
          w.println(line);
        }
        w.flush();
      });
    } else {
      throw new IllegalArgumentException("cannot tell the format of " + file + ": name it .npz or .csv");
    }
  }
}
