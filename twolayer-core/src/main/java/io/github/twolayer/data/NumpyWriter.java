package io.github.twolayer.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes little-endian float64 C-order arrays as NumPy reads them: {@code .npy} files and uncompressed
 * {@code .npz} archives (what {@code np.savez} writes). Writes are atomic.
 */
public final class NumpyWriter {
  private NumpyWriter() {}

  /** A row-major array; {@code oneDimensional} writes shape (rows,) instead of (rows, 1). */
  public record Array(double[] data, long rows, int cols, boolean oneDimensional) {
    public Array {
      if (data.length != rows * cols) {
        throw new IllegalArgumentException("array holds " + data.length + " numbers, not " + rows + "×" + cols);
      }
    }

    public static Array matrix(double[] data, long rows, int cols) {
      return new Array(data, rows, cols, false);
    }

    public static Array vector(double[] data) {
      return new Array(data, data.length, 1, true);
    }
  }

  public static void writeNpy(Path target, Array array) throws IOException {
    Outputs.writeOne(target, out -> write(out, array));
  }

  /** An .npz with one entry per map key (in map order), like np.savez(target, **arrays). */
  public static void writeNpz(Path target, Map<String, Array> arrays) throws IOException {
    writeNpz(target, arrays, Map.of());
  }

  /**
   * An .npz with the arrays and, after them, other members stored as they are ({@code files}: name →
   * bytes, e.g. a JSON document; np.load returns such a member as bytes).
   */
  public static void writeNpz(Path target, Map<String, Array> arrays, Map<String, byte[]> files) throws IOException {
    Outputs.writeOne(target, out -> writeNpz(out, arrays, files));
  }

  /** {@link #writeNpz(Path, Map, Map)} into a stream (left open). */
  public static void writeNpz(OutputStream out, Map<String, Array> arrays, Map<String, byte[]> files)
      throws IOException {
    Map<String, Array> copy = new LinkedHashMap<>(arrays);
    Map<String, byte[]> others = new LinkedHashMap<>(files);
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, byte[]> f : others.entrySet()) {
      CountingCrc check = new CountingCrc();
      check.write(f.getValue());
      zip.putNextEntry(storedEntry(f.getKey(), check));
      zip.write(f.getValue());
      zip.closeEntry();
    }
    for (Map.Entry<String, Array> e : copy.entrySet()) {
      // STORED entries need size and CRC before the data: compute them in a first, cheap pass.
      CountingCrc check = new CountingCrc();
      write(check, e.getValue());
      zip.putNextEntry(storedEntry(e.getKey() + ".npy", check));
      write(zip, e.getValue());
      zip.closeEntry();
    }
    zip.finish();
  }

  /**
   * An array too large to hold, produced block by block: {@link #write} writes its rows (after the
   * header) and must write the same bytes each time it is called, since a stored .npz entry is produced
   * twice (once for its size and checksum, once for the archive).
   */
  public interface Streamed {
    long rows();

    int cols();

    void write(OutputStream values) throws IOException;
  }

  /**
   * An .npz whose arrays are {@link Streamed}: bounded memory for any size, at the price of producing
   * each array twice.
   */
  public static void writeNpzStreamed(OutputStream out, Map<String, Streamed> arrays) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, Streamed> e : arrays.entrySet()) {
      Streamed a = e.getValue();
      CountingCrc check = new CountingCrc();
      NpyHeader.writeFloat64(check, a.rows(), a.cols(), false);
      a.write(check);
      // ZipOutputStream checks the second production against this size and CRC when the entry closes.
      zip.putNextEntry(storedEntry(e.getKey() + ".npy", check));
      NpyHeader.writeFloat64(zip, a.rows(), a.cols(), false);
      a.write(zip);
      zip.closeEntry();
    }
    zip.finish();
  }

  /** The size and CRC-32 of what is written to it: what a stored zip entry needs before its data. */
  private static final class CountingCrc extends OutputStream {
    final CRC32 crc = new CRC32();
    long size;

    @Override
    public void write(int b) {
      crc.update(b);
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      crc.update(b, off, len);
      size += len;
    }
  }

  private static ZipEntry storedEntry(String name, CountingCrc check) {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(check.size);
    entry.setCompressedSize(check.size);
    entry.setCrc(check.crc.getValue());
    return entry;
  }

  private static void write(OutputStream out, Array array) throws IOException {
    NpyHeader.writeFloat64(out, array.rows(), array.cols(), array.oneDimensional());
    writeValues(out, array.data());
  }

  /**
   * Appends {@code values} as little-endian float64, the element format of the headers written here: with
   * {@link NpyHeader#writeFloat64} first, an array can be written block by block, of any size.
   */
  public static void writeValues(OutputStream out, double[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i += 8192) {
      int count = Math.min(8192, values.length - i);
      buffer.clear();
      buffer.asDoubleBuffer().put(values, i, count);
      out.write(buffer.array(), 0, count * 8);
    }
  }
}
