package io.github.twolayer.data;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
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
   * @param xColumns input column names, or null for x0, x1, ... (or, with {@code yColumns} given and no x0,
   *     every column that is not an output)
   * @param yColumns output column names, or null for y0, y1, ... (or, with {@code xColumns} given and no y0,
   *     every column that is not an input)
   */
  public static CsvSource open(Path file, List<String> xColumns, List<String> yColumns) throws IOException {
    return open(file, h -> h.choose(xColumns, yColumns, true));
  }

  /** Opens the file with the columns {@code choice} makes of its header (read once, even from a pipe). */
  public static CsvSource open(Path file, Function<CsvHeader, Columns> choice) throws IOException {
    return open(file, choice, Heap.cacheBudget());
  }

  /** As {@link #open(Path, List, List)} with a memory budget ({@link #open(Path, Function, long)}). */
  static CsvSource open(Path file, List<String> xColumns, List<String> yColumns, long memoryBudget)
      throws IOException {
    return open(file, h -> h.choose(xColumns, yColumns, true), memoryBudget);
  }

  /**
   * As {@link #open(Path, Function)}; a plain file whose values (and one copy of them) need fewer than
   * {@code memoryBudget} bytes is read whole now, others are indexed and streamed on every pass. A pipe
   * or device, which can be read only once, is read whole into memory if its text fits half the budget.
   */
  static CsvSource open(Path file, Function<CsvHeader, Columns> choice, long memoryBudget) throws IOException {
    String kind = DataFiles.notRegular(file);
    if (kind != null) {
      return readOnce(file, kind, choice, memoryBudget);
    }
    try (CSVParser parser = parser(file)) {
      CsvHeader header = CsvHeader.of(file, parser.getHeaderNames());
      Columns columns = choice.apply(header);
      List<String> xs = columns.x();
      List<String> ys = columns.y();
      long[] head = head(file);
      if (head != null) {
        long dataStart = head[0];
        long rows = head[1];
        CsvRows format = new CsvRows(file, header.names(), xs, ys);
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
      try {
        for (CSVRecord record : parser) {
          if (record.size() != header.names().size()) {
            throw CsvRows.fieldCount(file, parser.getCurrentLineNumber(), Integer.toString(record.size()),
                header.names().size());
          }
          count++;
        }
      } catch (UncheckedIOException e) {
        throw CsvHeader.malformed(file, parser.getCurrentLineNumber(), e);
      }
      if (count == 0) {
        throw new IllegalArgumentException(file + " has a header but no samples");
      }
      return new CsvSource(file, xs, ys, count, null, null);
    }
  }

  /**
   * A pipe or device: read once, whole, into memory (passes then read no file), with Commons CSV; refused
   * when its text exceeds half the budget (the other half holds the values).
   */
  private static CsvSource readOnce(Path file, String kind, Function<CsvHeader, Columns> choice, long memoryBudget)
      throws IOException {
    if (kind.equals("a folder")) {
      throw new IllegalArgumentException(file + " is a folder, not a CSV file; pass the file itself");
    }
    long limit = Math.min(Integer.MAX_VALUE - 16, memoryBudget / 2);
    byte[] text;
    try (InputStream in = stream(file)) {
      // The encoding first, so that a device of zeros or binary is refused before it fills the memory.
      byte[] head = in.readNBytes((int) Math.min(1 << 16, limit + 1));
      CsvHeader.checkEncoding(file, head, head.length < 1 << 16);
      byte[] rest = in.readNBytes((int) (limit + 1 - head.length));
      text = Arrays.copyOf(head, head.length + rest.length);
      System.arraycopy(rest, 0, text, head.length, rest.length);
    }
    if (text.length > limit) {
      throw new IllegalArgumentException(file + " is " + kind + ", which can be read only once, so twolayer holds it "
          + "in memory, but it is larger than " + (limit >= 1 << 20 ? (limit >> 20) + " MB" : limit + " bytes")
          + " (half of what this command may hold in memory); save the data to a file first "
          + "(files are streamed), or give Java more memory (JAVA_OPTS=-Xmx...)");
    }
    try (CSVParser parser = CsvHeader.parser(file, new ByteArrayInputStream(text))) {
      CsvHeader header = CsvHeader.of(file, parser.getHeaderNames());
      Columns columns = choice.apply(header);
      List<String> xs = columns.x();
      List<String> ys = columns.y();
      int d = xs.size();
      int l = ys.size();
      int[] xi = xs.stream().mapToInt(header.names()::indexOf).toArray();
      int[] yi = ys.stream().mapToInt(header.names()::indexOf).toArray();
      int capacity = 1024;
      double[] x = new double[capacity * d];
      double[] y = new double[capacity * l];
      int row = 0;
      try {
        for (CSVRecord record : parser) {
          if (record.size() != header.names().size()) {
            throw CsvRows.fieldCount(file, parser.getCurrentLineNumber(), Integer.toString(record.size()),
                header.names().size());
          }
          if (row == capacity) {
            if (2L * capacity * Math.max(d, l) > Integer.MAX_VALUE - 16) {
              throw new IllegalArgumentException(file + " has too many values to hold in one array; save the data to a "
                  + "file first (files are streamed)");
            }
            capacity *= 2;
            x = Arrays.copyOf(x, capacity * d);
            y = Arrays.copyOf(y, capacity * l);
          }
          for (int j = 0; j < d; j++) {
            x[row * d + j] = parse(file, record, xi[j], row, xs.get(j));
          }
          for (int j = 0; j < l; j++) {
            y[row * l + j] = parse(file, record, yi[j], row, ys.get(j));
          }
          row++;
        }
      } catch (UncheckedIOException e) {
        throw CsvHeader.malformed(file, parser.getCurrentLineNumber(), e);
      }
      if (row == 0) {
        throw new IllegalArgumentException(file + " has a header but no samples");
      }
      Dataset data = new Dataset(row, d, l, Arrays.copyOf(x, row * d), Arrays.copyOf(y, row * l));
      return new CsvSource(file, xs, ys, row, null, data);
    }
  }

  /**
   * From the first megabyte: the byte offset just past the header line and the number of rows estimated
   * from the mean length of the lines after it; null when the header has a quote (Commons CSV then reads
   * the file).
   */
  private static long[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
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

  /** The data columns of a CSV file's header (for a pipe, this reads it: open it once instead). */
  public static List<String> header(Path file) throws IOException {
    try (CSVParser parser = parser(file)) {
      return CsvHeader.of(file, parser.getHeaderNames()).columns();
    }
  }

  /**
   * The bytes of a file. A pipe or device is read by plain reads only: on Java 17 the streams of
   * Files.newInputStream and FileInputStream ask for the file position in available() and readNBytes,
   * which fails there ("Illegal seek").
   */
  private static InputStream stream(Path file) throws IOException {
    if (DataFiles.notRegular(file) == null) {
      return Files.newInputStream(file);
    }
    return new FilterInputStream(new FileInputStream(file.toFile())) {
      @Override
      public int available() {
        return 0;
      }
    };
  }

  /** A Commons CSV parser over a file whose header it has read, its encoding checked ({@link CsvHeader#parser}). */
  static CSVParser parser(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a folder, not a CSV file; pass the file itself");
    }
    InputStream in;
    try {
      in = stream(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("data file " + file + " does not exist; check the path");
    }
    try {
      return CsvHeader.parser(file, in);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
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

  @Override
  public Columns columns() {
    return new Columns(xColumns, yColumns);
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
      List<String> names = parser.getHeaderNames();
      int[] xi = xColumns.stream().mapToInt(names::indexOf).toArray();
      int[] yi = yColumns.stream().mapToInt(names::indexOf).toArray();
      long row = 0;
      int inBlock = 0;
      try {
        for (CSVRecord record : parser) {
          if (record.size() != names.size()) {
            throw new IllegalArgumentException(file + " line " + parser.getCurrentLineNumber()
                + " has the wrong number of fields; the file is truncated or malformed");
          }
          for (int j = 0; j < d; j++) {
            x[inBlock * d + j] = parse(file, record, xi[j], row, xColumns.get(j));
          }
          for (int j = 0; j < l; j++) {
            y[inBlock * l + j] = parse(file, record, yi[j], row, yColumns.get(j));
          }
          inBlock++;
          row++;
          if (inBlock == maxRows) {
            consumer.accept(new RowBlock(row - inBlock, inBlock, x, 0, y, 0));
            inBlock = 0;
          }
        }
      } catch (UncheckedIOException e) {
        throw CsvHeader.malformed(file, parser.getCurrentLineNumber(), e);
      }
      if (inBlock > 0) {
        consumer.accept(new RowBlock(row - inBlock, inBlock, x, 0, y, 0));
      }
      if (row != n) {
        throw new IllegalArgumentException(file + " changed while reading: " + row + " rows now, " + n + " before");
      }
    }
  }

  private static double parse(Path file, CSVRecord record, int column, long row, String name) {
    String text = record.get(column);
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw CsvRows.notANumber(file, text, row, name);
    }
  }
}
