package io.github.twolayer.pass;

/**
 * The engine that runs the passes failed: a cluster master that cannot be reached, an application the
 * master removed, executors lost past their retries. Neither the data's fault (exit 2) nor a bug
 * (exit 1): the command line exits with {@link #EXIT_CODE} and prints the message, one line that names
 * the cause and what to check.
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The command line's exit code for an engine or cluster failure (docs/cli.md, "Exit codes"). */
  public static final int EXIT_CODE = 4;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
