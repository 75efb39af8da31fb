package io.github.twolayer.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Named pipes for tests: made by mkfifo, fed by a writer thread as a producer process would feed them. */
final class Pipes {
  private Pipes() {}

  /** A new named pipe in {@code dir}; the test is skipped where mkfifo does not exist. */
  static Path make(Path dir, String name) throws IOException, InterruptedException {
    Path p = dir.resolve(name);
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo here: " + e.getMessage());
      return null;
    }
    Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
    return p;
  }

  /** Writes {@code bytes} into the pipe from another thread; a reader that stops early only ends the writer. */
  static Thread feed(Path fifo, byte[] bytes) {
    Thread writer = new Thread(() -> {
      try (var out = Files.newOutputStream(fifo)) {
        out.write(bytes);
      } catch (IOException brokenPipe) {
        // the reader closed its end: nothing more to write
      }
    }, "fifo-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /** Waits for a writer; one still blocked on opening the pipe (nobody read it) is released by reading it. */
  static void finish(Thread writer, Path fifo) throws IOException, InterruptedException {
    writer.join(10_000);
    if (writer.isAlive()) {
      try (var in = new FileInputStream(fifo.toFile())) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      writer.join(10_000);
    }
  }
}
