package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a CSV header becomes input and output columns, and the one-line refusals of headers it cannot. */
class CsvHeaderTest {
  @TempDir
  Path tmp;

  private Path csv(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private Path bytes(String name, byte[]... parts) throws IOException {
    Path f = tmp.resolve(name);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.write(p);
    }
    Files.write(f, all.toByteArray());
    return f;
  }

  /** The file read through both fast paths (whole, and indexed with a budget of 0) and as Commons CSV reads it. */
  private static List<Dataset> everyReader(Path f, List<String> x, List<String> y) throws IOException {
    Path quoted = f.resolveSibling("quoted-" + f.getFileName());
    // A quote in the last line sends the file to Commons CSV, the same values otherwise.
    String text = Files.readString(f);
    int last = text.lastIndexOf(',', text.length() - 2);
    Files.writeString(quoted, text.substring(0, last + 1) + "\"" + text.substring(last + 1).strip() + "\"\n");
    return List.of(Dataset.load(CsvSource.open(f, x, y)), Dataset.load(CsvSource.open(f, x, y, 0)),
        Dataset.load(CsvSource.open(quoted, x, y)));
  }

  @Test
  void aGapInTheNumberedColumnsIsRefusedNamingTheMissingOne() throws IOException {
    // Before: x0 alone was read (d = 1) and x2, x3 silently dropped.
    Path gap = csv("gap.csv", "x0,x2,x3,y0\n1,2,3,4\n");
    assertThatThrownBy(() -> CsvSource.open(gap, null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(gap + ": the header has x0 then x2 (no x1); rename the columns or list them with --x-cols");
    Path yGap = csv("ygap.csv", "x0,y0,y1,y3\n1,2,3,4\n");
    assertThatThrownBy(() -> CsvSource.open(yGap, null, null)).hasMessageContaining("has y1 then y3 (no y2)")
        .hasMessageContaining("--y-cols");
    Path fromOne = csv("from1.csv", "x1,x2,y0\n1,2,3\n");
    assertThatThrownBy(() -> CsvSource.open(fromOne, null, null))
        .hasMessageContaining("numbered input columns start at x1 (no x0)");
    // Columns chosen by name need no numbering; the other side still does.
    assertThat(CsvSource.open(gap, List.of("x0", "x2", "x3"), null).d()).isEqualTo(3);
    assertThatThrownBy(() -> CsvSource.open(yGap, List.of("x0"), null)).hasMessageContaining("no y2");
  }

  @Test
  void aRepeatedNameIsRefusedWithItsPositionsWhateverIsChosen() throws IOException {
    Path twice = csv("twice.csv", "x0,x1,y0,x1\n1,2,3,4\n");
    String message = twice + ": the header names 'x1' twice (columns 2 and 4, counting from 1); rename one of them";
    assertThatThrownBy(() -> CsvSource.open(twice, null, null)).hasMessage(message);
    assertThatThrownBy(() -> CsvSource.open(twice, List.of("x0"), List.of("y0"))).hasMessage(message);
    assertThatThrownBy(() -> MultiTaskFiles.read(csv("tasks.csv", "x0,y,task,y\n1,1,0,1\n")))
        .hasMessageContaining("names 'y' twice (columns 2 and 4");
  }

  @Test
  void thePandasIndexColumnAndATrailingSeparatorAreNotData() throws IOException {
    // DataFrame.to_csv: the row index first under no name; a separator ending every line (an empty last column).
    String body = "0,1.5,2,-1,\n1,3,4,-2,\n2,5,6.25,-3,\n";
    for (String index : new String[] {"", "Unnamed: 0"}) {
      Path f = csv("pandas.csv", index + ",x0,x1,y0,\n" + body);
      for (Dataset d : everyReader(f, null, null)) {
        assertThat(d.X()).containsExactly(1.5, 2, 3, 4, 5, 6.25);
        assertThat(d.Y()).containsExactly(-1, -2, -3);
      }
      // Every other column is an input: the index and the empty column are not among them.
      CsvSource s = CsvSource.open(f, null, List.of("y0"));
      assertThat(s.columns().x()).containsExactly("x0", "x1");
      CsvSource others = CsvSource.open(csv("named.csv", index + ",a,b,t\n0,1,2,3\n"), null, List.of("t"));
      assertThat(others.columns()).isEqualTo(new RowSource.Columns(List.of("a", "b"), List.of("t")));
    }
    // A nameless column elsewhere is refused, by position.
    assertThatThrownBy(() -> CsvSource.open(csv("hole.csv", "x0,,y0\n1,2,3\n"), null, null))
        .hasMessageEndingWith(": column 2 of the header (after 'x0') has no name; name it, or delete the column");
  }

  @Test
  void aByteOrderMarkIsSkippedAndOtherEncodingsAreRefusedByName() throws IOException {
    byte[] text = "x0,y0\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
    Path bom = bytes("bom.csv", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text);
    for (Dataset d : everyReader(bom, null, null)) {
      assertThat(d.X()).containsExactly(1, 3);
    }
    String fix = "; save it as UTF-8 (pandas: to_csv(..., encoding='utf-8'))";
    Path le = bytes("le.csv", new byte[] {(byte) 0xFF, (byte) 0xFE},
        "x0,y0\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> CsvSource.open(le, null, null)).hasMessage(le + " is UTF-16" + fix);
    Path be = bytes("be.csv", "x0,y0\n1,2\n".getBytes(StandardCharsets.UTF_16)); // Java writes FE FF first
    assertThatThrownBy(() -> CsvSource.open(be, null, null)).hasMessage(be + " is UTF-16" + fix);
    Path noMark = bytes("nomark.csv", "x0,y0\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> CsvSource.open(noMark, null, null)).hasMessageContaining("holds NUL bytes")
        .hasMessageEndingWith(fix);
    Path latin = bytes("latin.csv", "x0,temp\u00e9rature,y0\n1,2,3\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> CsvSource.open(latin, null, null))
        .hasMessageStartingWith("the header of " + latin + " is not UTF-8 text");
    assertThatThrownBy(() -> DataFiles.readInputs(le)).hasMessage(le + " is UTF-16" + fix);
  }

  @Test
  void withOneSideChosenTheOtherIsItsNumberedColumnsElseEveryOtherColumn() throws IOException {
    Path f = csv("mixed.csv", "id,age,income,y0,target\n1,2,3,4,5\n");
    // Only outputs chosen, no x0: every other column is an input.
    assertThat(CsvSource.open(f, null, List.of("target")).columns())
        .isEqualTo(new RowSource.Columns(List.of("id", "age", "income", "y0"), List.of("target")));
    // Only inputs chosen: the numbered outputs when there are some (y0 here), else every other column.
    assertThat(CsvSource.open(f, List.of("age", "income"), null).columns().y()).containsExactly("y0");
    Path g = csv("plain.csv", "age,income,target,score\n1,2,3,4\n");
    assertThat(CsvSource.open(g, List.of("age", "income"), null).columns().y()).containsExactly("target", "score");
    // Numbered inputs win over "every other column" (the old behaviour of --y-cols with x0, x1, ...).
    Path h = csv("numbered.csv", "x0,x1,note,t\n1,2,3,4\n");
    assertThat(CsvSource.open(h, null, List.of("t")).columns().x()).containsExactly("x0", "x1");
    assertThatThrownBy(() -> CsvSource.open(g, null, List.of("age", "income", "target", "score")))
        .hasMessageContaining("has no input columns: its only columns (age, income, target, score) are chosen as "
            + "outputs");
  }

  @Test
  void chosenNamesAreTrimmedAndEachMustNameOneColumnOnce() throws IOException {
    Path f = csv("abc.csv", "a,b,c,Target\n1,2,3,4\n");
    CsvSource s = CsvSource.open(f, List.of("a", " b "), List.of(" Target"));
    assertThat(s.columns()).isEqualTo(new RowSource.Columns(List.of("a", "b"), List.of("Target")));
    assertThat(Dataset.load(s).X()).containsExactly(1, 2);
    assertThatThrownBy(() -> CsvSource.open(f, List.of("a", ""), null))
        .hasMessage("--x-cols lists an empty name (two commas in a row, or one at an end); separate the names by "
            + "single commas");
    assertThatThrownBy(() -> CsvSource.open(f, List.of("a", "a"), null))
        .hasMessageContaining("--x-cols lists 'a' twice");
    assertThatThrownBy(() -> CsvSource.open(f, List.of("a", "b"), List.of("b")))
        .hasMessageContaining("column 'b' of " + f + " is chosen both as an input and as an output");
    assertThatThrownBy(() -> CsvSource.open(f, List.of("a"), List.of("target")))
        .hasMessage(f + " has no column 'target' (its columns: a, b, c, Target); did you mean 'Target'?");
  }

  @Test
  void messagesListAtMostEightNames() throws IOException {
    StringBuilder header = new StringBuilder("c0");
    StringBuilder row = new StringBuilder("0");
    for (int i = 1; i < 38; i++) {
      header.append(",c").append(i);
      row.append(",").append(i);
    }
    Path wide = csv("wide.csv", header + "\n" + row + "\n");
    assertThatThrownBy(() -> CsvSource.open(wide, null, null))
        .hasMessage(wide + " has no input columns x0, x1, ... (its columns: c0, c1, c2, c3, c4, c5, c6, c7 ... and 30 "
            + "more); name them so or choose them with --x-cols");
    assertThatThrownBy(() -> CsvSource.open(wide, List.of("nope"), null)).hasMessageContaining("c7 ... and 30 more)");
  }

  @Test
  void aFileWithoutAHeaderRowIsNamedSo() throws IOException {
    Path f = csv("noheader.csv", "0.5,1.5,2\n1,2,3\n");
    assertThatThrownBy(() -> CsvSource.open(f, null, null))
        .hasMessageStartingWith(f + " has no header row: its first line holds numbers (0.5, 1.5, 2)");
  }

  @Test
  void commonsCsvTextNeverReachesTheUser() throws IOException {
    // An unclosed quote, and text after a closing quote: Commons CSV's own messages must not leak.
    for (String text : new String[] {"x0,y0\n\"1,2\n3,4\n", "x0,y0\n1,2\n\"3\"x,4\n", "\"x0,y0\n1,2\n"}) {
      Path f = csv("quote.csv", text);
      assertThatThrownBy(() -> Dataset.load(CsvSource.open(f, null, null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(f + " is not valid CSV near line ")
          .hasMessageEndingWith("fix the quotes there (or save the file without quotes)");
    }
  }

  @Test
  void multiTaskFilesTakeEveryColumnButYAndTaskAsInputsAndNameWhatIsMissing() throws IOException {
    Path f = csv("tasks.csv", ",a,b,y,task\n0,0.5,1,1,0\n1,-1,2,-1,1\n");
    MultiTaskFiles.Loaded loaded = MultiTaskFiles.load(f, null);
    assertThat(loaded.columns()).isEqualTo(new RowSource.Columns(List.of("a", "b"), List.of("y", "task")));
    assertThat(loaded.data().x()).containsExactly(0.5, 1, -1, 2);
    assertThat(loaded.data().task()).containsExactly(0, 1);
    assertThat(MultiTaskFiles.rows(f).columns()).isEqualTo(loaded.columns());
    Path label = csv("label.csv", "x0,x1,label,task\n1,2,1,0\n");
    assertThatThrownBy(() -> MultiTaskFiles.read(label)).hasMessageStartingWith(label + " has no column 'y' "
        + "(its columns: x0, x1, label, task); multi-task CSV files hold");
    // pretrain and adapt have no --x-cols: their messages do not offer it.
    Path gap = csv("gap.csv", "x0,x2,y,task\n1,2,1,0\n");
    assertThatThrownBy(() -> MultiTaskFiles.read(gap))
        .hasMessage(gap + ": the header has x0 then x2 (no x1); rename the columns x0, x1, ... without a gap");
    assertThat(MultiTaskFiles.load(f, List.of("b")).columns().x()).containsExactly("b");
  }
}
