package io.github.twolayer.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.CompositeFilter;
import org.apache.logging.log4j.core.filter.Filterable;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's logging as twolayer wants it on every path (the launcher's log4j2.properties, spark-submit's
 * defaults, a cluster's own configuration): warnings only unless {@code --verbose}, no task stack
 * traces (a failed task reaches the user as one line), and the reason the cluster gave when it ended
 * the application. Spark reports that reason only in its log ("Application has been killed. Reason:
 * Master removed our application: FAILED") before it stops the context; the jobs then fail with
 * "SparkContext was shut down", which names nothing, so the reason is kept here for the message.
 *
 * <p>While a session starts, what Spark logs is held back ({@link #holdStartUp}): when the start fails,
 * the command's one line says why and SparkContext's "Error initializing SparkContext." with its stack
 * trace is dropped; when it succeeds, the held lines are printed after all.
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
  static void stop(SparkSession spark) {
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
  private static final List<String> CLUSTER_LOGGERS = List.of(
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

  /** Lines held per appender at most while a session starts (a start-up logs a handful). */
  private static final int HELD_LIMIT = 1000;

  /**
   * Holds back every line Spark logs from now until the session has started or failed to (nothing
   * with --verbose, which shows all). A gate goes in front of each appender of the configuration (the
   * console, a cluster's files); the listener for the cluster's reason is left open.
   */
  static StartUp holdStartUp(boolean verbose) {
    try {
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      List<Gate> gates = new ArrayList<>();
      for (Appender a : ctx.getConfiguration().getAppenders().values()) {
        if (a instanceof Filterable f && a != listener) {
          removeGates(f); // a previous failed start's, still dropping its late lines
          if (verbose) {
            continue;
          }
          Gate gate = new Gate(a);
          // First in line: a filter that accepts (a threshold, say) would otherwise decide before it.
          Filter existing = f.getFilter();
          if (existing != null) {
            f.removeFilter(existing);
          }
          f.addFilter(gate);
          if (existing != null) {
            f.addFilter(existing);
          }
          gates.add(gate);
        }
      }
      return new StartUp(gates);
    } catch (LinkageError | ClassCastException e) {
      return new StartUp(List.of()); // not log4j 2: nothing to hold
    }
  }

  private static void removeGates(Filterable f) {
    Filter filter = f.getFilter();
    List<Filter> all = filter instanceof CompositeFilter c ? c.getFiltersArray() == null ? List.of()
        : List.of(c.getFiltersArray()) : filter == null ? List.of() : List.of(filter);
    for (Filter g : all) {
      if (g instanceof Gate) {
        f.removeFilter(g);
      }
    }
  }

  /** The gates of one session start; exactly one of {@link #started} and {@link #failed} ends them. */
  static final class StartUp {
    private final List<Gate> gates;

    private StartUp(List<Gate> gates) {
      this.gates = gates;
    }

    /** The session runs: the held lines go out, in order, and the gates come down. */
    void started() {
      for (Gate g : gates) {
        g.release();
      }
    }

    /**
     * The start failed and the command's one line says why: the held lines are dropped, and so is what
     * the failed start still logs as its threads wind down, until the next start.
     */
    void failed() {
      for (Gate g : gates) {
        g.drop();
      }
    }
  }

  /** In front of one appender: holds its events, then passes them on or drops them. */
  private static final class Gate extends AbstractFilter {
    private enum State { HOLDING, RELEASED, DROPPING }

    private final Appender appender;
    private final List<LogEvent> held = new ArrayList<>();
    private State state = State.HOLDING;

    Gate(Appender appender) {
      super(Result.NEUTRAL, Result.NEUTRAL);
      this.appender = appender;
    }

    @Override
    public Result filter(LogEvent event) {
      synchronized (this) {
        if (state == State.RELEASED) {
          return Result.NEUTRAL; // an event that met the gate as it came down
        }
        if (state == State.HOLDING && held.size() < HELD_LIMIT) {
          held.add(event.toImmutable());
        }
        return Result.DENY;
      }
    }

    void release() {
      List<LogEvent> events;
      synchronized (this) {
        state = State.RELEASED;
        events = new ArrayList<>(held);
        held.clear();
      }
      Filterable f = (Filterable) appender;
      f.removeFilter(this);
      for (LogEvent e : events) {
        if (appender.isStarted() && !f.isFiltered(e)) {
          appender.append(e);
        }
      }
    }

    synchronized void drop() {
      state = State.DROPPING;
      held.clear();
    }
  }
}
