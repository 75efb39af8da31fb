package io.github.twolayer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens users' sample files by their extension (CONTRACT.md, "Data files"). */
public final class DataFiles {
  private DataFiles() {}

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
    String name = data.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
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
   * as they run without a gap; empty when there is no prefix0.
   */
  public static List<String> numbered(List<String> names, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; names.contains(prefix + i); i++) {
      out.add(prefix + i);
    }
    return out;
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
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    double[] rows;
    int d;
    if (name.endsWith(".npy")) {
      try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        NpyHeader h = NpyHeader.read(in, file.toString());
        rows = ArrayReader.readAll(h, in);
        d = h.cols();
      }
    } else if (name.endsWith(".npz")) {
      try (java.util.zip.ZipFile zip = NpzArray.open(file)) {
        NpzArray x = NpzArray.read(zip, "X");
        List<String> members = NpzArray.members(zip);
        if (x == null && members.size() == 1) {
          x = NpzArray.read(zip, members.get(0));
        }
        if (x == null) {
          throw new IllegalArgumentException(file + " has no array X (it holds " + members + "); save the inputs "
              + "as np.savez(path, X=X)");
        }
        rows = x.values();
        d = x.header().cols();
      }
    } else if (name.endsWith(".csv")) {
      try (org.apache.commons.csv.CSVParser parser = CsvSource.parser(file)) {
        List<String> header = parser.getHeaderNames();
        List<String> cols = numbered(header, "x");
        if (cols.isEmpty()) {
          cols = header;
        }
        if (cols.isEmpty()) {
          throw new IllegalArgumentException(file + " is empty: a CSV file needs a header row and rows of inputs");
        }
        int[] at = cols.stream().mapToInt(header::indexOf).toArray();
        d = cols.size();
        double[] buf = new double[1024 * d];
        long row = 0;
        for (org.apache.commons.csv.CSVRecord r : parser) {
          if (!r.isConsistent()) {
            throw new IllegalArgumentException(file + " line " + parser.getCurrentLineNumber()
                + " has the wrong number of fields; the file is truncated or malformed");
          }
          if ((row + 1) * d > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.toIntExact(Math.min(Integer.MAX_VALUE - 16, 2L * buf.length)));
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
        rows = java.util.Arrays.copyOf(buf, (int) row * d);
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
