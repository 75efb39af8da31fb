package io.github.twolayer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * The header row of a CSV file, read and checked once when the file is opened, and the rules that turn
 * it into input and output columns.
 *
 * <p>The file must be UTF-8 (a byte-order mark is skipped; UTF-16 and UTF-32 are refused by name). Two
 * columns that pandas and spreadsheets write are not data and are never chosen by default: an unnamed
 * first column ({@code ""} or {@code "Unnamed: 0"}, the row index of {@code DataFrame.to_csv}) and an
 * unnamed last column (a separator at the end of every line). Any other column without a name, and a name
 * that occurs twice, are refused.
 *
 * <p>Columns not chosen by name default to the numbered ones, {@code x0, x1, ...} and {@code y0, y1,
 * ...}, which must run from 0 without a gap. When one side is chosen by name and the header has no
 * numbered columns for the other, the other side is every remaining column.
 */
public final class CsvHeader {
  /** The most names a message lists before "... and N more". */
  private static final int LISTED = 8;
  /** Bytes looked at to tell the encoding and to check the header line. */
  private static final int SNIFF = 1 << 16;

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
      .setIgnoreSurroundingSpaces(true).setTrim(true).setAllowMissingColumnNames(true).get();

  private final Path file;
  private final List<String> names;
  private final List<String> columns;

  private CsvHeader(Path file, List<String> names) {
    this.file = file;
    this.names = List.copyOf(names);
    int n = names.size();
    if (n == 0) {
      throw new IllegalArgumentException(file + " is empty: a CSV file needs a header row naming its columns, then "
          + "one row per sample");
    }
    boolean[] skipped = new boolean[n];
    // pandas' to_csv writes the row index first, under no name ("Unnamed: 0" once pandas has read it back).
    skipped[0] = n > 1 && (names.get(0).isEmpty() || names.get(0).equals("Unnamed: 0"));
    // A separator at the end of every line: an empty last name (and empty last fields).
    skipped[n - 1] |= n > 1 && names.get(n - 1).isEmpty();
    List<String> data = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String name = names.get(i);
      if (skipped[i]) {
        continue;
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException(file + ": column " + (i + 1) + " of the header"
            + (i > 0 ? " (after '" + CsvRows.printable(names.get(i - 1)) + "')" : "") + " has no name; name it, or "
            + "delete the column");
      }
      Integer first = seen.putIfAbsent(name, i);
      if (first != null) {
        throw new IllegalArgumentException(file + ": the header names '" + CsvRows.printable(name) + "' twice "
            + "(columns " + (first + 1) + " and " + (i + 1) + ", counting from 1); rename one of them");
      }
      data.add(name);
    }
    if (data.isEmpty()) {
      throw new IllegalArgumentException(file + ": the header names no columns; name them in the first line "
          + "(x0, x1, ..., y0, y1, ...)");
    }
    this.columns = List.copyOf(data);
  }

  /**
   * Checks the header names of {@code file} as they were parsed (trimmed), here or by another reader
   * (Spark's, for CSV and Parquet columns alike).
   */
  public static CsvHeader of(Path file, List<String> names) {
    return new CsvHeader(file, names);
  }

  /** The file, for messages. */
  public Path file() {
    return file;
  }

  /** Every field of the header row, in file order (a row has one field for each). */
  public List<String> names() {
    return names;
  }

  /** The data columns: the names without the pandas index column and the empty column of a trailing separator. */
  public List<String> columns() {
    return columns;
  }

  /** Whether {@code name} is one of the data columns. */
  public boolean has(String name) {
    return columns.contains(name);
  }

  /**
   * The inputs and outputs: the names given (trimmed), or for a side given as null its numbered columns
   * ({@code x0, x1, ...} or {@code y0, y1, ...}), or, when the header has none and the other side was
   * given, every column not on the other side.
   *
   * @param options whether messages may offer --x-cols and --y-cols (the caller has those options)
   */
  public RowSource.Columns choose(List<String> x, List<String> y, boolean options) {
    List<String> xs = x != null ? chosen(x, "input", "--x-cols", options)
        : numbered("x", "input", "--x-cols", options);
    List<String> ys = y != null ? chosen(y, "output", "--y-cols", options)
        : numbered("y", "output", "--y-cols", options);
    if (xs.isEmpty() && y != null) {
      xs = others(ys);
    }
    if (ys.isEmpty() && x != null) {
      ys = others(xs);
    }
    if (xs.isEmpty()) {
      throw none("input", "x", "--x-cols", y != null, options);
    }
    if (ys.isEmpty()) {
      throw none("output", "y", "--y-cols", x != null, options);
    }
    for (String name : xs) {
      if (ys.contains(name)) {
        throw new IllegalArgumentException("column '" + CsvRows.printable(name) + "' of " + file + " is chosen both as "
            + "an input and as an output" + (options ? " (--x-cols and --y-cols)" : "") + "; choose it once");
      }
    }
    return new RowSource.Columns(xs, ys);
  }

  /** A file of inputs only: its columns x0, x1, ... (without a gap), else every column. */
  public List<String> inputs() {
    List<String> xs = numbered("x", "input", "--x-cols", false);
    return xs.isEmpty() ? columns : xs;
  }

  /** Names given by the caller, trimmed; each must be a column of the header, once. */
  private List<String> chosen(List<String> given, String role, String flag, boolean options) {
    String what = options ? flag : "the list of " + role + " columns";
    List<String> out = new ArrayList<>();
    for (String raw : given) {
      String name = raw == null ? "" : raw.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(what + " lists an empty name (two commas in a row, or one at an end); "
            + "separate the names by single commas");
      }
      if (out.contains(name)) {
        throw new IllegalArgumentException(what + " lists '" + CsvRows.printable(name) + "' twice; list each column "
            + "once");
      }
      requirePresent(name);
      out.add(name);
    }
    return out;
  }

  /** Refuses a name that is not in the header, suggesting the name that differs only in case. */
  void requirePresent(String name) {
    if (names.contains(name) && !name.isEmpty()) {
      return;
    }
    String hint = "check the name (names are case-sensitive)";
    for (String c : columns) {
      if (c.equalsIgnoreCase(name)) {
        hint = "did you mean '" + CsvRows.printable(c) + "'?";
      }
    }
    throw new IllegalArgumentException(file + " has no column '" + CsvRows.printable(name) + "' (its columns: "
        + listed(columns) + "); " + hint);
  }

  /**
   * The columns prefix0, prefix1, ... of the header, in numeric order; empty when it has none; refused when
   * their numbers have a gap (a column left out by accident would silently shrink the data).
   */
  private List<String> numbered(String prefix, String role, String flag, boolean options) {
    Pattern form = Pattern.compile(Pattern.quote(prefix) + "(0|[1-9][0-9]{0,17})");
    TreeMap<Long, String> found = new TreeMap<>();
    for (String c : columns) {
      Matcher m = form.matcher(c);
      if (m.matches()) {
        found.put(Long.parseLong(m.group(1)), c);
      }
    }
    long expected = 0;
    for (long number : found.keySet()) {
      if (number != expected) {
        String first = prefix + "0, " + prefix + "1, ...";
        throw new IllegalArgumentException(expected == 0
            ? file + ": the header's numbered " + role + " columns start at " + prefix + number + " (no " + prefix
                + "0); rename them " + first + (options ? " or list them with " + flag : "")
            : file + ": the header has " + prefix + (expected - 1) + " then " + prefix + number + " (no " + prefix
                + expected + "); rename the columns" + (options ? " or list them with " + flag : " " + first
                + " without a gap"));
      }
      expected++;
    }
    return new ArrayList<>(found.values());
  }

  /** Every data column not in {@code taken}, in file order. */
  private List<String> others(List<String> taken) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      if (!taken.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private IllegalArgumentException none(String role, String prefix, String flag, boolean otherGiven, boolean options) {
    if (otherGiven) { // every column went to the other side
      return new IllegalArgumentException(file + " has no " + role + " columns: its only columns (" + listed(columns)
          + ") are chosen as " + (role.equals("input") ? "outputs" : "inputs") + "; add " + role + " columns to the "
          + "file"
          + (options ? " or choose fewer with " + (flag.equals("--x-cols") ? "--y-cols" : "--x-cols") : ""));
    }
    if (looksLikeNumbers()) {
      return new IllegalArgumentException(file + " has no header row: its first line holds numbers (" + listed(columns)
          + "); add a first line naming the columns x0, x1, ..., y0, y1, ... (numpy.savetxt: header='x0,x1,y0', "
          + "comments='')");
    }
    return new IllegalArgumentException(file + " has no " + role + " columns " + prefix + "0, " + prefix + "1, ... "
        + "(its columns: " + listed(columns) + "); name them so" + (options ? " or choose them with " + flag : ""));
  }

  /** Whether every column name is a number: a file written without a header row. */
  private boolean looksLikeNumbers() {
    for (String c : columns) {
      try {
        Double.parseDouble(c);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  /** Names for a message: at most {@value #LISTED} of them, then how many more there are. */
  public static String listed(List<String> names) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(LISTED, names.size()); i++) {
      b.append(i == 0 ? "" : ", ").append(CsvRows.printable(names.get(i)));
    }
    if (names.size() > LISTED) {
      b.append(" ... and ").append(names.size() - LISTED).append(" more");
    }
    return b.toString();
  }

  /**
   * A Commons CSV parser over the text of {@code file} whose header it has read: the bytes are checked to be
   * UTF-8 first (a byte-order mark skipped; UTF-16, UTF-32 and NUL bytes refused; the header line strictly
   * decoded). Bytes that are not UTF-8 in later lines become U+FFFD, as the byte-level fast readers see them:
   * in a column that is read they make a value that is not a number, named as such.
   */
  static CSVParser parser(Path file, InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, SNIFF);
    in.mark(SNIFF);
    byte[] head = in.readNBytes(SNIFF);
    in.reset();
    in.skipNBytes(checkEncoding(file, head, head.length < SNIFF));
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    try {
      return FORMAT.parse(reader);
    } catch (CSVException e) {
      reader.close();
      throw malformed(file, 1);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * Refuses text that is not UTF-8, from its first bytes; returns the length of the byte-order mark to skip.
   *
   * @param whole whether {@code head} is the whole file
   */
  static int checkEncoding(Path file, byte[] head, boolean whole) {
    String saveAs = "save it as UTF-8 (pandas: to_csv(..., encoding='utf-8'))";
    if (startsWith(head, 0x00, 0x00, 0xFE, 0xFF) || startsWith(head, 0xFF, 0xFE, 0x00, 0x00)) {
      throw new IllegalArgumentException(file + " is UTF-32; " + saveAs);
    }
    if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
      throw new IllegalArgumentException(file + " is UTF-16; " + saveAs);
    }
    int bom = startsWith(head, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    int lineEnd = -1;
    for (int i = bom; i < head.length; i++) {
      if (head[i] == 0) {
        throw new IllegalArgumentException(file + " is not UTF-8 text: it holds NUL bytes (UTF-16 without a "
            + "byte-order mark, or not text at all); " + saveAs);
      }
      if (head[i] == '\n' && lineEnd < 0) {
        lineEnd = i;
      }
    }
    int end = lineEnd >= 0 ? lineEnd : head.length;
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CoderResult r = strict.decode(ByteBuffer.wrap(head, bom, end - bom), CharBuffer.allocate(end - bom + 1),
        lineEnd >= 0 || whole);
    if (r.isError()) {
      throw new IllegalArgumentException("the header of " + file + " is not UTF-8 text (Latin-1 or Windows-1252?); "
          + saveAs.replace("save it", "save the file"));
    }
    return bom;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The error for text Commons CSV cannot parse (a quote left open, or text after a closing quote), in our
   * words; a failure to read the file is rethrown as it is.
   */
  static IllegalArgumentException malformed(Path file, long line, UncheckedIOException e) {
    if (!(e.getCause() instanceof CSVException)) {
      throw e;
    }
    return malformed(file, line);
  }

  /** The error for text Commons CSV cannot parse: a quote left open, or text after a closing quote. */
  static IllegalArgumentException malformed(Path file, long line) {
    return new IllegalArgumentException(file + " is not valid CSV near line " + line + ": a quoted field is not "
        + "closed, or text follows its closing quote; fix the quotes there (or save the file without quotes)");
  }

  @Override
  public String toString() {
    return file + ": " + listed(columns);
  }
}
