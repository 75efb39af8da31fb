package io.github.twolayer.progress;

/**
 * Thrown out of long work when its thread was interrupted (the user pressed Ctrl-C): every pass over
 * samples, pretraining round and gradient-descent start checks for it. The CLI reports it as
 * "interrupted", exit 130.
 */
public final class CancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CancelledException() {
    super("interrupted");
  }
}
