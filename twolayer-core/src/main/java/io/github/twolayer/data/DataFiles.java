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
}
