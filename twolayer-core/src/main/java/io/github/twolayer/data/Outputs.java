package io.github.twolayer.data;

import io.github.twolayer.progress.CancelledException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The files one run writes, committed together: each output is written into a temporary file beside it
 * and renamed over it only by {@link #commit}, once every output is complete. A run that fails or is
 * interrupted before that leaves every existing file as it was (its temporary files are removed by
 * {@link #close}, or on the JVM's exit).
 *
 * <p>What is never destroyed: an input of the run (an output that is the same file as an input, by file
 * identity — hard links, symbolic links and {@code ./} included — is refused before any work), another
 * output of the same run (two outputs naming one file are refused), and anything that is not a regular
 * file: a device or a named pipe is written through as a stream (so {@code --out /dev/null} discards and
 * {@code --out fifo} feeds a reader), never renamed over; a symbolic link to a regular file keeps the
 * link and replaces the file it points to.
 *
 * <p>Temporary names are short ({@code .twolayer-MACHINE-PID-RANDOM.tmp}, whatever the length of the
 * target's name) and say which process wrote them: a later run that writes into the same folder
 * removes those of processes of this machine that no longer run (a run killed with {@code kill -9}
 * cannot remove its own), and those of other machines after {@link #FOREIGN_STALE_AFTER}.
 */
public final class Outputs implements AutoCloseable {
  /**
   * How old a temporary file of another machine (or another boot or PID namespace of this one) must be
   * before it counts as left behind: liveness cannot be checked there, and a day is far longer than
   * any run keeps a temporary file unchanged before committing it.
   */
  public static final Duration FOREIGN_STALE_AFTER = Duration.ofDays(1);

  /** Prefix of every temporary file, so that a later run can recognize them. */
  static final String TEMP_PREFIX = ".twolayer-";

  static final String TEMP_SUFFIX = ".tmp";

  /** The body that writes one output's content. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** One declared output: where it goes, and (once opened) the temporary file or stream that holds it. */
  private static final class Pending {
    final Path target; // as given, for messages
    final Path destination; // what is replaced: the target, or the regular file a symbolic link names
    final boolean stream; // a device or pipe: written through, nothing renamed
    Path temp;
    boolean written;

    Pending(Path target, Path destination, boolean stream) {
      this.target = target;
      this.destination = destination;
      this.stream = stream;
    }
  }

  private final List<Path> inputs = new ArrayList<>();
  private final Map<Path, Pending> outputs = new LinkedHashMap<>(); // by destination
  private final Set<Path> cleaned = new HashSet<>();

  private Outputs() {}

  /** The outputs of a run that reads {@code inputs} (nulls are skipped; they are compared by identity). */
  public static Outputs reading(Path... inputs) {
    Outputs o = new Outputs();
    for (Path p : inputs) {
      o.input(p);
    }
    return o;
  }

  /** Adds an input of the run: no output may be the same file. Inputs that do not exist are ignored. */
  public Outputs input(Path input) {
    if (input != null) {
      inputs.add(input);
      for (Pending p : outputs.values()) {
        requireNotSame(p.target, input);
      }
    }
    return this;
  }

  /**
   * Declares an output before the work that makes it: checks that it can be written (its folder
   * exists and is writable, it is not a folder), that it is none of the inputs and no other output.
   * Returns {@code target}.
   */
  public Path add(Path target) {
    Objects.requireNonNull(target, "target");
    Path abs = absolute(target);
    Path destination = abs;
    boolean stream = false;
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(abs)) {
        throw new IllegalArgumentException("cannot write " + target + ": it is a folder; give a file name");
      }
      if (Files.isSymbolicLink(abs)) {
        if (!Files.exists(abs)) {
          throw new IllegalArgumentException("cannot write " + target + ": it is a symbolic link to a file that "
              + "does not exist; remove the link or give another name");
        }
        destination = real(abs);
      }
      stream = !Files.isRegularFile(destination);
    }
    if (!stream) {
      Path dir = destination.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("cannot write " + target + ": the folder " + dir
            + " does not exist; create it first or choose another output path");
      }
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException("cannot write " + target + ": the folder " + dir + " is not writable");
      }
      destination = real(dir).resolve(destination.getFileName());
    } else if (!Files.isWritable(destination)) {
      throw new IllegalArgumentException("cannot write " + target + ": it is not writable");
    }
    for (Path in : inputs) {
      requireNotSame(target, in);
    }
    for (Pending p : outputs.values()) {
      if (p.destination.equals(destination) || sameFile(p.destination, destination)) {
        throw new IllegalArgumentException(target + " is named as two outputs (also as " + p.target
            + "); give each output its own file");
      }
    }
    outputs.put(destination, new Pending(target, destination, stream));
    return target;
  }

  /**
   * The stream to write {@code target}'s content to (declaring it when it was not): a temporary file,
   * or the device or pipe itself. Close it before {@link #commit}.
   */
  public OutputStream open(Path target) throws IOException {
    Pending p = pending(target);
    if (p.written) {
      throw new IllegalStateException(target + " was opened twice");
    }
    p.written = true;
    if (p.stream) {
      return new BufferedOutputStream(Files.newOutputStream(p.destination, StandardOpenOption.WRITE), 1 << 16);
    }
    Path dir = p.destination.getParent();
    if (cleaned.add(dir)) {
      removeStale(dir);
    }
    p.temp = Files.createFile(dir.resolve(tempName()));
    p.temp.toFile().deleteOnExit(); // also on Ctrl-C: the JVM's shutdown removes an unfinished file
    try {
      // createFile follows the umask; outputs are ordinary files (rw-r--r--), as the shell would make them.
      Files.setPosixFilePermissions(p.temp, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
    return new BufferedOutputStream(Files.newOutputStream(p.temp), 1 << 16);
  }

  /** Writes {@code target}'s content with {@code body} (into its temporary file until {@link #commit}). */
  public void write(Path target, Writer body) throws IOException {
    boolean done = false;
    try (OutputStream out = open(target)) {
      body.write(out);
      done = true;
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      // The operating system's complaint ("No space left on device") does not say which file.
      throw new IOException("cannot write " + target + ": " + lower(e.getMessage()), e);
    } finally {
      if (!done) {
        discard(pending(target));
      }
    }
  }

  /**
   * Renames every written output over its target, in the order they were declared. A run interrupted
   * before this (its thread interrupted, as Ctrl-C does) commits nothing.
   */
  public void commit() throws IOException {
    for (Pending p : outputs.values()) {
      if (!p.written) {
        throw new IllegalStateException(p.target + " was declared but never written");
      }
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancelledException();
    }
    for (Pending p : outputs.values()) {
      if (p.temp == null) {
        continue; // a stream: already written through
      }
      try {
        Files.move(p.temp, p.destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(p.temp, p.destination, StandardCopyOption.REPLACE_EXISTING);
      }
      p.temp = null;
    }
  }

  /** Removes the temporary files of outputs not committed (a failed or interrupted run). */
  @Override
  public void close() {
    outputs.values().forEach(Outputs::discard);
  }

  private static void discard(Pending p) {
    if (p.temp != null) {
      try {
        Files.deleteIfExists(p.temp);
      } catch (IOException ignored) {
        // the JVM's exit removes it (deleteOnExit)
      }
      p.temp = null;
    }
  }

  /** The outputs declared so far, as they were named, in order. */
  public List<Path> targets() {
    return outputs.values().stream().map(p -> p.target).toList();
  }

  /** One file written completely or not at all (a run with one output and no input to protect). */
  public static void writeOne(Path target, Writer body) throws IOException {
    try (Outputs o = reading()) {
      o.add(target);
      o.write(target, body);
      o.commit();
    }
  }

  private Pending pending(Path target) {
    for (Pending p : outputs.values()) {
      if (p.target.equals(target)) {
        return p;
      }
    }
    add(target);
    return pending(target);
  }

  private static void requireNotSame(Path output, Path input) {
    if (sameFile(absolute(output), absolute(input))) {
      throw new IllegalArgumentException("the output " + output + " is the same file as the input " + input
          + "; writing it would destroy the input: give the output another name");
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private static String lower(String m) {
    if (m == null || m.isEmpty()) {
      return "the write failed";
    }
    return Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  // --- temporary names -------------------------------------------------------------------------

  /**
   * This machine, boot and PID namespace, in 8 hex digits: a temporary file with this mark and a PID
   * that no longer runs was left by a killed run. Elsewhere (another host on a shared folder, a
   * container) a PID says nothing, so the mark tells the two apart.
   */
  static final String MACHINE = machine();

  private static String machine() {
    StringBuilder id = new StringBuilder();
    try {
      id.append(Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip());
      id.append(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
    } catch (IOException | RuntimeException e) {
      id.append(System.getenv().getOrDefault("HOSTNAME", "unknown"));
    }
    return String.format("%08x", id.toString().hashCode());
  }

  private static String tempName() {
    return TEMP_PREFIX + MACHINE + "-" + ProcessHandle.current().pid() + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36) + TEMP_SUFFIX;
  }

  /** Whether {@code name} is a temporary file of a run that can no longer commit it. */
  static boolean stale(String name, Instant modified, Instant now) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) {
      return false;
    }
    String[] parts = name.substring(TEMP_PREFIX.length(), name.length() - TEMP_SUFFIX.length()).split("-");
    if (parts.length != 3) {
      return false;
    }
    if (!parts[0].equals(MACHINE)) {
      return modified.plus(FOREIGN_STALE_AFTER).isBefore(now);
    }
    try {
      long pid = Long.parseLong(parts[1]);
      return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Removes the temporary files that killed runs left in {@code dir}; a file that cannot be removed stays. */
  private static void removeStale(Path dir) {
    Instant now = Instant.now();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path f : files) {
        try {
          if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
              && stale(f.getFileName().toString(), Files.getLastModifiedTime(f).toInstant(), now)) {
            Files.deleteIfExists(f);
          }
        } catch (IOException ignored) {
          // another run removed it first, or it is not ours to remove
        }
      }
    } catch (IOException ignored) {
      // an unreadable folder: nothing to clean
    }
  }
}
