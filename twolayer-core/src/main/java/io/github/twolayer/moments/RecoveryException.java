package io.github.twolayer.moments;

/**
 * The data cannot support the requested recovery. {@link #diagnostic()} names the quantity that
 * failed (for example {@code "second-moment-condition"}), and the message says what to try.
 */
public final class RecoveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String diagnostic;
  private final double value;

  public RecoveryException(String diagnostic, double value, String message) {
    super(message);
    this.diagnostic = diagnostic;
    this.value = value;
  }

  /** The name of the diagnostic that failed. */
  public String diagnostic() {
    return diagnostic;
  }

  /** Its value. */
  public double value() {
    return value;
  }
}
