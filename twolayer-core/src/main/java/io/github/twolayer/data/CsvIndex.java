package io.github.twolayer.data;

import io.github.twolayer.linalg.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

  private final CsvRows format;
  private final long size;
  private final long[] groupStart; // byte offset of group g's first row
  private final long[] groupRow;   // that row's index (groups hold STRIDE rows, fewer at a segment's end)
  private final long rows;

  private CsvIndex(CsvRows format, long size, long[] groupStart, long[] groupRow, long rows) {
    this.format = format;
    this.size = size;
    this.groupStart = groupStart;
    this.groupRow = groupRow;
    this.rows = rows;
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
  static CsvIndex build(CsvRows format, long dataStart) throws IOException {
    Path file = format.file;
    int fields = format.fields;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        Parallel parallel = Parallel.allCores()) {
      long size = channel.size();
      long[] cut = segments(channel, dataStart, parallel.threads(), 1 << 24);
      Segment[] segments = new Segment[cut.length - 1];
      inParallel(parallel, segments.length, i -> segments[i] = Segment.scan(channel, cut[i], cut[i + 1], fields));
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
          throw CsvRows.fieldCount(file, lines + seg.badLine, Integer.toString(seg.badFields), fields);
        }
        for (int j = 0; j < seg.groups; j++, g++) {
          starts[g] = seg.starts[j];
          firstRow[g] = rows + (long) j * STRIDE;
        }
        rows += seg.rows;
        lines += seg.lineCount;
      }
      return new CsvIndex(format, size, starts, firstRow, rows);
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
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The first line start at or after {@code at} (a cut point between segments). */
  static long nextLineStart(FileChannel channel, long at, long size) throws IOException {
    byte[] buf = new byte[1 << 16];
    long pos = at - 1; // a line starts at `at` if the byte before it is a newline
    while (pos < size) {
      int got = CsvRows.read(channel, pos, buf, 0, (int) Math.min(buf.length, size - pos));
      for (int i = 0; i < got; i++) {
        if (buf[i] == '\n') {
          return pos + i + 1;
        }
      }
      pos += got;
    }
    return size;
  }

  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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

    static Segment scan(FileChannel channel, long from, long to, int fields) throws IOException {
      Segment seg = new Segment();
      byte[] buf = new byte[SCAN_BYTES];
      long lineStart = from;
      int commas = 0;
      long pos = from;
      byte last = 0; // the byte before the current one (for '\r' before '\n')
      while (pos < to) {
        int got = CsvRows.read(channel, pos, buf, 0, (int) Math.min(buf.length, to - pos));
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

  /** Parses the chosen columns of every row, in blocks of at most {@code maxRows} rows, each block's row groups in parallel. */
  void forEachBlock(int maxRows, RowSource.BlockConsumer consumer) throws IOException {
    Path file = format.file;
    double[] x = new double[maxRows * format.d];
    double[] y = new double[maxRows * format.l];
    ThreadLocal<byte[]> bytes = ThreadLocal.withInitial(() -> new byte[1 << 20]);
    ThreadLocal<CsvRows.Cursor> cursors = ThreadLocal.withInitial(CsvRows.Cursor::new);
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
        inParallel(parallel, g1 - g0 + 1, t -> {
          int g = g0 + t;
          long a = Math.max(from, groupRow[g]);
          long b = Math.min(from + count, g + 1 < groupRow.length ? groupRow[g + 1] : rows);
          parseGroup(channel, g, a, b, from, x, y, bytes, cursors.get());
        });
        consumer.accept(new RowBlock(from, count, x, 0, y, 0));
      }
    }
  }

  /** The group that holds row {@code row}. */
  private int groupOf(long row) {
    int g = Arrays.binarySearch(groupRow, row);
    return g >= 0 ? g : -g - 2;
  }

  /** Rows [a, b) of group g (all in it) into the block that starts at row {@code blockStart}. */
  private void parseGroup(FileChannel channel, int g, long a, long b, long blockStart, double[] x, double[] y,
      ThreadLocal<byte[]> scratch, CsvRows.Cursor cursor) throws IOException {
    long start = groupStart[g];
    long end = g + 1 < groupStart.length ? groupStart[g + 1] : size;
    int length = (int) (end - start);
    byte[] buf = scratch.get();
    if (buf.length < length) {
      buf = new byte[Math.max(length, buf.length * 3 / 2)];
      scratch.set(buf);
    }
    if (CsvRows.read(channel, start, buf, 0, length) < length) {
      throw changed("it is shorter than when it was opened");
    }
    long row = groupRow[g];
    int p = 0;
    while (row < b && p < length) {
      int blank = CsvRows.skipBlank(buf, p, length);
      if (blank >= 0) {
        p = blank;
        continue;
      }
      if (row < a) { // a row of this group before the block: skip its line
        while (p < length && buf[p] != '\n') {
          p++;
        }
        p++;
        row++;
        continue;
      }
      int q = format.parseLine(buf, p, length, x, y, (int) (row - blockStart), cursor);
      if (q < 0) {
        if (cursor.badValue != null) {
          throw format.notANumber(cursor.badValue, row, cursor.badColumn);
        }
        // Quotes and field counts were checked when the file was indexed.
        throw changed("line " + (row + 1) + " of the samples is no longer as it was when the file was opened");
      }
      row++;
      p = q;
    }
    if (row < b) {
      throw changed("fewer rows than when it was opened");
    }
  }

  private IllegalArgumentException changed(String how) {
    return new IllegalArgumentException(format.file + " changed while reading: " + how);
  }
}
