package io.github.twolayer.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file completely or not at all: into a temporary file beside the target, then renamed over
 * it. An interrupted or failed write leaves no partial output.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** The body that writes the content. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Checks that {@code target} can be written (its folder exists and is writable, it is not a folder). */
  public static void checkWritable(Path target) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("cannot write " + target + ": the folder " + dir
          + " does not exist; create it first or choose another output path");
    }
    if (Files.isDirectory(abs)) {
      throw new IllegalArgumentException("cannot write " + target + ": it is a folder; give a file name");
    }
    if (!Files.isWritable(dir)) {
      throw new IllegalArgumentException("cannot write " + target + ": the folder " + dir + " is not writable");
    }
  }

  public static void write(Path target, Writer body) throws IOException {
    checkWritable(target);
    Path abs = target.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    tmp.toFile().deleteOnExit(); // also on Ctrl-C: the JVM's shutdown removes an unfinished file
    try {
      // createTempFile makes the file private (rw-------); outputs are ordinary files (rw-r--r--).
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
    boolean done = false;
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        body.write(out);
      } catch (java.nio.file.FileSystemException e) {
        throw e;
      } catch (IOException e) {
        // The operating system's complaint ("No space left on device") does not say which file.
        throw new IOException("cannot write " + target + ": " + lower(e.getMessage()), e);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static String lower(String m) {
    if (m == null || m.isEmpty()) {
      return "the write failed";
    }
    return Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }
}
