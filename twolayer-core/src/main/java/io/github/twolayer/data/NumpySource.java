package io.github.twolayer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
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
  private final List<String> yNames;  // the outputs: these arrays' columns side by side
  private final NpyHeader xHeader;
  private final List<NpyHeader> yHeaders;
  private final int l;
  /** Where each stored (uncompressed) entry's .npy bytes start in the archive; empty for a pair. */
  private final Map<String, Long> stored;

  private NumpySource(Path archive, Path xPath, Path yPath, String xName, List<String> yNames) throws IOException {
    this.archive = archive;
    this.xPath = xPath;
    this.yPath = yPath;
    this.xName = xName;
    this.yNames = List.copyOf(yNames);
    List<NpyHeader> headers = new ArrayList<>();
    // A zip directory and memory maps need positions in a file: a pipe or device cannot give them.
    for (Path p : archive != null ? List.of(archive) : List.of(xPath, yPath)) {
      DataFiles.requireRegularFile(p);
    }
    if (archive != null) {
      try (ZipFile zip = openZip(archive)) {
        this.xHeader = headerOf(zip, xName);
        for (String name : yNames) {
          headers.add(headerOf(zip, name));
        }
      }
      this.stored = storedEntries(archive);
    } else {
      this.stored = Map.of();
      this.xHeader = headerOf(xPath);
      headers.add(headerOf(yPath));
    }
    this.yHeaders = List.copyOf(headers);
    int cols = 0;
    for (int a = 0; a < yHeaders.size(); a++) {
      NpyHeader h = yHeaders.get(a);
      if (xHeader.rows() != h.rows()) {
        throw new IllegalArgumentException("X has " + xHeader.rows() + " rows but " + (archive != null ? yNames.get(a)
            : "Y") + " has " + h.rows() + "; they must describe the same samples");
      }
      cols += h.cols();
    }
    this.l = cols;
    if (xHeader.rows() == 0) {
      throw new IllegalArgumentException(description() + " holds no samples (0 rows); save at least one row");
    }
    if (xHeader.cols() == 0) {
      throw DataFiles.noColumns(archive != null ? xName + " in " + archive : xPath.toString(), xHeader,
          "the inputs need at least one column; save them as an (n, d) array with d ≥ 1");
    }
    for (int a = 0; a < yHeaders.size(); a++) {
      if (yHeaders.get(a).cols() == 0) {
        throw DataFiles.noColumns(archive != null ? yNames.get(a) + " in " + archive : yPath.toString(),
            yHeaders.get(a), "the outputs need at least one column; save them as an (n, l) array with l ≥ 1 "
            + "(or a vector of n values)");
      }
    }
  }

  /** The arrays X and Y of an .npz archive. */
  public static NumpySource npz(Path archive) throws IOException {
    return npz(archive, "X", "Y");
  }

  /** Two named arrays of an .npz archive. */
  public static NumpySource npz(Path archive, String xName, String yName) throws IOException {
    return npz(archive, xName, List.of(yName));
  }

  /** Inputs from one array of an .npz archive, outputs the columns of several, side by side. */
  public static NumpySource npz(Path archive, String xName, List<String> yNames) throws IOException {
    return new NumpySource(archive, null, null, xName, yNames);
  }

  /** A pair of .npy files. */
  public static NumpySource npyPair(Path x, Path y) throws IOException {
    return new NumpySource(null, x, y, x.toString(), List.of(y.toString()));
  }

  /**
   * True for a pair of C-order .npy files: they are read through memory maps, as fast as a copy in the
   * heap once the operating system has them in its page cache, so caching them would only cost memory.
   */
  public boolean memoryMapped() {
    if (archive == null) {
      return !xHeader.fortranOrder() && !yHeaders.get(0).fortranOrder();
    }
    if (xHeader.fortranOrder() || !stored.containsKey(xName + ".npy")) {
      return false;
    }
    for (int a = 0; a < yNames.size(); a++) {
      if (yHeaders.get(a).fortranOrder() || !stored.containsKey(yNames.get(a) + ".npy")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The stored entries of an archive whose bytes begin with the .npy magic where the zip directory says
   * (np.savez writes stored entries; np.savez_compressed deflated ones, which are streamed instead).
   */
  private static Map<String, Long> storedEntries(Path archive) throws IOException {
    try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
      Map<String, Long> offsets = new HashMap<>();
      for (Map.Entry<String, Long> e : StoredZipEntries.dataOffsets(channel).entrySet()) {
        ByteBuffer magic = ByteBuffer.allocate(6);
        channel.read(magic, e.getValue());
        if (Arrays.equals(magic.array(), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) {
          offsets.put(e.getKey(), e.getValue());
        }
      }
      return Map.copyOf(offsets);
    }
  }

  @Override
  public int d() {
    return xHeader.cols();
  }

  @Override
  public int l() {
    return l;
  }

  @Override
  public long n() {
    return xHeader.rows();
  }

  @Override
  public String description() {
    return archive != null ? archive.toString() : xPath + " + " + yPath;
  }

  /** Two buffers alternate, so a block survives the reading of the next one. */
  @Override
  public boolean blocksOutliveNextCall() {
    return true;
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) throws IOException {
    int d = d();
    int l = l();
    long n = n();
    // float64 rows of a mapped file (one output array) are handed out in place, and the native products
    // copy them from the mapping: no copy into the heap, which cost 0.2 s of a recovery at n = 10⁶,
    // d + l = 70. Other data are read into two buffers (the second only when there is more than one
    // block): block i+1 into the one block i does not use, which a pipelined pass may still be summing
    // (blocksOutliveNextCall).
    boolean inPlace = yHeaders.size() == 1 && memoryMapped() && inPlace(xHeader) && inPlace(yHeaders.get(0));
    boolean two = n > maxRows;
    double[][] xs = {inPlace ? null : new double[maxRows * d], two && !inPlace ? new double[maxRows * d] : null};
    double[][] ys = {inPlace ? null : new double[maxRows * l], two && !inPlace ? new double[maxRows * l] : null};
    List<AutoCloseable> open = new ArrayList<>();
    try {
      ArrayReader xr;
      List<ArrayReader> yrs = new ArrayList<>();
      if (archive != null && memoryMapped()) {
        // Stored entries: mapped from the archive like .npy files, no inflater and no copy through a stream.
        xr = ArrayReader.mapped(xHeader, FileChannel.open(archive, StandardOpenOption.READ), stored.get(xName + ".npy"));
        open.add(xr);
        for (int a = 0; a < yNames.size(); a++) {
          yrs.add(ArrayReader.mapped(yHeaders.get(a), FileChannel.open(archive, StandardOpenOption.READ),
              stored.get(yNames.get(a) + ".npy")));
          open.add(yrs.get(a));
        }
      } else if (archive != null) {
        ZipFile zip = openZip(archive);
        open.add(zip);
        xr = entryReader(zip, xName, xHeader);
        open.add(xr);
        for (int a = 0; a < yNames.size(); a++) {
          yrs.add(entryReader(zip, yNames.get(a), yHeaders.get(a)));
          open.add(yrs.get(a));
        }
      } else {
        xr = fileReader(xPath, xHeader);
        open.add(xr);
        yrs.add(fileReader(yPath, yHeaders.get(0)));
        open.add(yrs.get(0));
      }
      // Several output arrays: each read into its own buffer, then their columns placed side by side.
      double[][] parts = new double[yrs.size() > 1 ? yrs.size() : 0][];
      for (int a = 0; a < parts.length; a++) {
        parts[a] = new double[maxRows * yHeaders.get(a).cols()];
      }
      int turn = 0;
      for (long row = 0; row < n; row += maxRows) {
        int rows = (int) Math.min(maxRows, n - row);
        if (inPlace) {
          consumer.accept(RowBlock.mapped(row, rows, xr.rowsInPlace(rows), yrs.get(0).rowsInPlace(rows)));
          continue;
        }
        double[] x = xs[turn];
        double[] y = ys[turn];
        turn = two ? 1 - turn : 0;
        xr.readRows(rows, x, 0);
        if (parts.length == 0) {
          yrs.get(0).readRows(rows, y, 0);
        } else {
          int offset = 0;
          for (int a = 0; a < parts.length; a++) {
            int cols = yHeaders.get(a).cols();
            yrs.get(a).readRows(rows, parts[a], 0);
            for (int r = 0; r < rows; r++) {
              System.arraycopy(parts[a], r * cols, y, r * l + offset, cols);
            }
            offset += cols;
          }
        }
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

  /** An array whose rows a mapped reader can hand out in place: C-order float64. */
  private static boolean inPlace(NpyHeader h) {
    return h.kind() == 'f' && h.itemSize() == 8 && !h.fortranOrder();
  }

  private static ZipFile openZip(Path archive) throws IOException {
    if (!Files.exists(archive)) {
      throw new IllegalArgumentException("data file " + archive + " does not exist; check the path");
    }
    try {
      return new ZipFile(archive.toFile());
    } catch (ZipException e) {
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
