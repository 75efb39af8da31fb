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
    AtomicFiles.write(target, out -> write(out, array));
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
    Map<String, Array> copy = new LinkedHashMap<>(arrays);
    Map<String, byte[]> others = new LinkedHashMap<>(files);
    AtomicFiles.write(target, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, byte[]> f : others.entrySet()) {
        CRC32 crc = new CRC32();
        crc.update(f.getValue());
        ZipEntry entry = new ZipEntry(f.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(f.getValue().length);
        entry.setCompressedSize(f.getValue().length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(f.getValue());
        zip.closeEntry();
      }
      for (Map.Entry<String, Array> e : copy.entrySet()) {
        // STORED entries need size and CRC before the data: compute them in a first, cheap pass.
        CRC32 crc = new CRC32();
        long[] size = new long[1];
        write(new OutputStream() {
          @Override
          public void write(int b) {
            crc.update(b);
            size[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            size[0] += len;
          }
        }, e.getValue());
        ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size[0]);
        entry.setCompressedSize(size[0]);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        write(zip, e.getValue());
        zip.closeEntry();
      }
      zip.finish();
    });
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
