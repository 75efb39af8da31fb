package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.progress.CancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run's outputs never destroy, and what they leave when the run fails. */
class OutputsTest {
  @TempDir
  Path tmp;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws IOException {
    try (var list = Files.list(tmp)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFailedWriteLeavesNoPartialFileAndTheOldOneAsItWas() throws IOException {
    Path target = tmp.resolve("out.bin");
    Files.writeString(target, "old");
    assertThatThrownBy(() -> Outputs.writeOne(target, out -> {
      out.write(new byte[1000]);
      throw new IOException("No space left on device");
    })).hasMessage("cannot write " + target + ": no space left on device");
    assertThat(names()).containsExactly("out.bin");
    assertThat(Files.readString(target)).isEqualTo("old");
  }

  @Test
  void outputsAreRenamedTogetherOnlyAtCommit() throws IOException {
    Path truth = tmp.resolve("truth.json");
    Path data = tmp.resolve("data.npz");
    Files.writeString(truth, "old truth");
    Files.writeString(data, "old data");
    // The second write fails (a full disk): the first, already complete, must not replace the old truth.
    try (Outputs outputs = Outputs.reading()) {
      outputs.add(truth);
      outputs.add(data);
      outputs.write(truth, out -> out.write(bytes("new truth")));
      assertThatThrownBy(() -> outputs.write(data, out -> {
        throw new IOException("No space left on device");
      })).isInstanceOf(IOException.class);
    }
    assertThat(names()).containsExactly("data.npz", "truth.json");
    assertThat(Files.readString(truth)).isEqualTo("old truth");
    assertThat(Files.readString(data)).isEqualTo("old data");

    try (Outputs outputs = Outputs.reading()) {
      outputs.write(truth, out -> out.write(bytes("new truth")));
      outputs.write(data, out -> out.write(bytes("new data")));
      assertThat(Files.readString(truth)).isEqualTo("old truth"); // nothing moves before commit
      outputs.commit();
    }
    assertThat(Files.readString(truth)).isEqualTo("new truth");
    assertThat(Files.readString(data)).isEqualTo("new data");
    assertThat(names()).containsExactly("data.npz", "truth.json");
  }

  @Test
  void anInterruptedRunCommitsNothing() throws IOException {
    Path target = tmp.resolve("m.json");
    Files.writeString(target, "old");
    try (Outputs outputs = Outputs.reading()) {
      outputs.write(target, out -> out.write(bytes("new")));
      Thread.currentThread().interrupt();
      assertThatThrownBy(outputs::commit).isInstanceOf(CancelledException.class);
    } finally {
      Thread.interrupted(); // clear the flag for the next test
    }
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names()).containsExactly("m.json");
  }

  @Test
  void anOutputThatIsAnInputIsRefusedByFileIdentity() throws IOException {
    Path input = tmp.resolve("same.npz");
    Files.writeString(input, "samples");
    Path hardLink = Files.createLink(tmp.resolve("link.npz"), input);
    Path symbolic = Files.createSymbolicLink(tmp.resolve("sym.npz"), input);
    Path dotted = tmp.resolve(".").resolve("same.npz");
    for (Path output : List.of(input, hardLink, symbolic, dotted)) {
      assertThatThrownBy(() -> Outputs.reading(input).add(output)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the output " + output + " is the same file as the input " + input
              + "; writing it would destroy the input: give the output another name");
    }
    // Declared in the other order (an input added after the output) too.
    assertThatThrownBy(() -> {
      Outputs o = Outputs.reading();
      o.add(hardLink);
      o.input(input);
    }).hasMessageContaining("is the same file as the input");
    assertThat(Files.readString(input)).isEqualTo("samples");
  }

  @Test
  void twoOutputsNamingOneFileAreRefused() throws IOException {
    Path a = tmp.resolve("x.npy");
    try (Outputs o = Outputs.reading()) {
      o.add(a);
      assertThatThrownBy(() -> o.add(tmp.resolve("./x.npy"))).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(tmp.resolve("./x.npy") + " is named as two outputs (also as " + a
              + "); give each output its own file");
    }
    Files.writeString(a, "old");
    Path link = Files.createLink(tmp.resolve("y.npy"), a);
    try (Outputs o = Outputs.reading()) {
      o.add(a);
      assertThatThrownBy(() -> o.add(link)).hasMessageContaining("is named as two outputs");
    }
  }

  @Test
  void aNamedPipeIsWrittenThroughAndStaysAPipe() throws Exception {
    Path fifo = tmp.resolve("f");
    mkfifo(fifo);
    CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try (Outputs o = Outputs.reading()) {
      o.add(fifo);
      o.write(fifo, out -> out.write(bytes("through the pipe")));
      o.commit();
    }
    assertThat(new String(reader.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("through the pipe");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    assertThat(names()).containsExactly("f"); // no temporary file was made for it
  }

  @Test
  void aCharacterDeviceIsWrittenThroughAndStaysADevice() throws Exception {
    Path device = tmp.resolve("mynull");
    // The null device (major 1, minor 3) made in the test's folder: never the machine's own /dev/null.
    Process mknod = new ProcessBuilder("mknod", "-m", "666", device.toString(), "c", "1", "3").redirectErrorStream(true)
        .start();
    boolean made = mknod.waitFor(30, TimeUnit.SECONDS) && mknod.exitValue() == 0;
    Assumptions.assumeTrue(made, "mknod needs root (CAP_MKNOD); the pipe test covers the same path without it");
    Outputs.writeOne(device, out -> out.write(new byte[1 << 20]));
    assertThat(Files.isRegularFile(device)).isFalse();
    assertThat(Files.size(device)).isZero(); // still the device: what was written went nowhere
    assertThat(names()).containsExactly("mynull");
  }

  @Test
  void aSymbolicLinkKeepsPointingAtTheReplacedFile() throws IOException {
    Path real = Files.createDirectory(tmp.resolve("real")).resolve("m.json");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(tmp.resolve("m.json"), real);
    Outputs.writeOne(link, out -> out.write(bytes("new")));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).isEqualTo("new");
  }

  @Test
  void aLongLegalNameIsWritten() throws IOException {
    Path target = tmp.resolve("m".repeat(250) + ".json"); // 255 bytes: the longest name the file system allows
    Outputs.writeOne(target, out -> out.write(bytes("{}")));
    assertThat(Files.readString(target)).isEqualTo("{}");
  }

  @Test
  void temporaryFilesOfRunsThatCannotCommitThemAreRemoved() throws IOException {
    long dead = deadPid();
    Path killed = tmp.resolve(Outputs.TEMP_PREFIX + Outputs.MACHINE + "-" + dead + "-abc" + Outputs.TEMP_SUFFIX);
    Path running = tmp.resolve(Outputs.TEMP_PREFIX + Outputs.MACHINE + "-" + ProcessHandle.current().pid() + "-abc"
        + Outputs.TEMP_SUFFIX);
    Path foreignFresh = tmp.resolve(Outputs.TEMP_PREFIX + "0000beef-" + dead + "-abc" + Outputs.TEMP_SUFFIX);
    Path foreignOld = tmp.resolve(Outputs.TEMP_PREFIX + "0000beef-" + dead + "-abd" + Outputs.TEMP_SUFFIX);
    Path usersOwn = tmp.resolve(".twolayer-notes.tmp");
    for (Path p : List.of(killed, running, foreignFresh, foreignOld, usersOwn)) {
      Files.writeString(p, "x");
    }
    Files.setLastModifiedTime(foreignOld,
        FileTime.from(Instant.now().minus(Outputs.FOREIGN_STALE_AFTER).minus(Duration.ofMinutes(1))));
    Outputs.writeOne(tmp.resolve("m.json"), out -> out.write(bytes("{}")));
    assertThat(names()).containsExactlyInAnyOrder("m.json", running.getFileName().toString(),
        foreignFresh.getFileName().toString(), usersOwn.getFileName().toString());
  }

  @Test
  void refusesFoldersAndMissingFoldersBeforeAnyWork() {
    assertThatThrownBy(() -> Outputs.reading().add(tmp)).hasMessage("cannot write " + tmp + ": it is a folder; give a "
        + "file name");
    Path missing = tmp.resolve("no").resolve("m.json");
    assertThatThrownBy(() -> Outputs.reading().add(missing)).hasMessageStartingWith("cannot write " + missing
        + ": the folder ").hasMessageEndingWith(" does not exist; create it first or choose another output path");
  }

  /** A PID that no process of this machine has now (the highest below the kernel's limit not in use). */
  private static long deadPid() {
    for (long pid = 4_000_000; pid > 1; pid--) {
      if (ProcessHandle.of(pid).isEmpty()) {
        return pid;
      }
    }
    throw new IllegalStateException("every PID is in use");
  }

  static void mkfifo(Path fifo) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo " + fifo).isTrue();
  }
}
