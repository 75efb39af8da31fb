package io.github.twolayer.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Samples in a CSV file with a header row. Input columns default to {@code x0..x{d-1}} and output
 * columns to {@code y0..y{l-1}} (every header name of that form, in numeric order); other names can be
 * chosen. Plain files (no quote character) that fit the memory budget are read whole when opened, in
 * parallel ({@link CsvLoader}); larger ones are indexed once and parsed in parallel on every pass
 * ({@link CsvIndex}), so they are never held in memory; files with quoted fields are parsed by Commons
 * CSV on every pass. All give the values of {@link Double#parseDouble} and the same errors.
 */
public final class CsvSource implements RowSource {
  private final Path file;
  private final List<String> xColumns;
  private final List<String> yColumns;
  private final long n;
  private final CsvIndex index; // the fast path for plain files; null: Commons CSV (quoted fields)
  private final Dataset data;   // a plain file that fit in memory, read whole by CsvLoader; else null

  private CsvSource(Path file, List<String> xColumns, List<String> yColumns, long n, CsvIndex index, Dataset data) {
    this.file = file;
    this.xColumns = List.copyOf(xColumns);
    this.yColumns = List.copyOf(yColumns);
    this.n = n;
    this.index = index;
    this.data = data;
  }

  /** True when the file was read whole into memory when it was opened (passes then read no file). */
  public boolean inMemory() {
    return data != null;
  }

  /**
   * Opens the file, resolves the columns and counts the rows (one parsing pass).
   *
   * @param xColumns input column names, or null for x0, x1, ...
   * @param yColumns output column names, or null for y0, y1, ...
   */
  public static CsvSource open(Path file, List<String> xColumns, List<String> yColumns) throws IOException {
    return open(file, xColumns, yColumns, (long) (Runtime.getRuntime().maxMemory() * 0.4));
  }

  /**
   * As {@link #open(Path, List, List)}; a plain file whose values (and one copy of them) need fewer than
   * {@code memoryBudget} bytes is read whole now, others are indexed and streamed on every pass.
   */
  static CsvSource open(Path file, List<String> xColumns, List<String> yColumns, long memoryBudget)
      throws IOException {
    List<String> header;
    try (CSVParser parser = parser(file)) {
      header = parser.getHeaderNames();
      if (header.isEmpty()) {
        throw new IllegalArgumentException(file + " is empty: a CSV file needs a header row and samples");
      }
      List<String> xs = xColumns != null ? xColumns : DataFiles.numbered(header, "x");
      List<String> ys = yColumns != null ? yColumns : DataFiles.numbered(header, "y");
      if (xs.isEmpty()) {
        throw new IllegalArgumentException(file + " has no input columns x0, x1, ... (header: " + header
            + "); name them so or pass --x-cols");
      }
      if (ys.isEmpty()) {
        throw new IllegalArgumentException(file + " has no output columns y0, y1, ... (header: " + header
            + "); name them so or pass --y-cols");
      }
      for (String c : concat(xs, ys)) {
        if (!header.contains(c)) {
          throw new IllegalArgumentException(file + " has no column '" + c + "' (header: " + header + ")");
        }
      }
      long[] head = head(file);
      if (head != null) {
        long dataStart = head[0];
        long rows = head[1];
        CsvRows format = new CsvRows(file, header, xs, ys);
        // Read whole (one parallel pass, no index) when the values and a copy of them fit the budget.
        if (rows * (xs.size() + ys.size()) * 16 < memoryBudget) {
          Dataset whole = CsvLoader.load(format, dataStart, rows);
          if (whole != null) {
            return new CsvSource(file, xs, ys, whole.size(), null, whole);
          }
        } else {
          CsvIndex fast = CsvIndex.build(format, dataStart);
          if (fast != null) {
            if (fast.rows() == 0) {
              throw new IllegalArgumentException(file + " has a header but no samples");
            }
            return new CsvSource(file, xs, ys, fast.rows(), fast, null);
          }
        }
      }
      long count = 0;
      for (CSVRecord record : parser) {
        if (!record.isConsistent()) {
          throw CsvRows.fieldCount(file, parser.getCurrentLineNumber(), Integer.toString(record.size()), header.size());
        }
        count++;
      }
      if (count == 0) {
        throw new IllegalArgumentException(file + " has a header but no samples");
      }
      return new CsvSource(file, xs, ys, count, null, null);
    }
  }

  /**
   * From the first megabyte: the byte offset just past the header line and the number of rows estimated
   * from the mean length of the lines after it; null when the header has a quote (Commons CSV then reads
   * the file).
   */
  private static long[] head(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      byte[] head = in.readNBytes(1 << 20);
      int dataStart = -1;
      for (int i = 0; i < head.length && dataStart < 0; i++) {
        if (head[i] == '"') {
          return null;
        }
        if (head[i] == '\n') {
          dataStart = i + 1;
        }
      }
      if (dataStart < 0) {
        if (head.length == 1 << 20) {
          return null;
        }
        dataStart = head.length;
      }
      int lines = 0;
      for (int i = dataStart; i < head.length; i++) {
        lines += head[i] == '\n' ? 1 : 0;
      }
      long rows = lines == 0 ? 1 : (long) Math.ceil((size - dataStart) / ((double) (head.length - dataStart) / lines));
      return new long[] {dataStart, rows};
    }
  }

  /** The header names of a CSV file. */
  public static List<String> header(Path file) throws IOException {
    try (CSVParser parser = parser(file)) {
      return parser.getHeaderNames();
    }
  }

  static CSVParser parser(Path file) throws IOException {
    try {
      Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
          .setTrim(true).get().parse(reader);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("data file " + file + " does not exist; check the path");
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public int d() {
    return xColumns.size();
  }

  @Override
  public int l() {
    return yColumns.size();
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public String description() {
    return file.toString();
  }

  /** True when the file was read whole (blocks are views of its arrays); streamed blocks share one buffer. */
  @Override
  public boolean blocksOutliveNextCall() {
    return data != null;
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) throws IOException {
    int d = d();
    int l = l();
    if (data != null) {
      data.forEachBlock(maxRows, consumer);
      return;
    }
    if (index != null) {
      index.forEachBlock(maxRows, consumer);
      return;
    }
    double[] x = new double[maxRows * d];
    double[] y = new double[maxRows * l];
    try (CSVParser parser = parser(file)) {
      Map<String, Integer> index = parser.getHeaderMap();
      int[] xi = xColumns.stream().mapToInt(index::get).toArray();
      int[] yi = yColumns.stream().mapToInt(index::get).toArray();
      long row = 0;
      int inBlock = 0;
      for (CSVRecord record : parser) {
        if (!record.isConsistent()) {
          throw new IllegalArgumentException(file + " line " + parser.getCurrentLineNumber()
              + " has the wrong number of fields; the file is truncated or malformed");
        }
        for (int j = 0; j < d; j++) {
          x[inBlock * d + j] = parse(record, xi[j], row, xColumns.get(j));
        }
        for (int j = 0; j < l; j++) {
          y[inBlock * l + j] = parse(record, yi[j], row, yColumns.get(j));
        }
        inBlock++;
        row++;
        if (inBlock == maxRows) {
          consumer.accept(new RowBlock(row - inBlock, inBlock, x, 0, y, 0));
          inBlock = 0;
        }
      }
      if (inBlock > 0) {
        consumer.accept(new RowBlock(row - inBlock, inBlock, x, 0, y, 0));
      }
      if (row != n) {
        throw new IllegalArgumentException(file + " changed while reading: " + row + " rows now, " + n + " before");
      }
    }
  }

  private double parse(CSVRecord record, int column, long row, String name) {
    String text = record.get(column);
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw CsvRows.notANumber(file, text, row, name);
    }
  }
}
