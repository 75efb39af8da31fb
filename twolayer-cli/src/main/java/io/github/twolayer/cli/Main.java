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
        + "Collins et al. 2024 multi-task representation learning).",
    subcommands = {DemoCommand.class, GenerateCommand.class, RecoverCommand.class, EvaluateCommand.class,
        PretrainCommand.class, AdaptCommand.class, TrainCommand.class, ReproduceCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final String VERSION = "0.1.0";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

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
    CommandLine cli = new CommandLine(new Main());
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
        err.println("error: " + e.getMessage());
        return 2;
      }
      if (e instanceof RecoveryException r) {
        err.println("cannot recover (" + r.diagnostic() + "): " + r.getMessage());
        return 3;
      }
      if (e instanceof RowSource.CancelledException) {
        err.println("interrupted");
        return 130;
      }
      if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.NoSuchFileException) {
        err.println("error: cannot access " + e.getMessage() + "; check the path and its permissions");
        return 2;
      }
      if (e instanceof java.io.IOException) {
        err.println("error: " + e.getMessage());
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
