package io.github.twolayer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the command line in-process as a user would from a shell, capturing its exit code, stdout and
 * stderr (shared with twolayer-spark's tests through this module's test jar).
 */
public final class CliRun {
  private CliRun() {}

  /** What one command did. */
  public record Result(int code, String out, String err) {
    public JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }

    public List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** Runs {@code twolayer ARGS...}; arguments are turned into strings. */
  public static Result run(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] strings = Stream.of(args).map(String::valueOf).toArray(String[]::new);
    int code = Main.run(strings, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The arguments of {@code a} followed by those of {@code b}. */
  public static Object[] concat(Object[] a, Object[] b) {
    Object[] c = new Object[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
