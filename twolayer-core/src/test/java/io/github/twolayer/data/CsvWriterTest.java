package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {
  @TempDir
  Path tmp;

  /** Values whose shortest decimals are long (0.1 + 0.2), tiny, huge and negative zero: all must read back. */
  private static Dataset awkward() {
    return new Dataset(3, 2, 1, new double[] {0.1 + 0.2, -0.0, 1e-300, 1.7976931348623157e308, -2.5, 1.0 / 3},
        new double[] {7, Math.PI, -Math.E});
  }

  @Test
  void writesTheHeaderThenOneLinePerSample() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CsvWriter.write(out, new Dataset(2, 2, 1, new double[] {1, -2.5, 0.125, 3}, new double[] {4, 5}));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(), "x0,x1,y0",
        "1.0,-2.5,4.0", "0.125,3.0,5.0", ""));
    assertThat(CsvWriter.header(3, 2)).isEqualTo("x0,x1,x2,y0,y1");
  }

  @Test
  void aWrittenFileReadsBackToTheSameDoubles() throws IOException {
    Dataset data = awkward();
    Path csv = tmp.resolve("d.csv");
    try (Outputs outputs = Outputs.reading()) {
      outputs.add(csv);
      DataFiles.write(outputs, csv, data);
      outputs.commit();
    }
    Dataset back = Dataset.load(CsvSource.open(csv, null, null));
    assertThat(back.X()).isEqualTo(data.X());
    assertThat(back.Y()).isEqualTo(data.Y());
  }

  @Test
  void npzFilesHoldXAndY() throws IOException {
    Dataset data = awkward();
    Path npz = tmp.resolve("d.npz");
    try (Outputs outputs = Outputs.reading()) {
      outputs.add(npz);
      DataFiles.write(outputs, npz, data);
      outputs.commit();
    }
    Dataset back = Dataset.load(NumpySource.npz(npz));
    assertThat(back.X()).isEqualTo(data.X());
    assertThat(back.Y()).isEqualTo(data.Y());
  }

  @Test
  void aNameWithoutAFormatIsRefusedAndNothingIsWritten() throws IOException {
    Path txt = tmp.resolve("d.txt");
    try (Outputs outputs = Outputs.reading()) {
      outputs.add(txt);
      assertThatThrownBy(() -> DataFiles.write(outputs, txt, awkward())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name it .npz or .csv");
    }
    assertThat(Files.exists(txt)).isFalse();
  }
}
