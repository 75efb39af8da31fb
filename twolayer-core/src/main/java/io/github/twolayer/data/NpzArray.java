package io.github.twolayer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** One whole array of an .npz archive, read into memory as doubles in row-major order. */
record NpzArray(NpyHeader header, double[] values) {
  /** The array {@code name} (member {@code name.npy}), or null when the archive has none. */
  static NpzArray read(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name + ".npy");
    if (e == null) {
      return null;
    }
    try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
      NpyHeader h = NpyHeader.read(in, zip.getName() + ":" + name);
      Heap.require(8L * h.rows() * h.cols(), "reading " + name + " of " + zip.getName() + " (" + h.rows() + "×"
          + h.cols() + ") into memory");
      return new NpzArray(h, ArrayReader.readAll(h, in));
    }
  }

  /** The archive, or the one-line refusal of a file that is not one (truncated, not a zip). */
  static ZipFile open(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IllegalArgumentException(file + " is not a readable .npz archive (" + e.getMessage()
          + "); it may be truncated: save it again with numpy.savez");
    }
  }

  /** The archive's member names, arrays without their ".npy", for messages. */
  static List<String> members(ZipFile zip) {
    List<String> names = new ArrayList<>();
    zip.stream().forEach(z -> names.add(z.getName().replaceAll("\\.npy$", "")));
    return names;
  }
}
