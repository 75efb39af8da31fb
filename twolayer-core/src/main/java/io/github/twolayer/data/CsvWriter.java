package io.github.twolayer.data;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Samples as CSV text: a header x0..x{d−1},y0..y{l−1}, then one line per sample with each value as
 * {@link Double#toString} writes it (the shortest decimal that reads back to the same double), so that
 * a file read by {@link CsvSource} gives the very samples written.
 */
public final class CsvWriter {
  private CsvWriter() {}

  /** A UTF-8 writer on {@code stream}; the caller flushes it. */
  public static PrintWriter writer(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
  }

  /** The header x0..x{d−1},y0..y{l−1}. */
  public static String header(int d, int l) {
    StringBuilder header = new StringBuilder();
    for (int j = 0; j < d; j++) {
      header.append(j == 0 ? "" : ",").append('x').append(j);
    }
    for (int j = 0; j < l; j++) {
      header.append(",y").append(j);
    }
    return header.toString();
  }

  /** One line per sample of {@code data}: its inputs, then its outputs. */
  public static void writeRows(PrintWriter w, Dataset data) {
    StringBuilder line = new StringBuilder();
    for (int r = 0; r < data.size(); r++) {
      line.setLength(0);
      for (int j = 0; j < data.d(); j++) {
        line.append(j == 0 ? "" : ",").append(data.X()[r * data.d() + j]);
      }
      for (int j = 0; j < data.l(); j++) {
        line.append(',').append(data.Y()[r * data.l() + j]);
      }
      w.println(line);
    }
  }

  /** The header and every sample of {@code data} on {@code stream} (flushed, not closed). */
  public static void write(OutputStream stream, Dataset data) {
    PrintWriter w = writer(stream);
    w.println(header(data.d(), data.l()));
    writeRows(w, data);
    w.flush();
  }
}
