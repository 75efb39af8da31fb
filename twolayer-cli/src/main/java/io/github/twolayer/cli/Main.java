package io.github.twolayer.cli;

import io.github.twolayer.data.RowSource;
import io.github.twolayer.moments.RecoveryException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code twolayer} command line: the only place that prints or exits. Exit codes follow
 * CONTRACT.md: 0 success, 2 bad input (one line naming the problem and the fix), 3 the data cannot
 * support the recovery, 1 an internal error (stack trace with {@code --verbose}).
 */
@Command(name = "twolayer", mixinStandardHelpOptions = true, version = "twolayer " + Main.VERSION,
    description = "Learns two-layer ReLU networks with provable algorithms (Ge et al. 2019 method of moments; "
        + "Collins et al. 2024 multi-task representation learning).")
public final class Main implements Runnable {
  public static final String VERSION = "0.1.0";

  /** The commands, in the order of the help. */
  private static final java.util.Map<String, java.util.function.Supplier<Object>> COMMANDS = commands();

  private static java.util.Map<String, java.util.function.Supplier<Object>> commands() {
    java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
    m.put("demo", DemoCommand::new);
    m.put("generate", GenerateCommand::new);
    m.put("recover", RecoverCommand::new);
    m.put("evaluate", EvaluateCommand::new);
    m.put("pretrain", PretrainCommand::new);
    m.put("adapt", AdaptCommand::new);
    m.put("train", TrainCommand::new);
    m.put("reproduce", ReproduceCommand::new);
    m.put("bench", BenchCommand::new);
    return m;
  }

  /**
   * The command tree for {@code args}: only the command they name when they name one (picocli builds a
   * command's model by reflection over its options and mixins, ~0.2 s on a cold JVM for all of them,
   * which a command pays at every start), else every command and {@code help}.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    java.util.List<String> given = java.util.Arrays.asList(args);
    String named = given.contains("help") ? null
        : given.stream().filter(COMMANDS::containsKey).findFirst().orElse(null);
    if (named != null) {
      cli.addSubcommand(COMMANDS.get(named).get());
    } else {
      COMMANDS.values().forEach(c -> cli.addSubcommand(c.get()));
      cli.addSubcommand(new CommandLine.HelpCommand());
    }
    return cli;
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** {@code --blas}, accepted by every command: which implementation of the heavy products runs. */
  @CommandLine.Option(names = "--blas", scope = CommandLine.ScopeType.INHERIT, paramLabel = "native|java|auto",
      description = "Matrix products: native (OpenBLAS, shipped in the jar), java (our own kernels) or auto (native "
          + "where it loads; the default).")
  void setBlas(String choice) {
    if (!java.util.List.of("native", "java", "auto").contains(choice)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--blas " + choice + " is not a BLAS: use native, java or auto");
    }
    System.setProperty(io.github.twolayer.linalg.Blas.PROPERTY, choice);
    if (choice.equals("native") && !io.github.twolayer.linalg.NativeBlas.available()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--blas native: the native BLAS does not load here ("
          + io.github.twolayer.linalg.NativeBlas.loadFailure() + "); use --blas java or auto");
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'twolayer demo' or 'twolayer --help'");
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true"); // plots are drawn off-screen, also without a display
    // --blas sets a process-wide property for the run; put back what was there (tests run many commands in one JVM).
    String blasBefore = System.getProperty(io.github.twolayer.linalg.Blas.PROPERTY);
    // --verbose also tells engines (Spark's logging) to say more; set for this run only.
    String verboseBefore = System.getProperty(VERBOSE_PROPERTY);
    if (java.util.Arrays.asList(args).contains("--verbose")) {
      System.setProperty(VERBOSE_PROPERTY, "true");
    }
    try {
      return execute(args, out, err);
    } finally {
      restore(io.github.twolayer.linalg.Blas.PROPERTY, blasBefore);
      restore(VERBOSE_PROPERTY, verboseBefore);
    }
  }

  /** Set to "true" while a command runs with --verbose (read by twolayer-spark for its log level). */
  public static final String VERBOSE_PROPERTY = "twolayer.verbose";

  /** A message as the one line the contract promises, whatever text from a file it quotes. */
  static String oneLine(String message) {
    return String.valueOf(message).strip().replace("\r\n", " ⏎ ").replace("\n", " ⏎ ").replace("\r", " ⏎ ");
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static int execute(String[] args, PrintStream out, PrintStream err) {
    // Load the native library (~0.1 s) and Jackson (~0.2 s) while the command parses its options and
    // opens its data.
    Thread preload = new Thread(() -> {
      io.github.twolayer.linalg.NativeBlas.available();
      Common.warmUp();
    }, "twolayer-preload");
    preload.setDaemon(true);
    preload.start();
    CommandLine cli = commandLine(args);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("error: " + ex.getMessage());
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable e = ex;
      if (e instanceof UncheckedIOException u && u.getCause() != null) {
        e = u.getCause();
      }
      if (verbose) {
        e.printStackTrace(err);
      }
      if (e instanceof IllegalArgumentException) {
        err.println("error: " + oneLine(e.getMessage()));
        return 2;
      }
      if (e instanceof RecoveryException r) {
        err.println("cannot recover (" + r.diagnostic() + "): " + oneLine(r.getMessage()));
        return 3;
      }
      if (e instanceof io.github.twolayer.progress.DivergedException) { // these data and step sizes cannot train
        err.println("error: " + oneLine(e.getMessage()));
        return 3;
      }
      if (e instanceof io.github.twolayer.pass.EngineException) {
        err.println("error: " + oneLine(e.getMessage()));
        return io.github.twolayer.pass.EngineException.EXIT_CODE;
      }
      if (e instanceof io.github.twolayer.progress.CancelledException) {
        err.println("interrupted");
        return 130;
      }
      if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.NoSuchFileException) {
        err.println("error: cannot access " + e.getMessage() + "; check the path and its permissions");
        return 2;
      }
      if (e instanceof java.io.IOException) {
        err.println("error: " + oneLine(e.getMessage()));
        return 2;
      }
      if (!verbose) {
        err.println("internal error: " + e + " (run again with --verbose for the stack trace, and please report it)");
      }
      return 1;
    });
    return cli.execute(args);
  }
}
