package io.github.twolayer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Samples stored by NumPy: a pair of {@code .npy} files, or the arrays {@code X} and {@code Y} of an
 * {@code .npz} archive ({@code np.savez} or {@code np.savez_compressed}). float64, float32 (and integer)
 * elements, either byte order, C or Fortran order. Every pass streams the arrays in row blocks; only a
 * Fortran-ordered array inside an .npz is loaded whole (a zip entry cannot be read out of order).
 */
public final class NumpySource implements RowSource {
  private final Path archive;   // .npz, or null
  private final Path xPath;     // .npy pair, or null
  private final Path yPath;
  private final String xName;
  private final String yName;
  private final NpyHeader xHeader;
  private final NpyHeader yHeader;

  private NumpySource(Path archive, Path xPath, Path yPath, String xName, String yName) throws IOException {
    this.archive = archive;
    this.xPath = xPath;
    this.yPath = yPath;
    this.xName = xName;
    this.yName = yName;
    if (archive != null) {
      try (ZipFile zip = openZip(archive)) {
        this.xHeader = headerOf(zip, xName);
        this.yHeader = headerOf(zip, yName);
      }
    } else {
      this.xHeader = headerOf(xPath);
      this.yHeader = headerOf(yPath);
    }
    if (xHeader.rows() != yHeader.rows()) {
      throw new IllegalArgumentException("X has " + xHeader.rows() + " rows but Y has " + yHeader.rows()
          + "; they must describe the same samples");
    }
    if (xHeader.rows() == 0) {
      throw new IllegalArgumentException(description() + " holds no samples (0 rows)");
    }
  }

  /** The arrays X and Y of an .npz archive. */
  public static NumpySource npz(Path archive) throws IOException {
    return npz(archive, "X", "Y");
  }

  /** Two named arrays of an .npz archive. */
  public static NumpySource npz(Path archive, String xName, String yName) throws IOException {
    return new NumpySource(archive, null, null, xName, yName);
  }

  /** A pair of .npy files. */
  public static NumpySource npyPair(Path x, Path y) throws IOException {
    return new NumpySource(null, x, y, x.toString(), y.toString());
  }

  /**
   * True for a pair of C-order .npy files: they are read through memory maps, as fast as a copy in the
   * heap once the operating system has them in its page cache, so caching them would only cost memory.
   */
  public boolean memoryMapped() {
    return archive == null && !xHeader.fortranOrder() && !yHeader.fortranOrder();
  }

  @Override
  public int d() {
    return xHeader.cols();
  }

  @Override
  public int l() {
    return yHeader.cols();
  }

  @Override
  public long n() {
    return xHeader.rows();
  }

  @Override
  public String description() {
    return archive != null ? archive.toString() : xPath + " + " + yPath;
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) throws IOException {
    int d = d();
    int l = l();
    double[] x = new double[maxRows * d];
    double[] y = new double[maxRows * l];
    List<AutoCloseable> open = new ArrayList<>();
    try {
      ArrayReader xr;
      ArrayReader yr;
      if (archive != null) {
        ZipFile zip = openZip(archive);
        open.add(zip);
        xr = entryReader(zip, xName, xHeader);
        open.add(xr);
        yr = entryReader(zip, yName, yHeader);
        open.add(yr);
      } else {
        xr = fileReader(xPath, xHeader);
        open.add(xr);
        yr = fileReader(yPath, yHeader);
        open.add(yr);
      }
      long n = n();
      for (long row = 0; row < n; row += maxRows) {
        int rows = (int) Math.min(maxRows, n - row);
        xr.readRows(rows, x, 0);
        yr.readRows(rows, y, 0);
        consumer.accept(new RowBlock(row, rows, x, 0, y, 0));
      }
    } finally {
      Collections.reverse(open);
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing a reader we only read from cannot lose data
        }
      }
    }
  }

  private static ZipFile openZip(Path archive) throws IOException {
    if (!Files.exists(archive)) {
      throw new IllegalArgumentException("data file " + archive + " does not exist; check the path");
    }
    try {
      return new ZipFile(archive.toFile());
    } catch (java.util.zip.ZipException e) {
      throw new IllegalArgumentException(archive + " is not a readable .npz archive (" + e.getMessage()
          + "); it may be truncated: re-save it with numpy.savez");
    }
  }

  private static ZipEntry entry(ZipFile zip, String name) {
    ZipEntry e = zip.getEntry(name + ".npy");
    if (e == null) {
      List<String> names = new ArrayList<>();
      zip.stream().forEach(z -> names.add(z.getName().replaceAll("\\.npy$", "")));
      throw new IllegalArgumentException(zip.getName() + " has no array '" + name + "' (it holds " + names
          + "); save it with np.savez(path, X=..., Y=...)");
    }
    return e;
  }

  private static NpyHeader headerOf(ZipFile zip, String name) throws IOException {
    ZipEntry e = entry(zip, name);
    try (InputStream in = zip.getInputStream(e)) {
      NpyHeader h = NpyHeader.read(in, zip.getName() + ":" + name);
      if (e.getSize() >= 0 && e.getSize() < h.headerBytes() + h.dataBytes()) {
        throw ArrayReader.truncated(h, (e.getSize() - h.headerBytes()) / h.itemSize() / h.cols());
      }
      return h;
    }
  }

  private static NpyHeader headerOf(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      NpyHeader h = NpyHeader.read(in, file.toString());
      long size = Files.size(file);
      if (size < h.headerBytes() + h.dataBytes()) {
        throw ArrayReader.truncated(h, (size - h.headerBytes()) / h.itemSize() / h.cols());
      }
      return h;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("data file " + file + " does not exist; check the path");
    }
  }

  private static ArrayReader entryReader(ZipFile zip, String name, NpyHeader header) throws IOException {
    InputStream in = new BufferedInputStream(zip.getInputStream(entry(zip, name)), 1 << 16);
    NpyHeader.read(in, header.name());
    if (header.fortranOrder()) {
      try (in) {
        return ArrayReader.inMemory(header, ArrayReader.readAll(header, in));
      }
    }
    return ArrayReader.sequential(header, in);
  }

  private static ArrayReader fileReader(Path file, NpyHeader header) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    if (header.fortranOrder()) {
      return ArrayReader.columnMajor(header, channel);
    }
    return ArrayReader.mapped(header, channel);
  }
}
