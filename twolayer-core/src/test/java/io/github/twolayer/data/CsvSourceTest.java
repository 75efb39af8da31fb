package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
  @TempDir
  Path tmp;

  @Test
  void readsDefaultColumnsInNumericOrderWhateverTheHeaderOrder() throws IOException {
    Path f = tmp.resolve("d.csv");
    Files.writeString(f, "y0,x1,id,x0\n1.5,2,a,3\n-4,5e-1,b,6\n7,8,c,9\n");
    CsvSource s = CsvSource.open(f, null, null);
    Dataset d = NumpySourceTest.loadInBlocks(s, 2);
    assertThat(d.X()).containsExactly(3, 2, 6, 0.5, 9, 8);
    assertThat(d.Y()).containsExactly(1.5, -4, 7);
  }

  @Test
  void readsChosenColumns() throws IOException {
    Path f = tmp.resolve("d.csv");
    Files.writeString(f, "a,b,target\n1,2,3\n4,5,6\n");
    Dataset d = Dataset.load(CsvSource.open(f, List.of("b", "a"), List.of("target")));
    assertThat(d.X()).containsExactly(2, 1, 5, 4);
    assertThat(d.Y()).containsExactly(3, 6);
  }

  @Test
  void badFilesGetOneLineThatNamesTheProblem() throws IOException {
    Path empty = tmp.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> CsvSource.open(empty, null, null)).hasMessageContaining("empty");
    Path noY = tmp.resolve("noy.csv");
    Files.writeString(noY, "x0,x1\n1,2\n");
    assertThatThrownBy(() -> CsvSource.open(noY, null, null)).hasMessageContaining("--y-cols");
    Path ragged = tmp.resolve("ragged.csv");
    Files.writeString(ragged, "x0,y0\n1,2\n3\n");
    assertThatThrownBy(() -> CsvSource.open(ragged, null, null)).hasMessageContaining("truncated or malformed");
    Path text = tmp.resolve("text.csv");
    Files.writeString(text, "x0,y0\n1,2\n3,abc\n");
    assertThatThrownBy(() -> Dataset.load(CsvSource.open(text, null, null))).hasMessageContaining("'abc' in row 1")
        .hasMessageContaining("'y0'");
    assertThatThrownBy(() -> CsvSource.open(tmp.resolve("missing.csv"), null, null))
        .hasMessageContaining("does not exist");
  }

  /** Reads a source in blocks of {@code rows} rows into one dataset. */
  static Dataset read(RowSource s, int rows) {
    return NumpySourceTest.loadInBlocks(s, rows);
  }

  @Test
  void plainAndQuotedFilesGiveTheSameValuesWhateverTheLineEndings() throws IOException {
    // The fast path (no quote anywhere) against Commons CSV (a quoted header sends the file there):
    // CRLF endings, an empty line, spaces and tabs around values, a last line without a newline.
    String body = "1.5, -2\t,3e-3\r\n\r\n4,5,6\n 7 ,8,9";
    Path plain = tmp.resolve("plain.csv");
    Files.writeString(plain, "x0,x1,y0\n" + body);
    Path quoted = tmp.resolve("quoted.csv");
    Files.writeString(quoted, "\"x0\",x1,y0\n" + body);
    Dataset a = read(CsvSource.open(plain, null, null), 2);
    Dataset b = read(CsvSource.open(quoted, null, null), 2);
    Dataset c = read(CsvSource.open(plain, null, null, 0), 2);
    assertThat(a.X()).containsExactly(1.5, -2, 4, 5, 7, 8);
    assertThat(a.Y()).containsExactly(3e-3, 6, 9);
    assertThat(b.X()).containsExactly(a.X());
    assertThat(b.Y()).containsExactly(a.Y());
    assertThat(c.X()).containsExactly(a.X());
    assertThat(c.Y()).containsExactly(a.Y());
  }

  @Tag("acceptance")
  @Test
  void largeFilesAreParsedInParallelToTheBitsOfDoubleParseDouble() throws IOException {
    // Over 32 MB: the index scan runs in two segments, and blocks of 5000 rows cut the 1024-row groups
    // at other places than their ends. Every value must be the double Double.parseDouble gives.
    Random r = new Random(11);
    int rows = 400_000;
    int d = 4;
    double[] expected = new double[rows * d];
    double[] expectedY = new double[rows];
    StringBuilder sb = new StringBuilder("x0,x1,x2,x3,skip,y0\n");
    for (int i = 0; i < rows; i++) {
      for (int p = 0; p < d; p++) {
        String text = switch ((i + p) % 4) {
          case 0 -> String.format(Locale.ROOT, "%.17g", r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
          case 1 -> Double.toString(r.nextDouble() * 1e6);
          case 2 -> Long.toString(r.nextLong() % 100000);
          default -> String.format(Locale.ROOT, "%.6e", r.nextGaussian());
        };
        expected[i * d + p] = Double.parseDouble(text);
        sb.append(text).append(',');
      }
      String y = String.format(Locale.ROOT, "%.19f", r.nextDouble());
      expectedY[i] = Double.parseDouble(y);
      sb.append("abc,").append(y).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    Path big = tmp.resolve("big.csv");
    Files.writeString(big, sb);
    assertThat(Files.size(big)).isGreaterThan(32L << 20);
    // Read whole when it was opened (CsvLoader), and indexed then streamed (CsvIndex, a budget of 0 bytes).
    for (CsvSource source : List.of(CsvSource.open(big, null, null), CsvSource.open(big, null, null, 0))) {
      assertThat(source.n()).isEqualTo(rows);
      Dataset data = read(source, 5000);
      assertThat(Arrays.mismatch(data.X(), expected)).as("first differing input value").isEqualTo(-1);
      assertThat(Arrays.mismatch(data.Y(), expectedY)).as("first differing output value").isEqualTo(-1);
    }
    assertThat(CsvSource.open(big, null, null).inMemory()).isTrue();
    assertThat(CsvSource.open(big, null, null, 0).inMemory()).isFalse();
  }

  @Test
  void aRowWithTheWrongNumberOfFieldsIsNamedByItsLine() throws IOException {
    Path f = tmp.resolve("short.csv");
    StringBuilder sb = new StringBuilder("x0,y0\n");
    for (int i = 0; i < 3000; i++) {
      sb.append(i).append(',').append(i).append('\n');
    }
    sb.append("7\n");
    Files.writeString(f, sb);
    assertThatThrownBy(() -> CsvSource.open(f, null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3002 has 1 fields but the header has 2");
    assertThatThrownBy(() -> CsvSource.open(f, null, null, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3002 has 1 fields but the header has 2");
    Path empty = tmp.resolve("header-only.csv");
    Files.writeString(empty, "x0,y0\n\n");
    assertThatThrownBy(() -> CsvSource.open(empty, null, null)).hasMessageContaining("has a header but no samples");
    assertThatThrownBy(() -> CsvSource.open(empty, null, null, 0)).hasMessageContaining("has a header but no samples");
  }

  @Test
  void aValueThatIsNotANumberIsNamedByRowAndColumnInEveryGroup() throws IOException {
    Path f = tmp.resolve("word.csv");
    StringBuilder sb = new StringBuilder("x0,x1,y0\n");
    for (int i = 0; i < 5000; i++) {
      sb.append(i).append(',').append(i == 4321 ? "1.2.3" : "0.5").append(",1\n");
    }
    Files.writeString(f, sb);
    assertThatThrownBy(() -> CsvSource.open(f, null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1.2.3' in row 4321 (from 0), column 'x1' is not a number");
    CsvSource s = CsvSource.open(f, null, null, 0);
    assertThatThrownBy(() -> read(s, 1000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1.2.3' in row 4321 (from 0), column 'x1' is not a number");
  }

  @Test
  void aQuoteDeepInTheFileSendsItToCommonsCsvAndAnExtraFieldIsNamed() throws IOException {
    Path quoted = tmp.resolve("late-quote.csv");
    StringBuilder sb = new StringBuilder("x0,id,y0\n");
    for (int i = 0; i < 3000; i++) {
      sb.append(i).append(',').append(i == 2000 ? "\"a,b\"" : "c").append(',').append(0.5 * i).append('\n');
    }
    Files.writeString(quoted, sb);
    for (CsvSource s : List.of(CsvSource.open(quoted, null, null), CsvSource.open(quoted, null, null, 0))) {
      Dataset d = read(s, 700);
      assertThat(d.size()).isEqualTo(3000);
      assertThat(d.X()[2999]).isEqualTo(2999);
      assertThat(d.Y()[2000]).isEqualTo(1000);
    }
    Path extra = tmp.resolve("extra.csv");
    Files.writeString(extra, "x0,y0\n1,2\n3,4,5\n");
    assertThatThrownBy(() -> CsvSource.open(extra, null, null)).hasMessageContaining("line 3 has more than 2 fields");
    assertThatThrownBy(() -> CsvSource.open(extra, null, null, 0)).hasMessageContaining("line 3 has 3 fields");
  }

  /** A named pipe made by mkfifo, or the test is skipped where there is none. */
  static Path fifo(Path dir, String name) throws IOException, InterruptedException {
    Path p = dir.resolve(name);
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo here: " + e.getMessage());
      return null;
    }
    Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
    return p;
  }

  /**
   * Writes {@code bytes} into a pipe from another thread, as a producer process would; a reader that stops
   * early only ends the writer (a broken pipe).
   */
  static Thread feed(Path fifo, byte[] bytes) {
    Thread writer = new Thread(() -> {
      try (var out = Files.newOutputStream(fifo)) {
        out.write(bytes);
      } catch (IOException brokenPipe) {
        // the reader closed its end: nothing more to write
      }
    }, "fifo-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  /** Waits for a writer; one still blocked on opening the pipe (nobody read it) is released by opening it. */
  static void finish(Thread writer, Path fifo) throws IOException, InterruptedException {
    writer.join(10_000);
    if (writer.isAlive()) {
      try (var in = Files.newInputStream(fifo)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      writer.join(10_000);
    }
  }

  @Test
  void aPipeIsReadOnceIntoMemoryAndRefusedWhenItDoesNotFit() throws Exception {
    StringBuilder sb = new StringBuilder("x0,x1,y0\n");
    for (int i = 0; i < 5000; i++) {
      sb.append(i).append(',').append(0.5 * i).append(',').append(-i).append('\n');
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
    Path file = tmp.resolve("file.csv");
    Files.write(file, text);
    Path pipe = fifo(tmp, "pipe.csv");
    Thread writer = feed(pipe, text);
    CsvSource fromPipe = CsvSource.open(pipe, null, null);
    finish(writer, pipe);
    assertThat(fromPipe.inMemory()).isTrue();
    // Three passes over what was read once, each the file's values.
    Dataset expected = Dataset.load(CsvSource.open(file, null, null));
    for (int pass = 0; pass < 3; pass++) {
      Dataset d = read(fromPipe, 700);
      assertThat(d.X()).containsExactly(expected.X());
      assertThat(d.Y()).containsExactly(expected.Y());
    }
    // A budget of 40 kB holds 20 kB of text: the 85 kB pipe is refused, in one line that says what to do.
    Thread second = feed(pipe, text);
    assertThatThrownBy(() -> CsvSource.open(pipe, null, null, 40_000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(pipe + " is a pipe, which can be read only once, so twolayer holds it in memory, but it is larger "
            + "than 20000 bytes (half of what this command may hold in memory); save the data to a file first (files "
            + "are streamed), or give Java more memory (JAVA_OPTS=-Xmx...)");
    finish(second, pipe);
    // Multi-task files and files of inputs are read once too.
    Path tasks = fifo(tmp, "tasks.csv");
    Thread third = feed(tasks, "x0,y,task\n0.5,1,0\n-1,-1,1\n".getBytes(StandardCharsets.UTF_8));
    assertThat(MultiTaskFiles.read(tasks).tasks()).isEqualTo(2);
    finish(third, tasks);
    Thread fourth = feed(tasks, text);
    assertThat(DataFiles.readInputs(tasks).n()).isEqualTo(5000);
    finish(fourth, tasks);
  }
}
