package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    CsvSource s = CsvSource.open(text, null, null);
    assertThatThrownBy(() -> Dataset.load(s)).hasMessageContaining("'abc' in row 1").hasMessageContaining("'y0'");
    assertThatThrownBy(() -> CsvSource.open(tmp.resolve("missing.csv"), null, null))
        .hasMessageContaining("does not exist");
  }
}
