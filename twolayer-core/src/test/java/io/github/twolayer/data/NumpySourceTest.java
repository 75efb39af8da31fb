package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by NumPy itself (src/test/resources/numpy, made by make_fixtures.py): every one must
 * read back as X[i, j] = 10 i + j + 0.5 and Y[i, j] = −(i + 0.25 j), exactly (the values are exact
 * in float32 too).
 */
class NumpySourceTest {
  @TempDir
  Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(NumpySourceTest.class.getResource("/numpy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertFixtureValues(RowSource source, int l) {
    assertThat(source.n()).isEqualTo(7);
    assertThat(source.d()).isEqualTo(3);
    assertThat(source.l()).isEqualTo(l);
    // Blocks of 3 rows split the 7 rows as 3 + 3 + 1: block boundaries must not shift values.
    Dataset data = loadInBlocks(source, 3);
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(data.X()[i * 3 + j]).isEqualTo(10 * i + j + 0.5);
      }
      for (int j = 0; j < l; j++) {
        assertThat(data.Y()[i * l + j]).isEqualTo(-(i + 0.25 * j));
      }
    }
  }

  static Dataset loadInBlocks(RowSource source, int block) {
    int n = (int) source.n();
    double[] x = new double[n * source.d()];
    double[] y = new double[n * source.l()];
    source.scan(block, b -> {
      System.arraycopy(b.x(), b.xOffset(), x, (int) b.firstRow() * source.d(), b.rows() * source.d());
      System.arraycopy(b.y(), b.yOffset(), y, (int) b.firstRow() * source.l(), b.rows() * source.l());
    });
    return new Dataset(n, source.d(), source.l(), x, y);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x_f8_c.npy", "x_f8_f.npy", "x_f4_c.npy", "x_f4_f.npy", "x_f8_big.npy"})
  void readsNpyFilesInEveryLayoutNumpyWrites(String xFile) throws IOException {
    assertFixtureValues(NumpySource.npyPair(fixture(xFile), fixture("y_f8_c.npy")), 2);
  }

  @Test
  void readsAOneDimensionalArrayAsASingleColumn() throws IOException {
    assertFixtureValues(NumpySource.npyPair(fixture("x_f8_c.npy"), fixture("y_1d.npy")), 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"data.npz", "data_compressed.npz", "data_fortran.npz"})
  void readsNpzArchivesFromSavezAndSavezCompressed(String file) throws IOException {
    assertFixtureValues(NumpySource.npz(fixture(file)), 2);
  }

  @Test
  void storedNpzEntriesAreMemoryMappedAndCompressedOrFortranOnesStreamed() throws IOException {
    // np.savez stores entries uncompressed (NumPy writes them with Zip64 extra fields): they are mapped
    // from the archive like .npy files; deflated or Fortran-ordered entries take the streaming path.
    assertThat(NumpySource.npz(fixture("data.npz")).memoryMapped()).isTrue();
    assertThat(NumpySource.npz(fixture("data_compressed.npz")).memoryMapped()).isFalse();
    assertThat(NumpySource.npz(fixture("data_fortran.npz")).memoryMapped()).isFalse();
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
    arrays.put("Y", NumpyWriter.Array.matrix(new double[] {7, 8, 9}, 3, 1));
    Path ours = tmp.resolve("ours.npz");
    NumpyWriter.writeNpz(ours, arrays);
    NumpySource source = NumpySource.npz(ours);
    assertThat(source.memoryMapped()).isTrue();
    Dataset back = Dataset.load(source);
    assertThat(back.X()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(back.Y()).containsExactly(7, 8, 9);
  }

  @Test
  void severalOutputArraysAreReadSideBySideInTheirOrder() throws IOException {
    // The multi-task layout: X (4×2), then y and task as 1-D arrays, and an unrelated array between them.
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2));
    arrays.put("task", NumpyWriter.Array.vector(new double[] {0, 0, 1, 1}));
    arrays.put("other", NumpyWriter.Array.vector(new double[] {9, 9, 9, 9}));
    arrays.put("y", NumpyWriter.Array.vector(new double[] {1, -1, -1, 1}));
    Path file = tmp.resolve("multi.npz");
    NumpyWriter.writeNpz(file, arrays);
    NumpySource source = NumpySource.npz(file, "X", List.of("y", "task"));
    assertThat(source.d()).isEqualTo(2);
    assertThat(source.l()).isEqualTo(2);
    // Blocks of 3 rows cut the 4 rows unevenly: the columns must stay aligned across the cut.
    List<double[]> ys = new ArrayList<>();
    source.scan(3, b -> {
      for (int r = 0; r < b.rows(); r++) {
        ys.add(new double[] {b.y()[b.yOffset() + 2 * r], b.y()[b.yOffset() + 2 * r + 1]});
      }
    });
    assertThat(ys).containsExactly(new double[] {1, 0}, new double[] {-1, 0}, new double[] {-1, 1},
        new double[] {1, 1});
    assertThat(Dataset.load(source).X()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    // The order of the names is the order of the columns.
    Dataset swapped = Dataset.load(NumpySource.npz(file, "X", List.of("task", "y")));
    assertThat(swapped.Y()).containsExactly(0, 1, 0, -1, 1, -1, 1, 1);
    // An array of another length is named.
    arrays.put("short", NumpyWriter.Array.vector(new double[] {1, 2, 3}));
    NumpyWriter.writeNpz(file, arrays);
    assertThatThrownBy(() -> NumpySource.npz(file, "X", List.of("y", "short")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("short").hasMessageContaining("rows");
  }

  @Test
  void aTruncatedNpyIsRefusedUpFront() {
    assertThatThrownBy(() -> NumpySource.npyPair(fixture("x_truncated.npy"), fixture("y_f8_c.npy")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated")
        .hasMessageContaining("7 rows × 3 columns");
  }

  @Test
  void mismatchedRowCountsMissingFilesAndMissingArraysAreNamed() throws IOException {
    assertThatThrownBy(() -> NumpySource.npyPair(fixture("x_f8_c.npy"), tmp.resolve("nope.npy")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    Path shortY = tmp.resolve("short.npy");
    NumpyWriter.writeNpy(shortY, NumpyWriter.Array.matrix(new double[4], 2, 2));
    assertThatThrownBy(() -> NumpySource.npyPair(fixture("x_f8_c.npy"), shortY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X has 7 rows but Y has 2");
    Path onlyX = tmp.resolve("onlyx.npz");
    NumpyWriter.writeNpz(onlyX, Map.of("X", NumpyWriter.Array.matrix(new double[4], 2, 2)));
    assertThatThrownBy(() -> NumpySource.npz(onlyX)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no array 'Y'");
    Path garbage = tmp.resolve("garbage.npz");
    Files.writeString(garbage, "not a zip");
    assertThatThrownBy(() -> NumpySource.npz(garbage)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a readable .npz");
    Path empty = tmp.resolve("empty.npy");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> NumpySource.npyPair(empty, fixture("y_f8_c.npy")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty or truncated");
  }

  @Test
  void ourNpzWriterRoundTripsExactly() throws IOException {
    double[] x = new double[12];
    double[] y = new double[8];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.PI * i - 1e-300;
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.exp(i) * 1e200;
    }
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(x, 4, 3));
    arrays.put("Y", NumpyWriter.Array.matrix(y, 4, 2));
    Path file = tmp.resolve("round.npz");
    NumpyWriter.writeNpz(file, arrays);
    Dataset back = Dataset.load(NumpySource.npz(file));
    assertThat(back.X()).containsExactly(x);
    assertThat(back.Y()).containsExactly(y);
    try (var list = Files.list(tmp)) {
      assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  private Path npz(String name, double[] x, long n, int d, double[] y, int l) throws IOException {
    Path file = tmp.resolve(name);
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("X", NumpyWriter.Array.matrix(x, n, d));
    arrays.put("Y", NumpyWriter.Array.matrix(y, n, l));
    NumpyWriter.writeNpz(file, arrays);
    return file;
  }

  @Test
  void arraysWithoutColumnsOrRowsAreNamedByTheirShape() throws IOException {
    // Before: X of shape 100×0 reached recover as d = 0 ("pass a smaller --k"), and Y of shape 100×0 let
    // train write a model with no outputs.
    Path noX = npz("nox.npz", new double[0], 100, 0, new double[300], 3);
    assertThatThrownBy(() -> NumpySource.npz(noX)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("X in " + noX + " has no columns (shape 100×0): the inputs need at least one column; save them "
            + "as an (n, d) array with d ≥ 1");
    Path noY = npz("noy.npz", new double[400], 100, 4, new double[0], 0);
    assertThatThrownBy(() -> NumpySource.npz(noY)).hasMessageStartingWith("Y in " + noY + " has no columns "
        + "(shape 100×0): the outputs need at least one column");
    Path noRows = npz("norows.npz", new double[0], 0, 4, new double[0], 3);
    assertThatThrownBy(() -> NumpySource.npz(noRows)).hasMessage(noRows + " holds no samples (0 rows); save at "
        + "least one row");
    Path xs = tmp.resolve("X.npy");
    NumpyWriter.writeNpy(xs, NumpyWriter.Array.matrix(new double[0], 7, 0));
    assertThatThrownBy(() -> NumpySource.npyPair(xs, fixture("y_f8_c.npy")))
        .hasMessageStartingWith(xs + " has no columns (shape 7×0)");
    assertThatThrownBy(() -> DataFiles.readInputs(noX)).hasMessageStartingWith("X in " + noX + " has no columns");
    Map<String, NumpyWriter.Array> tasks = new LinkedHashMap<>();
    tasks.put("X", NumpyWriter.Array.matrix(new double[0], 2, 0));
    tasks.put("y", NumpyWriter.Array.vector(new double[] {1, -1}));
    Path noTaskInputs = tmp.resolve("tasks.npz");
    NumpyWriter.writeNpz(noTaskInputs, tasks);
    assertThatThrownBy(() -> MultiTaskFiles.read(noTaskInputs))
        .hasMessageStartingWith("X in " + noTaskInputs + " has no columns (shape 2×0)");
  }

  @Test
  void aPipeOrFolderIsRefusedWithoutBeingRead() throws Exception {
    // Archives and arrays are read by position; nothing writes into this pipe, so a reader would hang.
    Path pipe = CsvSourceTest.fifo(tmp, "data.npz");
    String message = pipe + " is not a regular file (a pipe); save the data to a file first";
    assertThatThrownBy(() -> NumpySource.npz(pipe)).hasMessage(message);
    assertThatThrownBy(() -> DataFiles.open(pipe, null, null)).hasMessage(message);
    assertThatThrownBy(() -> MultiTaskFiles.read(pipe)).hasMessage(message);
    assertThatThrownBy(() -> MultiTaskFiles.rows(pipe)).hasMessage(message);
    assertThat(MultiTaskFiles.isMultiTaskNpz(pipe)).isFalse();
    Path npy = CsvSourceTest.fifo(tmp, "X.npy");
    assertThatThrownBy(() -> NumpySource.npyPair(npy, fixture("y_f8_c.npy"))).hasMessageContaining("(a pipe)");
    assertThatThrownBy(() -> DataFiles.readInputs(npy)).hasMessageContaining("(a pipe)");
    Path folder = Files.createDirectory(tmp.resolve("folder.npz"));
    assertThatThrownBy(() -> NumpySource.npz(folder)).hasMessage(folder + " is a folder, not a data file; pass the "
        + "file itself");
    Path csvFolder = Files.createDirectory(tmp.resolve("folder.csv"));
    assertThatThrownBy(() -> CsvSource.open(csvFolder, null, null)).hasMessage(csvFolder + " is a folder, not a CSV "
        + "file; pass the file itself");
  }
}
