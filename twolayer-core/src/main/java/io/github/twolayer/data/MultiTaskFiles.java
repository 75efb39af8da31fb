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
import java.util.zip.ZipFile;

/**
 * Multi-task data files (CONTRACT.md): {@code .npz} with arrays {@code X} (n×d), {@code y} (n, ±1) and
 * {@code task} (n, integers 0..T−1), or CSV with columns x0..x{d−1}, y, task. A file without a task
 * array or column is one task (all ids 0), as downstream data are.
 */
public final class MultiTaskFiles {
  private MultiTaskFiles() {}

  public static MultiTaskDataset read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("data file " + file + " does not exist; check the path");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      return readNpz(file);
    }
    if (name.endsWith(".csv")) {
      return readCsv(file);
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
      boolean hasTask;
      try (ZipFile zip = new ZipFile(file.toFile())) {
        hasTask = zip.getEntry("task.npy") != null;
      } catch (java.util.zip.ZipException e) {
        throw new IllegalArgumentException(file + " is not a readable .npz archive (" + e.getMessage()
            + "); it may be truncated: re-save it with numpy.savez");
      }
      return NumpySource.npz(file, "X", hasTask ? List.of("y", "task") : List.of("y"));
    }
    if (name.endsWith(".csv")) {
      boolean hasTask = CsvSource.header(file).contains("task");
      return CsvSource.open(file, null, hasTask ? List.of("y", "task") : List.of("y"));
    }
    throw new IllegalArgumentException("cannot tell the format of " + file + ": use .npz (X, y, task) or .csv");
  }

  /**
   * Null when a multi-task file has task ids (an .npz array or a CSV column {@code task}); otherwise what
   * it holds instead, e.g. "tasks.npz has no array 'task' (it holds X, y)": such a file reads as one task.
   */
  public static String missingTaskIds(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        return zip.getEntry("task.npy") != null ? null
            : file + " has no array 'task' (it holds " + String.join(", ", NpzArray.members(zip)) + ")";
      } catch (java.util.zip.ZipException e) {
        return null; // not an archive: the reader says so
      }
    }
    if (name.endsWith(".csv")) {
      List<String> header = CsvSource.header(file);
      List<String> shown = header.size() > 6
          ? List.of(header.get(0), header.get(1), "…", header.get(header.size() - 1)) : header;
      return header.contains("task") ? null
          : file + " has no column 'task' (its columns are " + String.join(", ", shown) + ")";
    }
    return null;
  }

  /** Whether an .npz holds multi-task arrays (a lower-case {@code y}) rather than regression outputs Y. */
  public static boolean isMultiTaskNpz(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.getEntry("y.npy") != null && zip.getEntry("Y.npy") == null;
    } catch (java.util.zip.ZipException e) {
      return false;
    }
  }

  private static MultiTaskDataset readNpz(Path file) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(file + " is not a readable .npz archive (" + e.getMessage()
          + "); it may be truncated: re-save it with numpy.savez");
    }
    try (zip) {
      NpzArray x = array(zip, "X", true);
      NpzArray y = array(zip, "y", true);
      NpzArray task = array(zip, "task", false);
      int n = (int) x.header().rows();
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

  private static MultiTaskDataset readCsv(Path file) throws IOException {
    boolean hasTask = CsvSource.header(file).contains("task");
    CsvSource source = CsvSource.open(file, null, hasTask ? List.of("y", "task") : List.of("y"));
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

  /** Writes .npz (X, y, task) or .csv (x0.., y, task), atomically. */
  public static void write(Path file, MultiTaskDataset data) throws IOException {
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
      NumpyWriter.writeNpz(file, arrays);
    } else if (name.endsWith(".csv")) {
      AtomicFiles.write(file, out -> {
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
