package io.github.twolayer.data;

import io.github.twolayer.linalg.Parallel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a whole plain CSV file (no quotes) into memory in one parallel pass: the file is cut at line
 * boundaries into one segment per core, each segment is read in 8 MB chunks and its lines are parsed
 * ({@link CsvRows#parseLine}) into its own arrays, and the segments are joined in file order. For files
 * that fit in the heap this replaces the index scan and the first pass of {@link CsvIndex} with a single
 * read. Rows, field counts and values are checked as {@link CsvIndex} checks them, with the same
 * messages; the rows and lines they name are counted over the whole file.
 */
final class CsvLoader {
  private static final int CHUNK = 1 << 23;

  private CsvLoader() {}

  /** A segment's outcome: its rows and values, or the first problem in it (at a row and line relative to it). */
  private static final class Part {
    double[] x;
    double[] y;
    int rows;
    long lines;
    boolean failed;
    final CsvRows.Cursor cursor = new CsvRows.Cursor();
  }

  /**
   * The file's chosen columns in memory, or null when a quote character occurs (the caller then reads
   * the file with Commons CSV).
   */
  static Dataset load(CsvRows rows, long dataStart, long estimatedRows) throws IOException {
    int d = rows.d;
    int l = rows.l;
    try (FileChannel channel = FileChannel.open(rows.file, StandardOpenOption.READ);
        Parallel parallel = Parallel.allCores()) {
      long[] cut = CsvIndex.segments(channel, dataStart, parallel.threads(), 1 << 22);
      int parts = cut.length - 1;
      Part[] result = new Part[parts];
      int perPart = (int) Math.min(Integer.MAX_VALUE / Math.max(1, Math.max(d, l)) - 16,
          estimatedRows / parts + 1024);
      CsvIndex.inParallel(parallel, parts, i -> result[i] = segment(rows, channel, cut[i], cut[i + 1], perPart));
      for (Part p : result) {
        if (p.cursor.quote) {
          return null;
        }
      }
      long total = 0;
      long lines = 2; // the header is line 1
      for (Part p : result) {
        if (p.failed) {
          CsvRows.Cursor c = p.cursor;
          throw c.badValue != null ? rows.notANumber(c.badValue, total + p.rows, c.badColumn)
              : rows.fieldCount(lines + p.lines, c.badFields);
        }
        total += p.rows;
        lines += p.lines;
      }
      if (total * Math.max(d, l) > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(rows.file + " has too many values to hold in one array; stream it instead");
      }
      if (total == 0) {
        throw new IllegalArgumentException(rows.file + " has a header but no samples");
      }
      double[] x = new double[(int) total * d];
      double[] y = new double[(int) total * l];
      int at = 0;
      for (Part p : result) {
        System.arraycopy(p.x, 0, x, at * d, p.rows * d);
        System.arraycopy(p.y, 0, y, at * l, p.rows * l);
        at += p.rows;
      }
      return new Dataset((int) total, d, l, x, y);
    }
  }

  private static Part segment(CsvRows rows, FileChannel channel, long from, long to, int capacity)
      throws IOException {
    Part part = new Part();
    part.x = new double[Math.max(1, capacity) * rows.d];
    part.y = new double[Math.max(1, capacity) * rows.l];
    byte[] buf = new byte[CHUNK + 64];
    int carry = 0;
    long pos = from;
    while (pos < to || carry > 0) {
      int want = (int) Math.min(buf.length - carry - 8, to - pos);
      int got = CsvRows.read(channel, pos, buf, carry, want);
      pos += got;
      int length = carry + got;
      boolean last = pos >= to;
      int end = length;
      if (!last) {
        while (end > 0 && buf[end - 1] != '\n') {
          end--;
        }
        if (end == 0) { // one line longer than the buffer: grow it
          buf = Arrays.copyOf(buf, buf.length * 2);
          carry = length;
          continue;
        }
      }
      // The complete lines buf[0, end) (all of it at the segment's end).
      int p = 0;
      while (p < end) {
        int blank = CsvRows.skipBlank(buf, p, end);
        if (blank >= 0) {
          part.lines++;
          p = blank;
          continue;
        }
        if ((part.rows + 1) * rows.d > part.x.length) {
          part.x = Arrays.copyOf(part.x, Math.max(part.x.length * 3 / 2, (part.rows + 1) * rows.d));
        }
        if ((part.rows + 1) * rows.l > part.y.length) {
          part.y = Arrays.copyOf(part.y, Math.max(part.y.length * 3 / 2, (part.rows + 1) * rows.l));
        }
        int q = rows.parseLine(buf, p, end, part.x, part.y, part.rows, part.cursor);
        if (q < 0) {
          part.failed = true;
          return part;
        }
        part.rows++;
        part.lines++;
        p = q;
      }
      if (last && end > 0 && buf[end - 1] != '\n') {
        part.lines--; // the file's last line has no newline to count
      }
      carry = length - end;
      System.arraycopy(buf, end, buf, 0, carry);
      if (last) {
        break;
      }
    }
    return part;
  }
}
