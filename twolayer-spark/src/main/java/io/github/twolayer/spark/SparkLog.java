package io.github.twolayer.spark;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Spark's logging as twolayer wants it on every path (the launcher's log4j2.properties, spark-submit's
 * defaults, a cluster's own configuration): warnings only unless {@code --verbose}, no task stack
 * traces (a failed task reaches the user as one line), and the reason the cluster gave when it ended
 * the application. Spark reports that reason only in its log ("Application has been killed. Reason:
 * Master removed our application: FAILED") before it stops the context; the jobs then fail with
 * "SparkContext was shut down", which names nothing, so the reason is kept here for the message.
 */
final class SparkLog {
  private SparkLog() {}

  private static final AtomicReference<String> endReason = new AtomicReference<>();

  /** Sets the levels (before a session starts, so that its start-up is quiet too) and the listener. */
  static void configure(boolean verbose) {
    try {
      Configurator.setRootLevel(verbose ? Level.INFO : Level.WARN);
      if (!verbose) {
        // Harmless on a laptop: no native Hadoop library, the loopback address Spark binds to.
        Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
        Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
        // A failed task's exception reaches the user as one line; these would print its trace twice more.
        Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.OFF);
        Configurator.setLevel("org.apache.spark.executor.Executor", Level.OFF);
      }
      installListener(verbose);
    } catch (LinkageError | ClassCastException e) {
      // Not log4j 2 underneath (a cluster with its own logging): its configuration applies as it is.
    }
  }

  /**
   * Stops a session without the errors a cluster's late messages raise while it shuts down ("Could
   * not find AppClient", with a stack trace): the command has its result or its one-line error by
   * then. With --verbose they are shown.
   */
  static void stop(org.apache.spark.sql.SparkSession spark) {
    if (!Boolean.getBoolean("twolayer.verbose")) {
      try {
        Configurator.setRootLevel(Level.OFF);
      } catch (LinkageError | ClassCastException e) {
        // not log4j 2: nothing to quiet
      }
    }
    spark.stop();
  }

  /** The reason the cluster gave for ending this JVM's application, or null. */
  static String endReason() {
    return endReason.get();
  }

  /** Forgets a previous session's reason (a JVM may run several sessions one after another). */
  static void clear() {
    endReason.set(null);
  }

  /** The loggers that report why the cluster ended the application (at ERROR, before the stop). */
  private static final java.util.List<String> CLUSTER_LOGGERS = java.util.List.of(
      "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend",
      "org.apache.spark.deploy.client.StandaloneAppClient$ClientEndpoint");

  private static AbstractAppender listener;

  /**
   * Routes the cluster loggers' errors to the listener: only there (the user gets the reason in the
   * one-line message), or also to the console with --verbose. Spark's RPC inbox, which prints the same
   * ending again with a stack trace, is silenced unless --verbose.
   */
  private static synchronized void installListener(boolean verbose) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    if (listener == null) {
      listener = new AbstractAppender("twolayer-cluster-events", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
          if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
            String m = event.getMessage().getFormattedMessage();
            int at = m.indexOf("Reason: ");
            endReason.compareAndSet(null, at >= 0 ? m.substring(at + "Reason: ".length()) : m);
          }
        }
      };
      listener.start();
    }
    Configuration config = ctx.getConfiguration();
    for (String name : CLUSTER_LOGGERS) {
      config.removeLogger(name);
      LoggerConfig lc = new LoggerConfig(name, verbose ? Level.INFO : Level.ERROR, verbose);
      lc.addAppender(listener, Level.ERROR, null);
      config.addLogger(name, lc);
    }
    config.removeLogger("org.apache.spark.rpc.netty.Inbox");
    if (!verbose) {
      config.addLogger("org.apache.spark.rpc.netty.Inbox", new LoggerConfig("org.apache.spark.rpc.netty.Inbox",
          Level.OFF, false));
    }
    ctx.updateLoggers();
  }
}
