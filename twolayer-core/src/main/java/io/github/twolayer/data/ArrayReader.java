package io.github.twolayer.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads consecutive rows of a 2-D NumPy array as doubles, whatever its element type, byte order or
 * memory order. C-order arrays are streamed (memory-mapped from a plain {@code .npy} file); Fortran-order
 * arrays in a plain {@code .npy} file are read column segment by column segment at their file offsets, so
 * both stream in bounded memory.
 */
abstract class ArrayReader implements Closeable {
  final NpyHeader header;
  long rowsRead;

  ArrayReader(NpyHeader header) {
    this.header = header;
  }

  /** Reads the next {@code rows} rows into {@code out[off..]}, row-major with {@code header.cols()} per row. */
  abstract void readRows(int rows, double[] out, int off) throws IOException;

  /**
   * The next {@code rows} rows in place, as a view of the mapped file (the view reads the file's byte
   * order). Only a {@link #mapped} reader of float64 data gives one; the caller checks that first.
   */
  DoubleBuffer rowsInPlace(int rows) throws IOException {
    throw new UnsupportedOperationException(header.name() + " is not read from a mapped file");
  }

  static ArrayReader sequential(NpyHeader header, InputStream in) {
    if (header.fortranOrder()) {
      throw new IllegalStateException("Fortran-order data cannot be streamed sequentially");
    }
    return new ArrayReader(header) {
      private byte[] buffer = new byte[0];

      @Override
      void readRows(int rows, double[] out, int off) throws IOException {
        int bytes = Math.multiplyExact(rows * header.cols(), header.itemSize());
        if (buffer.length < bytes) {
          buffer = new byte[bytes];
        }
        int got = in.readNBytes(buffer, 0, bytes);
        if (got < bytes) {
          throw truncated(header, rowsRead + (long) got / header.itemSize() / header.cols());
        }
        convert(header, ByteBuffer.wrap(buffer, 0, bytes), rows * header.cols(), out, off);
        rowsRead += rows;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  /**
   * A C-order array in a plain {@code .npy} file, read through memory-mapped windows of the file
   * ({@value #WINDOW_BYTES} bytes at a time): the operating system's page cache serves the bytes, and
   * the heap holds only the caller's block, however large the file.
   */
  static ArrayReader mapped(NpyHeader header, FileChannel channel) {
    return mapped(header, channel, 0);
  }

  /** As {@link #mapped(NpyHeader, FileChannel)} for an .npy whose first byte is at {@code base} (a stored .npz entry). */
  static ArrayReader mapped(NpyHeader header, FileChannel channel, long base) {
    if (header.fortranOrder()) {
      throw new IllegalStateException("Fortran-order data cannot be read by rows");
    }
    long rowBytes = (long) header.cols() * header.itemSize();
    return new ArrayReader(header) {
      private MappedByteBuffer window;
      private long windowStart;
      private long windowEnd;

      @Override
      void readRows(int rows, double[] out, int off) throws IOException {
        convert(header, next(rows), rows * header.cols(), out, off);
      }

      @Override
      DoubleBuffer rowsInPlace(int rows) throws IOException {
        if (header.kind() != 'f' || header.itemSize() != 8) {
          throw new UnsupportedOperationException(header.name() + " holds " + header.kind() + header.itemSize()
              + " values: only float64 rows are read in place");
        }
        return next(rows).order(header.order()).asDoubleBuffer();
      }

      /**
       * The bytes of the next rows, in a window mapped to hold them whole; a window stays mapped while
       * any view of it is in use.
       */
      private ByteBuffer next(int rows) throws IOException {
        long start = base + header.headerBytes() + rowsRead * rowBytes;
        long bytes = rows * rowBytes;
        if (window == null || start + bytes > windowEnd) {
          long size = Math.min(Math.max(WINDOW_BYTES, bytes), channel.size() - start);
          if (size < bytes) {
            throw truncated(header, rowsRead + Math.max(0, size) / rowBytes);
          }
          window = channel.map(FileChannel.MapMode.READ_ONLY, start, size);
          windowStart = start;
          windowEnd = start + size;
        }
        rowsRead += rows;
        return window.slice((int) (start - windowStart), (int) bytes);
      }

      @Override
      public void close() throws IOException {
        window = null; // unmapped when collected
        channel.close();
      }
    };
  }

  /** Bytes mapped at a time by {@link #mapped}: large enough to make remapping rare, well below 2 GB. */
  static final long WINDOW_BYTES = 1L << 28;

  static ArrayReader columnMajor(NpyHeader header, FileChannel channel) {
    return new ArrayReader(header) {
      private ByteBuffer buffer = ByteBuffer.allocate(0);
      private double[] column = new double[0];

      @Override
      void readRows(int rows, double[] out, int off) throws IOException {
        int cols = header.cols();
        int bytes = rows * header.itemSize();
        if (buffer.capacity() < bytes) {
          buffer = ByteBuffer.allocate(bytes);
          column = new double[rows];
        }
        for (int c = 0; c < cols; c++) {
          long pos = header.headerBytes() + ((long) c * header.rows() + rowsRead) * header.itemSize();
          buffer.clear().limit(bytes);
          while (buffer.hasRemaining()) {
            if (channel.read(buffer, pos + buffer.position()) < 0) {
              throw truncated(header, rowsRead);
            }
          }
          buffer.flip();
          convert(header, buffer, rows, column, 0);
          for (int r = 0; r < rows; r++) {
            out[off + r * cols + c] = column[r];
          }
        }
        rowsRead += rows;
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  /** Reads a whole array into memory, row-major (used for Fortran-order arrays inside .npz archives). */
  static double[] readAll(NpyHeader header, InputStream in) throws IOException {
    long count = header.rows() * header.cols();
    if (count > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(header.name() + " is Fortran-ordered and too large to load at once; "
          + "save it in C order (np.ascontiguousarray) so that it can be streamed");
    }
    byte[] bytes = in.readNBytes((int) count * header.itemSize());
    if (bytes.length < count * header.itemSize()) {
      throw truncated(header, (long) bytes.length / header.itemSize() / header.cols());
    }
    double[] colMajor = new double[(int) count];
    convert(header, ByteBuffer.wrap(bytes), (int) count, colMajor, 0);
    if (!header.fortranOrder()) {
      return colMajor;
    }
    int rows = (int) header.rows();
    int cols = header.cols();
    double[] rowMajor = new double[(int) count];
    for (int c = 0; c < cols; c++) {
      for (int r = 0; r < rows; r++) {
        rowMajor[r * cols + c] = colMajor[c * rows + r];
      }
    }
    return rowMajor;
  }

  static ArrayReader inMemory(NpyHeader header, double[] rowMajor) {
    return new ArrayReader(header) {
      @Override
      void readRows(int rows, double[] out, int off) {
        int cols = header.cols();
        System.arraycopy(rowMajor, (int) rowsRead * cols, out, off, rows * cols);
        rowsRead += rows;
      }

      @Override
      public void close() {}
    };
  }

  static IllegalArgumentException truncated(NpyHeader header, long completeRows) {
    return new IllegalArgumentException(header.name()
        + " is truncated: its header announces " + header.rows() + " rows × " + header.cols() + " columns but the data "
        + "end after about " + completeRows + " rows; re-save the file");
  }

  static void convert(NpyHeader header, ByteBuffer bytes, int count, double[] out, int off) {
    bytes.order(header.order());
    switch (header.kind()) {
      case 'f' -> {
        if (header.itemSize() == 8) {
          bytes.asDoubleBuffer().get(out, off, count);
        } else {
          var floats = bytes.asFloatBuffer();
          for (int i = 0; i < count; i++) {
            out[off + i] = floats.get(i);
          }
        }
      }
      case 'i', 'u' -> {
        boolean unsigned = header.kind() == 'u';
        for (int i = 0; i < count; i++) {
          int p = bytes.position() + i * header.itemSize();
          out[off + i] = switch (header.itemSize()) {
            case 1 -> unsigned ? bytes.get(p) & 0xff : bytes.get(p);
            case 2 -> unsigned ? bytes.getShort(p) & 0xffff : bytes.getShort(p);
            case 4 -> unsigned ? bytes.getInt(p) & 0xffffffffL : bytes.getInt(p);
            case 8 -> (double) bytes.getLong(p);
            default -> throw new IllegalArgumentException(header.name() + ": unsupported integer size " + header.itemSize());
          };
        }
      }
      default -> throw new IllegalArgumentException(header.name() + ": unsupported element kind " + header.kind());
    }
  }
}
