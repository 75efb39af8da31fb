package io.github.twolayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a page in headless Chromium (Debian's chromium, installed with apt-get when missing, as the
 * test setup is allowed to) and checks that the page logged nothing to the console and that every image
 * decoded (the report's script sets data-images-ok on the body after the load event).
 */
final class HeadlessChromium {
  private HeadlessChromium() {}

  static final Path BINARY = Path.of("/usr/bin/chromium");

  static synchronized void ensureInstalled() throws IOException {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    run(List.of("apt-get", "update", "-qq"), 600);
    run(List.of("apt-get", "install", "-y", "-qq", "chromium"), 900);
    assertThat(BINARY).as("chromium could not be installed with apt-get").isExecutable();
  }

  private static String run(List<String> command, int seconds) throws IOException {
    Path log = Files.createTempFile("chromium", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  static void assertRendersCleanly(Path page) throws IOException {
    ensureInstalled();
    Path profile = Files.createTempDirectory("chromium-profile");
    Path dom = Files.createTempFile("dom", ".html");
    Path errors = Files.createTempFile("chromium", ".err");
    // The flags the machine notes recommend for a closed network; --virtual-time-budget lets the load
    // event and the page's script run before the DOM is dumped.
    Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
        "--dump-dom", page.toUri().toString()).redirectOutput(dom.toFile()).redirectError(errors.toFile()).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String log = Files.readString(errors, StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains(":CONSOLE")).toList()).as("console messages").isEmpty();
    String html = Files.readString(dom, StandardCharsets.UTF_8);
    assertThat(html).contains("data-images-ok=\"true\"").contains("<img");
  }
}
