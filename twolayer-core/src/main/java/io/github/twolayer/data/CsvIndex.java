package io.github.twolayer.data;

import io.github.twolayer.linalg.Parallel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The fast path of {@link CsvSource} for plain CSV (no quoted fields, which is what NumPy, pandas and
 * spreadsheets write for numbers): one byte scan that counts the rows, checks every row's number of
 * fields and keeps the byte offset of every {@value #STRIDE}-th row; then every pass parses row groups
 * in parallel on all cores, each group read with a positional read (so a file larger than the heap
 * streams), and only the chosen columns are parsed, by {@link DecimalParser}, which gives exactly the
 * double of {@link Double#parseDouble} (same syntax, same rounding). A file with a quote character
 * anywhere is left to Commons CSV ({@link #build} returns null).
 */
final class CsvIndex {
  /** Rows per group: the unit of parallel parsing and of the offset index. */
  static final int STRIDE = 1024;
  /** Bytes read at a time by the scan. */
  private static final int SCAN_BYTES = 1 << 23;

  private final Path file;
  private final long size;
  private final long[] groupStart; // byte offset of group g's first row
  private final long[] groupRow;   // that row's index (groups hold STRIDE rows, fewer at a segment's end)
  private final long rows;
  private final int fields;

  private CsvIndex(Path file, long size, long[] groupStart, long[] groupRow, long rows, int fields) {
    this.file = file;
    this.size = size;
    this.groupStart = groupStart;
    this.groupRow = groupRow;
    this.rows = rows;
    this.fields = fields;
  }

  long rows() {
    return rows;
  }

  /**
   * Scans the file after its header line (which ends at byte {@code dataStart}); null when a quote
   * character occurs (the caller then parses with Commons CSV). Empty lines are skipped, as Commons
   * CSV does; a row with another number of fields than the header is refused, naming its line. The
   * file is cut at line boundaries into one segment per core, scanned in parallel, eight bytes at a
   * time (SWAR: the bytes equal to ',' '\n' '"' of a word found with a few integer operations).
   */
  static CsvIndex build(Path file, long dataStart, int fields) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        Parallel parallel = Parallel.allCores()) {
      long size = channel.size();
      long[] cut = segments(channel, dataStart, parallel.threads(), 1 << 24);
      Segment[] segments = new Segment[cut.length - 1];
      inParallel(parallel, segments.length, i -> segments[i] = Segment.scan(channel, cut[i], cut[i + 1], fields, file));
      // Merge: rows and lines of a segment follow those of the segments before it.
      long rows = 0;
      long lines = 2; // the header is line 1
      int groups = 0;
      for (Segment seg : segments) {
        if (seg.quote) {
          return null;
        }
        groups += seg.groups;
      }
      long[] starts = new long[groups];
      long[] firstRow = new long[groups];
      int g = 0;
      for (Segment seg : segments) {
        if (seg.badLine >= 0) {
          throw fieldCount(file, lines + seg.badLine, seg.badFields, fields);
        }
        for (int j = 0; j < seg.groups; j++, g++) {
          starts[g] = seg.starts[j];
          firstRow[g] = rows + (long) j * STRIDE;
        }
        rows += seg.rows;
        lines += seg.lineCount;
      }
      return new CsvIndex(file, size, starts, firstRow, rows, fields);
    }
  }

  /**
   * Cut points of the data [dataStart, size) into at most {@code parts} segments of at least
   * {@code minBytes} each, every cut at the start of a line: segment i is [cut[i], cut[i+1]).
   */
  static long[] segments(FileChannel channel, long dataStart, int parts, long minBytes) throws IOException {
    long size = channel.size();
    int count = (int) Math.max(1, Math.min(parts, (size - dataStart) / minBytes));
    long[] cut = new long[count + 1];
    cut[0] = dataStart;
    cut[count] = size;
    for (int i = 1; i < count; i++) {
      cut[i] = Math.max(cut[i - 1], nextLineStart(channel, dataStart + (size - dataStart) * i / count, size));
    }
    return cut;
  }

  /** Work on one segment that reads the file. */
  @FunctionalInterface
  interface SegmentTask {
    void run(int segment) throws IOException;
  }

  /** Runs {@code task} for segments 0..count−1 on the pool's threads; an I/O failure is rethrown as it was. */
  static void inParallel(Parallel parallel, int count, SegmentTask task) throws IOException {
    try {
      parallel.forEachTile(count, i -> {
        try {
          task.run(i);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The first line start at or after {@code at} (a cut point between segments). */
  static long nextLineStart(FileChannel channel, long at, long size) throws IOException {
    byte[] buf = new byte[1 << 16];
    long pos = at - 1; // a line starts at `at` if the byte before it is a newline
    while (pos < size) {
      int got = read(channel, pos, buf, (int) Math.min(buf.length, size - pos));
      for (int i = 0; i < got; i++) {
        if (buf[i] == '\n') {
          return pos + i + 1;
        }
      }
      pos += got;
    }
    return size;
  }

  static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  /** The high bit of every byte of {@code word} that equals the byte {@code c} (exact, no false positives). */
  static long equalBytes(long word, long c) {
    long t = word ^ (c * ONES);
    return ~(((t & LOW7) + LOW7) | t | LOW7);
  }

  /** One segment's scan: its rows, lines, and the start of every STRIDE-th row (relative numbering). */
  private static final class Segment {
    long[] starts = new long[16];
    int groups;
    long rows;
    long lineCount;
    boolean quote;
    long badLine = -1;
    int badFields;

    static Segment scan(FileChannel channel, long from, long to, int fields, Path file) throws IOException {
      Segment seg = new Segment();
      byte[] buf = new byte[SCAN_BYTES];
      long lineStart = from;
      int commas = 0;
      long pos = from;
      byte last = 0; // the byte before the current one (for '\r' before '\n')
      while (pos < to) {
        int got = read(channel, pos, buf, (int) Math.min(buf.length, to - pos));
        int i = 0;
        for (; i + 8 <= got; i += 8) {
          long word = (long) LONGS.get(buf, i);
          long nl = equalBytes(word, '\n');
          long comma = equalBytes(word, ',');
          if ((equalBytes(word, '"')) != 0) {
            seg.quote = true;
            return seg;
          }
          while (nl != 0) {
            int bit = Long.numberOfTrailingZeros(nl);
            long below = (1L << bit) - 1; // the bytes before this newline
            commas += Long.bitCount(comma & below);
            comma &= ~below;
            int k = bit >>> 3;
            byte before = k > 0 ? buf[i + k - 1] : (i > 0 ? buf[i - 1] : last);
            if (!seg.endLine(lineStart, pos + i + k - (before == '\r' ? 1 : 0), commas, fields)) {
              return seg;
            }
            lineStart = pos + i + k + 1;
            commas = 0;
            nl &= nl - 1;
          }
          commas += Long.bitCount(comma);
        }
        for (; i < got; i++) {
          byte b = buf[i];
          if (b == ',') {
            commas++;
          } else if (b == '"') {
            seg.quote = true;
            return seg;
          } else if (b == '\n') {
            byte before = i > 0 ? buf[i - 1] : last;
            if (!seg.endLine(lineStart, pos + i - (before == '\r' ? 1 : 0), commas, fields)) {
              return seg;
            }
            lineStart = pos + i + 1;
            commas = 0;
          }
        }
        last = got > 0 ? buf[got - 1] : last;
        pos += got;
      }
      if (to > lineStart) { // a last line without a newline
        seg.endLine(lineStart, to - (last == '\r' ? 1 : 0), commas, fields);
        seg.lineCount--; // endLine counted a line break that is not there
      }
      return seg;
    }

    /** Ends a line [start, end) with {@code commas} commas; false (and the bad line recorded) when malformed. */
    boolean endLine(long start, long end, int commas, int fields) {
      if (end > start || commas > 0) {
        if (commas + 1 != fields) {
          badLine = lineCount;
          badFields = commas + 1;
          return false;
        }
        if (rows % STRIDE == 0) {
          if (groups == starts.length) {
            starts = Arrays.copyOf(starts, 2 * groups);
          }
          starts[groups++] = start;
        }
        rows++;
      }
      lineCount++;
      return true;
    }
  }

  private static IllegalArgumentException fieldCount(Path file, long line, int got, int fields) {
    return new IllegalArgumentException(file + " line " + line + " has " + got + " fields but the header has " + fields
        + "; the file is truncated or malformed");
  }

  private static int read(FileChannel channel, long at, byte[] into, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(into, 0, bytes);
    while (b.hasRemaining()) {
      if (channel.read(b, at + b.position()) < 0) {
        break;
      }
    }
    return b.position();
  }

  /**
   * Parses the chosen columns of every row, in blocks of at most {@code maxRows} rows, each block's row
   * groups in parallel; {@code xi}, {@code yi}: the field index of each input and output column.
   */
  void forEachBlock(int maxRows, int[] xi, int[] yi, String[] xNames, String[] yNames, RowSource.BlockConsumer consumer)
      throws IOException {
    int d = xi.length;
    int l = yi.length;
    // target[f]: where field f goes: j ≥ 0 input column j, −1 − j output column j, MIN_VALUE not read.
    int[] target = new int[fields];
    Arrays.fill(target, Integer.MIN_VALUE);
    for (int j = 0; j < d; j++) {
      target[xi[j]] = j;
    }
    for (int j = 0; j < l; j++) {
      target[yi[j]] = -1 - j;
    }
    double[] x = new double[maxRows * d];
    double[] y = new double[maxRows * l];
    ThreadLocal<byte[]> bytes = ThreadLocal.withInitial(() -> new byte[1 << 20]);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        Parallel parallel = Parallel.allCores()) {
      if (channel.size() != size) {
        throw new IllegalArgumentException(file + " changed while reading: " + channel.size() + " bytes now, " + size
            + " before");
      }
      for (long first = 0; first < rows; first += maxRows) {
        long from = first;
        int count = (int) Math.min(maxRows, rows - first);
        int g0 = groupOf(from);
        int g1 = groupOf(from + count - 1);
        parallel.forEachTile(g1 - g0 + 1, t -> {
          int g = g0 + t;
          long a = Math.max(from, groupRow[g]);
          long b = Math.min(from + count, g + 1 < groupRow.length ? groupRow[g + 1] : rows);
          try {
            parseGroup(channel, g, a, b, from, target, d, l, x, y, bytes, xNames, yNames);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        consumer.accept(new RowBlock(from, count, x, 0, y, 0));
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The group that holds row {@code row}. */
  private int groupOf(long row) {
    int g = Arrays.binarySearch(groupRow, row);
    return g >= 0 ? g : -g - 2;
  }

  /** Rows [a, b) of group g (all in it) into the block that starts at row {@code blockStart}. */
  private void parseGroup(FileChannel channel, int g, long a, long b, long blockStart, int[] target, int d, int l,
      double[] x, double[] y, ThreadLocal<byte[]> scratch, String[] xNames, String[] yNames) throws IOException {
    long start = groupStart[g];
    long end = g + 1 < groupStart.length ? groupStart[g + 1] : size;
    int length = (int) (end - start);
    byte[] buf = scratch.get();
    if (buf.length < length) {
      buf = new byte[Math.max(length, buf.length * 3 / 2)];
      scratch.set(buf);
    }
    if (read(channel, start, buf, length) < length) {
      throw new IllegalArgumentException(file + " changed while reading: it is shorter than when it was opened");
    }
    long row = groupRow[g];
    // One pass over the group's bytes, eight at a time: the delimiters (',' and '\n') of a word are found
    // with integer operations, and each field between two delimiters is parsed if its column is chosen.
    int field = 0;
    int fieldStart = 0;
    int i = 0;
    for (; row < b && i + 8 <= length; i += 8) {
      long word = (long) LONGS.get(buf, i);
      long delimiters = equalBytes(word, ',') | equalBytes(word, '\n');
      while (delimiters != 0 && row < b) {
        int at = i + (Long.numberOfTrailingZeros(delimiters) >>> 3);
        delimiters &= delimiters - 1;
        if (buf[at] == ',') {
          if (row >= a) {
            field(buf, fieldStart, at, target[field], (int) (row - blockStart), row, d, l, x, y, xNames, yNames);
          }
          field++;
        } else if (field > 0 || !blank(buf, fieldStart, at)) {
          if (row >= a) {
            field(buf, fieldStart, at, target[field], (int) (row - blockStart), row, d, l, x, y, xNames, yNames);
          }
          field = 0;
          row++;
        }
        fieldStart = at + 1;
      }
    }
    for (; row < b && i <= length; i++) {
      if (i < length && buf[i] == ',') {
        if (row >= a) {
          field(buf, fieldStart, i, target[field], (int) (row - blockStart), row, d, l, x, y, xNames, yNames);
        }
        field++;
        fieldStart = i + 1;
      } else if (i == length || buf[i] == '\n') {
        if (field > 0 || !blank(buf, fieldStart, i)) {
          if (row >= a) {
            field(buf, fieldStart, i, target[field], (int) (row - blockStart), row, d, l, x, y, xNames, yNames);
          }
          field = 0;
          row++;
        }
        fieldStart = i + 1;
      }
    }
    if (row < b) {
      throw new IllegalArgumentException(file + " changed while reading: fewer rows than when it was opened");
    }
  }

  /** True for an empty line (or one holding only '\r'), which is skipped as Commons CSV skips it. */
  private static boolean blank(byte[] buf, int from, int to) {
    return to == from || (to == from + 1 && buf[from] == '\r');
  }

  /** Parses one field [from, to) into its column ({@code t}: see forEachBlock), spaces, tabs and '\r' trimmed. */
  private void field(byte[] buf, int from, int to, int t, int inBlock, long row, int d, int l, double[] x, double[] y,
      String[] xNames, String[] yNames) {
    if (t == Integer.MIN_VALUE) {
      return;
    }
    int a = from;
    int e = to;
    while (a < e && (buf[a] == ' ' || buf[a] == '\t')) {
      a++;
    }
    while (e > a && (buf[e - 1] == ' ' || buf[e - 1] == '\t' || buf[e - 1] == '\r')) {
      e--;
    }
    double value;
    try {
      value = DecimalParser.parse(buf, a, e);
    } catch (NumberFormatException ex) {
      String text = new String(buf, a, e - a, java.nio.charset.StandardCharsets.UTF_8);
      throw new IllegalArgumentException(file + ": value '" + text + "' in row " + row + " (from 0), column '"
          + (t >= 0 ? xNames[t] : yNames[-1 - t]) + "' is not a number; fix or remove that row");
    }
    if (t >= 0) {
      x[inBlock * d + t] = value;
    } else {
      y[inBlock * l - 1 - t] = value;
    }
  }
}
