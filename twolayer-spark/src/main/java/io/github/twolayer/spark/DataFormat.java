package io.github.twolayer.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which of Spark's readers takes {@code --data}: CSV or Parquet, decided before any session starts from
 * the name of the path (or of the files in its directory) and, for a local file whose name says
 * neither, from its first bytes. Data in a format the Spark engine does not read (NumPy, JSON, …) are
 * refused in one line that says what to do instead, rather than read as Parquet and failed inside a
 * Spark task. Paths that are not on this machine's file system (hdfs://, s3a://, globs) are decided by
 * their names alone; Parquet is Spark's default and the one its own writers leave without an extension.
 */
enum DataFormat {
  CSV, PARQUET;

  /** Every Parquet file begins (and ends) with these four bytes. */
  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
  /** A .npy array begins with \x93NUMPY; an .npz is a zip archive, as are many others. */
  private static final byte[] NUMPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private static final String CONVERT = "convert it to Parquet, or to CSV with a header line (columns x0.., y0..)";

  /** The reader for {@code path}, or an {@link IllegalArgumentException} naming its format and the fix. */
  static DataFormat of(String path) {
    String name = fileName(path);
    DataFormat byName = byName(path, name);
    if (byName != null) {
      return byName;
    }
    Path local = localPath(path);
    if (local != null && Files.isDirectory(local)) {
      return ofDirectory(path, local);
    }
    if (path.toLowerCase(Locale.ROOT).contains(".csv")) {
      return CSV; // a glob such as parts/*.csv*, or a name such as data.csv.bz2
    }
    if (local != null && Files.isRegularFile(local)) {
      return ofContent(path, local);
    }
    return PARQUET; // not a local file (or none yet): Spark's reader names what it finds there
  }

  /** CSV or Parquet by the name, null when the name does not say; refuses the formats we know are neither. */
  private static DataFormat byName(String path, String name) {
    if (csvName(name)) {
      return CSV;
    }
    if (name.endsWith(".parquet") || name.endsWith(".parq")) {
      return PARQUET;
    }
    String kind = knownOther(name);
    if (kind != null) {
      throw refuse(path, kind);
    }
    return null;
  }

  /** The compressions Spark's CSV reader undoes by the file's extension (Hadoop's codecs). */
  private static final List<String> CODECS = List.of(".gz", ".bz2", ".deflate", ".lz4", ".snappy", ".zst");

  /** NAME.csv, or NAME.csv compressed with one of {@link #CODECS}. */
  private static boolean csvName(String name) {
    String n = name;
    for (String codec : CODECS) {
      if (n.endsWith(codec)) {
        n = n.substring(0, n.length() - codec.length());
        break;
      }
    }
    return n.endsWith(".csv");
  }

  /**
   * What a file is by its extension when that is a format the Spark engine does not read (with the fix
   * for it in the message), else null.
   */
  private static String knownOther(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    return switch (name.substring(dot + 1)) {
      case "npz" -> "NumPy: drop --engine spark (the local engine reads .npz), or convert it to Parquet";
      case "npy" -> "NumPy: drop --engine spark (the local engine reads .npy pairs as --x X.npy --y Y.npy), or "
          + "convert them to Parquet";
      case "json", "jsonl", "ndjson" -> "JSON: " + CONVERT;
      case "tsv", "tab" -> "tab-separated: " + CONVERT;
      case "orc" -> "ORC: " + CONVERT;
      case "avro" -> "Avro: " + CONVERT;
      case "arrow", "feather" -> "Arrow: " + CONVERT;
      case "h5", "hdf5" -> "HDF5: " + CONVERT;
      case "xls", "xlsx", "ods" -> "a spreadsheet: " + CONVERT;
      case "pkl", "pickle" -> "a Python pickle: " + CONVERT;
      case "zip", "tar", "tgz" -> "an archive: unpack it (Parquet or CSV files named *.csv)";
      case "gz", "bz2", "deflate", "lz4", "snappy", "zst" -> "compressed but not named as CSV: if it is CSV, "
          + "name it *.csv.gz (or .bz2, .zst, …); else " + CONVERT;
      default -> null;
    };
  }

  /** A directory of part files: CSV when they are all named so, refused when one is in a known other format. */
  private static DataFormat ofDirectory(String path, Path dir) {
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      // Spark's readers skip hidden files and its own markers (_SUCCESS, .crc files) the same way.
      names = files.map(f -> f.getFileName().toString().toLowerCase(Locale.ROOT))
          .filter(f -> !f.startsWith(".") && !f.startsWith("_")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + path + " (" + e.getMessage() + "); check its permissions");
    }
    if (!names.isEmpty() && names.stream().allMatch(DataFormat::csvName)) {
      return CSV;
    }
    for (String f : names) {
      if (!csvName(f) && !f.endsWith(".parquet") && knownOther(f) != null) {
        throw new IllegalArgumentException("--engine spark reads Parquet or CSV; " + path + " holds " + f
            + ", which is " + knownOther(f));
      }
    }
    return PARQUET;
  }

  /** A local file whose name says neither CSV nor Parquet: Parquet if it begins as one, else refused. */
  private static DataFormat ofContent(String path, Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(NUMPY_MAGIC.length);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + " (" + e.getMessage() + "); check its permissions");
    }
    if (startsWith(head, PARQUET_MAGIC)) {
      return PARQUET;
    }
    if (startsWith(head, NUMPY_MAGIC)) {
      throw refuse(path, knownOther(".npy"));
    }
    if (startsWith(head, ZIP_MAGIC)) {
      throw refuse(path, "a zip archive (a NumPy .npz is one: then drop --engine spark, the local engine reads it "
          + "when it is named *.npz); else unpack it");
    }
    throw new IllegalArgumentException("--engine spark reads Parquet or CSV; " + path + " is neither a Parquet file "
        + "(those begin with PAR1) nor named as CSV: if it is CSV, name it *.csv; else " + CONVERT);
  }

  private static IllegalArgumentException refuse(String path, String kind) {
    return new IllegalArgumentException("--engine spark reads Parquet or CSV; " + path + " is " + kind);
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
  }

  /** The last segment of the path (a directory's trailing slash dropped), lower case. */
  private static String fileName(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** The path on this machine's file system (a plain path or a file: URI), or null (another scheme, a glob). */
  private static Path localPath(String path) {
    try {
      if (path.startsWith("file:")) {
        return Paths.get(URI.create(path));
      }
      if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || path.matches(".*[*?\\[{].*")) {
        return null;
      }
      return Paths.get(path);
    } catch (IllegalArgumentException | FileSystemNotFoundException e) { // InvalidPathException too
      return null;
    }
  }
}
