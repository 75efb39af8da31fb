package io.github.twolayer.data;

import io.github.twolayer.linalg.Parallel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a whole plain CSV file (no quotes) into memory in one parallel pass: the file is cut at line
 * boundaries into one segment per core, each segment is read in 8 MB chunks and its chosen columns are
 * parsed into its own arrays (delimiters found eight bytes at a time, numbers by {@link DecimalParser}),
 * and the segments are joined in file order. For files that fit in the heap this replaces the index
 * scan and the first pass of {@link CsvIndex} with a single read. Row counts, field counts and values
 * are checked as {@link CsvIndex} checks them, with the same messages; the rows and lines they name are
 * counted over the whole file.
 */
final class CsvLoader {
  private static final int CHUNK = 1 << 23;

  private CsvLoader() {}

  /** A segment's outcome: its rows and values, or the first problem in it (row and line relative to it). */
  private static final class Part {
    double[] x;
    double[] y;
    int rows;
    long lines;
    boolean quote;
    String problem;     // null: none
    long problemRow;    // for a value that is not a number
    long problemLine;   // for a wrong number of fields
    int problemFields;
    final int[] stop = new int[1];
  }

  /**
   * The file's chosen columns in memory, or null when a quote character occurs (the caller then reads
   * the file with Commons CSV). {@code target[f]}: as in {@link CsvIndex#forEachBlock}.
   */
  static Dataset load(Path file, long dataStart, int fields, int[] target, int d, int l, String[] xNames,
      String[] yNames, long estimatedRows) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        Parallel parallel = Parallel.allCores()) {
      long[] cut = CsvIndex.segments(channel, dataStart, parallel.threads(), 1 << 22);
      int parts = cut.length - 1;
      Part[] result = new Part[parts];
      int perPart = (int) Math.min(Integer.MAX_VALUE / Math.max(1, Math.max(d, l)) - 16,
          estimatedRows / parts + 1024);
      CsvIndex.inParallel(parallel, parts,
          i -> result[i] = segment(channel, cut[i], cut[i + 1], fields, target, d, l, perPart));
      long rows = 0;
      long lines = 2; // the header is line 1
      for (Part p : result) {
        if (p.quote) {
          return null;
        }
      }
      for (Part p : result) {
        if (p.problem != null) {
          if (p.problemFields >= 0) {
            throw new IllegalArgumentException(file + " line " + (lines + p.problemLine) + " has "
                + (p.problemFields > fields ? "more than " + fields : p.problemFields)
                + " fields but the header has " + fields + "; the file is truncated or malformed");
          }
          int t = (int) p.problemLine;
          throw new IllegalArgumentException(file + ": value '" + p.problem + "' in row " + (rows + p.problemRow)
              + " (from 0), column '" + (t >= 0 ? xNames[t] : yNames[-1 - t]) + "' is not a number; fix or remove "
              + "that row");
        }
        rows += p.rows;
        lines += p.lines;
      }
      if (rows * Math.max(d, l) > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(file + " has too many values to hold in one array; stream it instead");
      }
      if (rows == 0) {
        throw new IllegalArgumentException(file + " has a header but no samples");
      }
      double[] x = new double[(int) rows * d];
      double[] y = new double[(int) rows * l];
      int at = 0;
      for (Part p : result) {
        System.arraycopy(p.x, 0, x, at * d, p.rows * d);
        System.arraycopy(p.y, 0, y, at * l, p.rows * l);
        at += p.rows;
      }
      return new Dataset((int) rows, d, l, x, y);
    }
  }

  private static Part segment(FileChannel channel, long from, long to, int fields, int[] target, int d, int l,
      int capacity) throws IOException {
    Part part = new Part();
    part.x = new double[Math.max(1, capacity) * d];
    part.y = new double[Math.max(1, capacity) * l];
    part.problemFields = -1;
    byte[] buf = new byte[CHUNK + 64];
    int carry = 0;
    long pos = from;
    while (pos < to || carry > 0) {
      int want = (int) Math.min(buf.length - carry - 8, to - pos);
      int got = read(channel, pos, buf, carry, want);
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
      // Parse the complete lines buf[0, end) (all of it at the segment's end), field by field: a chosen
      // field is parsed where it starts (the parser stops at the delimiter), so most bytes are read once.
      int p = 0;
      while (p < end) {
        if (buf[p] == '\n' || (buf[p] == '\r' && (p + 1 == end || buf[p + 1] == '\n'))) {
          part.lines++; // an empty line, skipped as Commons CSV skips it
          p += buf[p] == '\n' ? 1 : Math.min(2, end - p);
          continue;
        }
        int q = line(part, buf, p, end, last, fields, target, d, l);
        if (q < 0) {
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

  /**
   * Parses one non-empty line starting at {@code p} into the part's next row; returns the index after the
   * line, or −1 when the part must stop (a quote, a wrong field count or a value that is not a number,
   * recorded in the part). A method of its own so that the JIT compiles it early as a whole method
   * rather than late, on stack replacement, inside the chunk loop.
   */
  private static int line(Part part, byte[] buf, int p, int end, boolean last, int fields, int[] target, int d,
      int l) {
    int q = p;
    for (int f = 0; f < fields; f++) {
      int t = target[f];
      while (q < end && (buf[q] == ' ' || buf[q] == '\t')) {
        q++;
      }
      boolean lastField = f == fields - 1;
      double value = 0;
      int after = -1;
      if (t != Integer.MIN_VALUE) {
        value = DecimalParser.parsePrefix(buf, q, end, part.stop);
        after = part.stop[0];
        while (after >= 0 && after < end && (buf[after] == ' ' || buf[after] == '\t' || buf[after] == '\r')) {
          after++;
        }
      }
      if (after >= 0 && (after == end ? lastField && last : buf[after] == (lastField ? '\n' : ','))) {
        q = Math.min(end, after + 1);
      } else {
        // The slow path: find the field's end, then check the field count, quotes and the value.
        int e = q;
        while (e < end && buf[e] != ',' && buf[e] != '\n') {
          if (buf[e] == '"') {
            part.quote = true;
            return -1;
          }
          e++;
        }
        boolean lineEnds = e == end || buf[e] == '\n';
        if (lineEnds != lastField) {
          part.problem = "";
          part.problemLine = part.lines;
          part.problemFields = lineEnds ? f + 1 : fields + 1;
          return -1;
        }
        if (t != Integer.MIN_VALUE) {
          int b = e;
          while (b > q && (buf[b - 1] == ' ' || buf[b - 1] == '\t' || buf[b - 1] == '\r')) {
            b--;
          }
          try {
            value = DecimalParser.parse(buf, q, b);
          } catch (NumberFormatException ex) {
            part.problem = new String(buf, q, b - q, java.nio.charset.StandardCharsets.UTF_8);
            part.problemRow = part.rows;
            part.problemLine = t; // the column, for the message
            return -1;
          }
        }
        q = Math.min(end, e + 1);
      }
      if (t >= 0) {
        if ((part.rows + 1) * d > part.x.length) {
          part.x = Arrays.copyOf(part.x, Math.max(part.x.length * 3 / 2, (part.rows + 1) * d));
        }
        part.x[part.rows * d + t] = value;
      } else if (t != Integer.MIN_VALUE) {
        if ((part.rows + 1) * l > part.y.length) {
          part.y = Arrays.copyOf(part.y, Math.max(part.y.length * 3 / 2, (part.rows + 1) * l));
        }
        part.y[part.rows * l - 1 - t] = value;
      }
    }
    return q;
  }

  private static int read(FileChannel channel, long at, byte[] into, int offset, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(into, offset, bytes);
    while (b.hasRemaining()) {
      if (channel.read(b, at + (b.position() - offset)) < 0) {
        break;
      }
    }
    return b.position() - offset;
  }
}
