package io.github.twolayer.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * An appender beside the console on the root logger, registered in the configuration as the console
 * is: it receives what the console would print, so a test can see what a user's terminal shows of
 * Spark's log (the console itself writes to the JVM's stderr, which {@code CliRun} does not capture).
 */
final class CapturedLog implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final AbstractAppender appender;

  CapturedLog() {
    appender = new AbstractAppender("twolayer-test-capture", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        synchronized (lines) {
          lines.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
        }
      }
    };
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, null, null);
    ctx.updateLoggers();
  }

  /** Everything that reached the console so far, one entry per event. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    ((AbstractConfiguration) config).removeAppender(appender.getName()); // from every logger and the list
    ctx.updateLoggers();
    appender.stop();
  }
}
