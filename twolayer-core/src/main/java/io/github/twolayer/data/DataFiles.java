package io.github.twolayer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Opens users' sample files by their extension. */
public final class DataFiles {
  private DataFiles() {}

  /**
   * Writes samples as .npz (arrays X, Y) or .csv (columns x0.., y0..; {@link CsvWriter}), as one of a run's
   * outputs (complete or not at all); the file's name says the format.
   */
  public static void write(Outputs outputs, Path out, Dataset data) throws IOException {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
      arrays.put("X", NumpyWriter.Array.matrix(data.X(), data.size(), data.d()));
      arrays.put("Y", NumpyWriter.Array.matrix(data.Y(), data.size(), data.l()));
      outputs.write(out, stream -> NumpyWriter.writeNpz(stream, arrays, Map.of()));
    } else if (name.endsWith(".csv")) {
      outputs.write(out, stream -> CsvWriter.write(stream, data));
    } else {
      throw new IllegalArgumentException("cannot tell the format of " + out + ": name it .npz or .csv");
    }
  }

  /**
   * An {@code .npz} (arrays X, Y) or {@code .csv} file.
   *
   * @param xColumns CSV input columns, or null for x0, x1, ...
   * @param yColumns CSV output columns, or null for y0, y1, ...
   */
  public static RowSource open(Path data, List<String> xColumns, List<String> yColumns) throws IOException {
    if (!Files.exists(data)) {
      throw new IllegalArgumentException("data file " + data + " does not exist; check the path");
    }
    String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      return NumpySource.npz(data);
    }
    if (name.endsWith(".csv")) {
      return CsvSource.open(data, xColumns, yColumns);
    }
    if (name.endsWith(".npy")) {
      throw new IllegalArgumentException(data + " is a single .npy array: pass inputs and outputs as --x X.npy --y Y.npy");
    }
    throw new IllegalArgumentException("cannot tell the format of " + data + ": use a .npz (arrays X, Y) or .csv file");
  }

  /**
   * The default columns of a table (CSV here, Parquet or CSV on Spark): prefix0, prefix1, ... for as long
   * as they run without a gap; empty when there is no prefix0. (CSV files are checked more strictly by
   * {@link CsvHeader}, which refuses a gap.)
   */
  public static List<String> numbered(List<String> names, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; names.contains(prefix + i); i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /**
   * What {@code file} is when it exists but is not a regular file ("a pipe", "a character device", "a
   * folder", ...); null for a regular file or a path that does not exist.
   */
  static String notRegular(Path file) {
    if (!Files.exists(file) || Files.isRegularFile(file)) {
      return null;
    }
    if (Files.isDirectory(file)) {
      return "a folder";
    }
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a pipe";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "not a regular file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return "not a regular file";
    }
  }

  /**
   * Refuses a path that is not a regular file for a format read by position (.npz archives, .npy arrays),
   * which a pipe or device cannot give.
   */
  static void requireRegularFile(Path file) {
    String kind = notRegular(file);
    if (kind != null) {
      throw new IllegalArgumentException(kind.equals("a folder")
          ? file + " is a folder, not a data file; pass the file itself"
          : file + " is not a regular file" + (kind.startsWith("not ") ? "" : " (" + kind + ")")
              + "; save the data to a file first");
    }
  }

  /** The error for an array with no columns, shape n×0. */
  static IllegalArgumentException noColumns(String array, NpyHeader header, String what) {
    return new IllegalArgumentException(array + " has no columns (shape " + header.rows() + "×0): " + what);
  }

  /** A pair of .npy files. */
  public static RowSource open(Path x, Path y) throws IOException {
    return NumpySource.npyPair(x, y);
  }

  /** Rows of inputs only: n×d, row-major. */
  public record Inputs(double[] rows, int n, int d) {}

  /**
   * A user's inputs (no outputs): a .npy array (n×d), the array X of an .npz (or its only array), or a
   * CSV's columns x0, x1, ... (all its columns when it has none so named). Refuses NaN and ±∞ by row
   * and column, like every reader.
   */
  public static Inputs readInputs(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("inputs file " + file + " does not exist; check the path");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    double[] rows;
    int d;
    if (name.endsWith(".npy")) {
      requireRegularFile(file);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        NpyHeader h = NpyHeader.read(in, file.toString());
        if (h.cols() == 0 && h.rows() > 0) {
          throw noColumns(file.toString(), h, "save the inputs as an (n, d) array with d ≥ 1");
        }
        rows = ArrayReader.readAll(h, in);
        d = h.cols();
      }
    } else if (name.endsWith(".npz")) {
      requireRegularFile(file);
      try (ZipFile zip = NpzArray.open(file)) {
        NpzArray x = NpzArray.read(zip, "X");
        List<String> members = NpzArray.members(zip);
        if (x == null && members.size() == 1) {
          x = NpzArray.read(zip, members.get(0));
        }
        if (x == null) {
          throw new IllegalArgumentException(file + " has no array X (it holds " + members + "); save the inputs "
              + "as np.savez(path, X=X)");
        }
        if (x.header().cols() == 0 && x.header().rows() > 0) {
          throw noColumns("X in " + file, x.header(), "save the inputs as an (n, d) array with d ≥ 1");
        }
        rows = x.values();
        d = x.header().cols();
      }
    } else if (name.endsWith(".csv")) {
      // One read of the text (a pipe can be read only once): the columns x0, x1, ..., else every column.
      try (CSVParser parser = CsvSource.parser(file)) {
        CsvHeader header = CsvHeader.of(file, parser.getHeaderNames());
        List<String> cols = header.inputs();
        int[] at = cols.stream().mapToInt(header.names()::indexOf).toArray();
        d = cols.size();
        double[] buf = new double[1024 * d];
        long row = 0;
        try {
          for (CSVRecord r : parser) {
            if (r.size() != header.names().size()) {
              throw new IllegalArgumentException(file + " line " + parser.getCurrentLineNumber()
                  + " has the wrong number of fields; the file is truncated or malformed");
            }
            if ((row + 1) * d > buf.length) {
              buf = Arrays.copyOf(buf, Math.toIntExact(Math.min(Integer.MAX_VALUE - 16, 2L * buf.length)));
            }
            for (int j = 0; j < d; j++) {
              String v = r.get(at[j]);
              try {
                buf[(int) row * d + j] = Double.parseDouble(v);
              } catch (NumberFormatException e) {
                throw CsvRows.notANumber(file, v, row, cols.get(j));
              }
            }
            row++;
          }
        } catch (UncheckedIOException e) {
          throw CsvHeader.malformed(file, parser.getCurrentLineNumber(), e);
        }
        rows = Arrays.copyOf(buf, (int) row * d);
      }
    } else {
      throw new IllegalArgumentException("cannot tell the format of " + file + ": inputs are a .npy array, an .npz "
          + "with X, or a .csv");
    }
    int n = d == 0 ? 0 : rows.length / d;
    if (n == 0) {
      throw new IllegalArgumentException(file + " holds no rows of inputs");
    }
    Finite.require(rows, 0, n, d, 0, "X");
    return new Inputs(rows, n, d);
  }
}
