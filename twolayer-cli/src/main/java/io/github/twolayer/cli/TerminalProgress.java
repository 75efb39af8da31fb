package io.github.twolayer.cli;

import io.github.twolayer.progress.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, one per phase, when stderr is a terminal; silent when piped. */
final class TerminalProgress implements Progress, AutoCloseable {
  private final boolean enabled;
  private ProgressBar bar;
  private String phase;

  private TerminalProgress(boolean enabled) {
    this.enabled = enabled;
  }

  /** Enabled only on an interactive terminal. */
  static TerminalProgress forTerminal() {
    return new TerminalProgress(System.console() != null);
  }

  @Override
  public void update(String newPhase, long done, long total) {
    if (!enabled) {
      return;
    }
    if (!newPhase.equals(phase)) {
      close();
      phase = newPhase;
      bar = new ProgressBarBuilder().setTaskName(newPhase).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).build();
    }
    bar.stepTo(done);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
