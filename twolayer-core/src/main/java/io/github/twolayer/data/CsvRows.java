package io.github.twolayer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a plain CSV file (no quote character) as both fast readers take them: {@link CsvLoader}
 * (the whole file, when it fits in memory) and {@link CsvIndex} (row groups, on every pass). Where each
 * field goes, one line parsed into one row, blank lines, positional reads and the one-line errors live
 * here once; the readers differ only in how they walk the file.
 */
final class CsvRows {
  final Path file;
  final int fields;
  final int d;
  final int l;
  /** target[f]: where field f goes: j ≥ 0 input column j, −1 − j output column j, MIN_VALUE not read. */
  private final int[] target;
  private final String[] xNames;
  private final String[] yNames;

  CsvRows(Path file, List<String> header, List<String> xColumns, List<String> yColumns) {
    this.file = file;
    this.fields = header.size();
    this.d = xColumns.size();
    this.l = yColumns.size();
    this.target = new int[fields];
    Arrays.fill(target, Integer.MIN_VALUE);
    for (int j = 0; j < d; j++) {
      target[header.indexOf(xColumns.get(j))] = j;
    }
    for (int j = 0; j < l; j++) {
      target[header.indexOf(yColumns.get(j))] = -1 - j;
    }
    this.xNames = xColumns.toArray(String[]::new);
    this.yNames = yColumns.toArray(String[]::new);
  }

  /** Why a line could not be parsed; one per thread, reused. */
  static final class Cursor {
    final int[] stop = new int[1];
    boolean quote;
    /** The number of fields of a malformed line (fields + 1: more than the header has), or −1. */
    int badFields = -1;
    /** A value that is not a number, or null; and its column (as in {@code target}). */
    String badValue;
    int badColumn;
  }

  /**
   * The index after a blank line at {@code p} (empty, or holding only '\r'; skipped as Commons CSV skips
   * it), or −1 when the line at {@code p} is not blank.
   */
  static int skipBlank(byte[] buf, int p, int end) {
    if (buf[p] == '\n') {
      return p + 1;
    }
    if (buf[p] == '\r' && (p + 1 == end || buf[p + 1] == '\n')) {
      return Math.min(end, p + 2);
    }
    return -1;
  }

  /**
   * Parses the non-blank line at {@code p} (ending at '\n' or at {@code end}) into row {@code row} of x
   * (row × d) and y (row × l); returns the index after the line, or −1 with the problem in the cursor
   * (a quote, a wrong number of fields, a value that is not a number). A chosen field is parsed where it
   * starts, the parser stopping at its delimiter, so most bytes are read once; the slow path finds the
   * field's end first. A method of its own so that the JIT compiles it early as a whole method.
   */
  int parseLine(byte[] buf, int p, int end, double[] x, double[] y, int row, Cursor c) {
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
        value = DecimalParser.parsePrefix(buf, q, end, c.stop);
        after = c.stop[0];
        while (after >= 0 && after < end && (buf[after] == ' ' || buf[after] == '\t' || buf[after] == '\r')) {
          after++;
        }
      }
      if (after >= 0 && (after == end ? lastField : buf[after] == (lastField ? '\n' : ','))) {
        q = Math.min(end, after + 1);
      } else {
        int e = q;
        while (e < end && buf[e] != ',' && buf[e] != '\n') {
          if (buf[e] == '"') {
            c.quote = true;
            return -1;
          }
          e++;
        }
        boolean lineEnds = e == end || buf[e] == '\n';
        if (lineEnds != lastField) {
          c.badFields = lineEnds ? f + 1 : fields + 1;
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
            c.badValue = new String(buf, q, b - q, StandardCharsets.UTF_8);
            c.badColumn = t;
            return -1;
          }
        }
        q = Math.min(end, e + 1);
      }
      if (t >= 0) {
        x[row * d + t] = value;
      } else if (t != Integer.MIN_VALUE) {
        y[row * l - 1 - t] = value;
      }
    }
    return q;
  }

  /** The error for a value that is not a number, naming its row and column. */
  IllegalArgumentException notANumber(String text, long row, int column) {
    return notANumber(file, text, row, column >= 0 ? xNames[column] : yNames[-1 - column]);
  }

  static IllegalArgumentException notANumber(Path file, String text, long row, String column) {
    return new IllegalArgumentException(file + ": value '" + printable(text) + "' in row " + row + " (from 0), column '"
        + printable(column) + "' is not a number; fix or remove that row");
  }

  /** Text from a file as a message may quote it: control characters escaped, at most 40 characters. */
  static String printable(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < 40; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.length() < 40 ? b.toString() : b + "…";
  }

  /** The error for a line with another number of fields than the header ({@code got} > fields: "more than"). */
  IllegalArgumentException fieldCount(long line, int got) {
    return fieldCount(file, line, got > fields ? "more than " + fields : Integer.toString(got), fields);
  }

  static IllegalArgumentException fieldCount(Path file, long line, String got, int fields) {
    return new IllegalArgumentException(file + " line " + line + " has " + got + " fields but the header has " + fields
        + "; the file is truncated or malformed");
  }

  /** Reads {@code bytes} bytes at file position {@code at} into {@code into[offset..]}; fewer only at the end. */
  static int read(FileChannel channel, long at, byte[] into, int offset, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(into, offset, bytes);
    while (b.hasRemaining()) {
      if (channel.read(b, at + (b.position() - offset)) < 0) {
        break;
      }
    }
    return b.position() - offset;
  }
}
