package io.github.twolayer.cli;

import io.github.twolayer.data.Heap;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.linalg.NativeBlas;
import io.github.twolayer.moments.RecoveryException;
import io.github.twolayer.pass.EngineException;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.DivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code twolayer} command line: the only place that prints or exits. Exit codes follow
 * docs/cli.md: 0 success, 2 bad input (one line naming the problem and the fix), 3 the data cannot
 * support the recovery, 1 an internal error (stack trace with {@code --verbose}).
 */
@Command(name = "twolayer", mixinStandardHelpOptions = true, version = "twolayer " + Main.VERSION,
    description = "Learns two-layer ReLU networks with provable algorithms (Ge et al. 2019 method of moments; "
        + "Collins et al. 2024 multi-task representation learning).")
public final class Main implements Runnable {
  public static final String VERSION = "0.1.0";

  /** The commands, in the order of the help. */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
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
    List<String> given = Arrays.asList(args);
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

  /** The --blas given, or null: the library's default ({@link Blas.Choice#byDefault}). */
  private Blas.Choice blas;

  /**
   * {@code --blas}, accepted by every command: which implementation of the heavy products runs, passed
   * to the library as an option by every command ({@link #blas(CommandLine.Model.CommandSpec)}). The
   * process's properties are left alone: a command run from Java changes nothing for the next one.
   */
  @CommandLine.Option(names = "--blas", scope = CommandLine.ScopeType.INHERIT, paramLabel = "native|java|auto",
      description = "Matrix products: native (OpenBLAS, shipped in the jar), java (our own kernels) or auto (native "
          + "where it loads; the default).")
  void setBlas(String choice) {
    if (!List.of("native", "java", "auto").contains(choice)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--blas " + choice + " is not a BLAS: use native, java or auto");
    }
    blas = Blas.Choice.of(choice);
    if (choice.equals("native") && !NativeBlas.available()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--blas native: the native BLAS does not load here ("
          + NativeBlas.loadFailure() + "); use --blas java or auto");
    }
  }

  /** The --blas of this command line, or null when none was given. */
  Blas.Choice blas() {
    return blas;
  }

  /**
   * The --blas of the command line that {@code spec} belongs to, or the library's default ({@link
   * Blas.Choice#byDefault}) when none was given: what each command passes to the library's options.
   */
  static Blas.Choice blas(CommandLine.Model.CommandSpec spec) {
    Blas.Choice given = spec.root().userObject() instanceof Main main ? main.blas() : null;
    return given != null ? given : Blas.Choice.byDefault();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'twolayer demo' or 'twolayer --help'");
  }

  /**
   * How long Ctrl-C or SIGTERM waits for the running command to stop at its next check of
   * interruption (every pass block, round or iteration checks) before the JVM exits anyway; either
   * way no output is committed.
   */
  static final long INTERRUPT_GRACE_SECONDS = 5;

  /** The line a command that Ctrl-C or SIGTERM stopped prints. */
  static final String INTERRUPTED = "interrupted; no output written";

  public static void main(String[] args) {
    // Ctrl-C and SIGTERM run the JVM's shutdown hooks: interrupt the command, let it stop cleanly (its
    // outputs are never committed once interrupted), and say so; the JVM then exits with 130 or 143.
    Thread command = Thread.currentThread();
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (finished.getCount() == 0) {
        return; // the command ended on its own: an ordinary exit
      }
      command.interrupt();
      try {
        if (!finished.await(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS)) {
          System.err.println(INTERRUPTED);
        }
      } catch (InterruptedException ignored) {
        // the JVM is going down regardless
      }
    }, "twolayer-interrupt"));
    int code = run(args, System.out, System.err);
    finished.countDown();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true"); // plots are drawn off-screen, also without a display
    // --verbose also tells engines (Spark's logging) to say more; set for this run only.
    String verboseBefore = System.getProperty(VERBOSE_PROPERTY);
    if (Arrays.asList(args).contains("--verbose")) {
      System.setProperty(VERBOSE_PROPERTY, "true");
    }
    try {
      return execute(args, out, err);
    } finally {
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
      NativeBlas.available();
      Common.warmUp();
    }, "twolayer-preload");
    preload.setDaemon(true);
    preload.start();
    CommandLine cli = commandLine(args);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.registerConverter(Path.class, Main::path);
    boolean verbose = Arrays.asList(args).contains("--verbose");
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("error: " + oneLine(usageProblem(ex)));
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
      if (interrupted(e)) {
        err.println(INTERRUPTED);
        return 130;
      }
      OutOfMemoryError oom = cause(e, OutOfMemoryError.class);
      if (oom != null) {
        err.println("error: " + Heap.exhausted(commandLine.getCommandName()));
        return 2;
      }
      if (e instanceof Heap.TooSmallException) {
        err.println("error: " + oneLine(e.getMessage()));
        return 2;
      }
      if (e instanceof FileSystemException fs && "File name too long".equals(fs.getReason())) {
        err.println("error: the path " + fs.getFile() + " is longer than this system allows (4 096 bytes for a "
            + "path, 255 for one name); use a shorter path, e.g. run from its folder");
        return 2;
      }
      if (e instanceof IllegalArgumentException) {
        err.println("error: " + oneLine(e.getMessage()));
        return 2;
      }
      if (e instanceof RecoveryException r) {
        err.println("cannot recover (" + r.diagnostic() + "): " + oneLine(r.getMessage()));
        return 3;
      }
      if (e instanceof DivergedException) { // these data and step sizes cannot train
        err.println("error: " + oneLine(e.getMessage()));
        return 3;
      }
      if (e instanceof EngineException) {
        err.println("error: " + oneLine(e.getMessage()));
        return EngineException.EXIT_CODE;
      }
      if (e instanceof AccessDeniedException || e instanceof NoSuchFileException) {
        err.println("error: cannot access " + e.getMessage() + "; check the path and its permissions");
        return 2;
      }
      if (e instanceof IOException) {
        err.println("error: " + oneLine(e.getMessage()));
        return 2;
      }
      if (!verbose) {
        err.println("internal error: " + e + " (run again with --verbose for the stack trace, and please report it)");
      }
      return 1;
    });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) { // thrown past picocli, which catches exceptions only
      err.println("error: " + Heap.exhausted(args.length > 0 ? args[0] : "twolayer"));
      return 2;
    }
  }

  /** Whether {@code e} is how a command stopped because Ctrl-C or SIGTERM interrupted it. */
  private static boolean interrupted(Throwable e) {
    return Thread.currentThread().isInterrupted() || cause(e, CancelledException.class) != null
        || cause(e, ClosedByInterruptException.class) != null
        || cause(e, InterruptedException.class) != null;
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> kind) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return kind.cast(t);
      }
    }
    return null;
  }

  /**
   * A command-line path, refused in one line where the system cannot name it: characters the locale
   * cannot encode (LC_ALL=C with a non-ASCII name), a path or a name longer than the system allows
   * (there the file "does not exist" to every call that tries it).
   */
  static Path path(String text) {
    Path p;
    try {
      p = Path.of(text);
    } catch (InvalidPathException e) {
      String charset = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
      throw new CommandLine.TypeConversionException("'" + text + "' has characters that this system's locale ("
          + charset + ") cannot write in a file name; run with a UTF-8 locale (e.g. LC_ALL=C.UTF-8) or rename the "
          + "file");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length >= MAX_PATH_BYTES) {
      throw new CommandLine.TypeConversionException("the path is " + text.length() + " characters long; this system "
          + "takes paths of at most " + (MAX_PATH_BYTES - 1) + " bytes: use a shorter one, e.g. run from its folder");
    }
    for (Path name : p) {
      if (name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new CommandLine.TypeConversionException("the name '" + shorten(name.toString()) + "' is longer than "
            + MAX_NAME_BYTES + " bytes, which this system does not allow for one name: use a shorter one");
      }
    }
    return p;
  }

  /** Linux's limits (PATH_MAX, NAME_MAX): beyond them every call on the path fails as if it did not exist. */
  static final int MAX_PATH_BYTES = 4096;

  static final int MAX_NAME_BYTES = 255;

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 20) + "…" + s.substring(s.length() - 12);
  }

  /**
   * picocli's complaint about the command line, in our words where its own are bare: an unknown command
   * or option gets the closest known ones ("did you mean").
   */
  static String usageProblem(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      CommandLine where = u.getCommandLine();
      String first = u.getUnmatched().get(0);
      List<String> near = u.getSuggestions();
      boolean atTop = where.getParent() == null;
      String command = atTop ? "twolayer" : "twolayer " + where.getCommandName();
      String what = first.startsWith("-") ? "unknown option " + first
          : atTop ? "'" + first + "' is not a command"
          : !where.getSubcommands().isEmpty() ? "'" + first + "' is not a kind of " + command
          : "unexpected argument '" + first + "'";
      String hint = near.isEmpty() ? "; see '" + command + " --help'"
          : "; did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "? (see '"
              + command + " --help')";
      if (atTop && !first.startsWith("-") && near.isEmpty()) {
        hint = "; the commands are " + String.join(", ", COMMANDS.keySet()) + " (see 'twolayer --help')";
      }
      return what + hint;
    }
    return ex.getMessage();
  }
}
