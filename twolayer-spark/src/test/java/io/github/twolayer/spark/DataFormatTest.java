package io.github.twolayer.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which reader --engine spark uses for --data, decided before a session starts (no Spark here). */
class DataFormatTest {
  private static final String PREFIX = "--engine spark reads Parquet or CSV; ";

  @TempDir
  Path tmp;

  @Test
  void namesSayCsvOrParquet() {
    for (String csv : List.of("d.csv", "D.CSV", "d.csv.gz", "d.csv.bz2", "d.csv.zst", "parts/*.csv", "parts/*.csv*",
        "hdfs://nn/data/d.csv", "s3a://bucket/d.csv.gz")) {
      assertThat(DataFormat.of(csv)).as(csv).isEqualTo(DataFormat.CSV);
    }
    for (String parquet : List.of("d.parquet", "d.snappy.parquet", "d.parq", "hdfs://nn/data/planted.parquet",
        "s3a://bucket/table", "parts/*", "file:///nowhere/table")) {
      assertThat(DataFormat.of(parquet)).as(parquet).isEqualTo(DataFormat.PARQUET);
    }
  }

  @Test
  void numpyIsRefusedWithTheLocalEngineAsTheFix() {
    assertThatThrownBy(() -> DataFormat.of("d.npz")).isInstanceOf(IllegalArgumentException.class).hasMessage(PREFIX
        + "d.npz is NumPy: drop --engine spark (the local engine reads .npz), or convert it to Parquet");
    assertThatThrownBy(() -> DataFormat.of("X.npy")).hasMessageStartingWith(PREFIX + "X.npy is NumPy: ")
        .hasMessageContaining("--x X.npy --y Y.npy");
    // By the name alone, also where this machine cannot look.
    assertThatThrownBy(() -> DataFormat.of("hdfs://nn/data/d.npz")).hasMessageStartingWith(PREFIX
        + "hdfs://nn/data/d.npz is NumPy");
  }

  @Test
  void otherKnownFormatsAreRefusedByNameWithAFix() {
    for (String name : List.of("d.json", "d.jsonl", "d.tsv", "d.orc", "d.avro", "d.feather", "d.h5", "d.xlsx",
        "d.pkl", "d.zip", "d.gz")) {
      Throwable t = catchThrowable(() -> DataFormat.of(name));
      assertThat(t).as(name).isInstanceOf(IllegalArgumentException.class);
      assertThat(t.getMessage()).as(name).startsWith(PREFIX + name + " is ").doesNotContain("\n");
    }
    assertThatThrownBy(() -> DataFormat.of("d.json")).hasMessage(PREFIX + "d.json is JSON: convert it to Parquet, "
        + "or to CSV with a header line (columns x0.., y0..)");
    assertThatThrownBy(() -> DataFormat.of("d.gz")).hasMessageContaining("name it *.csv.gz");
  }

  @Test
  void aFileWhoseNameSaysNeitherIsJudgedByItsFirstBytes() throws IOException {
    Path parquet = write("table", new byte[] {'P', 'A', 'R', '1', 0x15, 0x04});
    assertThat(DataFormat.of(parquet.toString())).isEqualTo(DataFormat.PARQUET);
    assertThat(DataFormat.of(parquet.toUri().toString())).isEqualTo(DataFormat.PARQUET); // as a file: URI
    Path npy = write("arrays", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    assertThatThrownBy(() -> DataFormat.of(npy.toString())).hasMessageStartingWith(PREFIX + npy + " is NumPy: ");
    Path zip = write("samples.dat", new byte[] {'P', 'K', 3, 4, 20, 0});
    assertThatThrownBy(() -> DataFormat.of(zip.toString())).hasMessageStartingWith(PREFIX + zip + " is a zip archive");
    Path text = write("samples.txt", "x0,y0\n1,2\n".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> DataFormat.of(text.toString())).hasMessage(PREFIX + text + " is neither a Parquet file "
        + "(those begin with PAR1) nor named as CSV: if it is CSV, name it *.csv; else convert it to Parquet, or to "
        + "CSV with a header line (columns x0.., y0..)");
    Path empty = write("empty", new byte[0]);
    assertThatThrownBy(() -> DataFormat.of(empty.toString())).hasMessageContaining("is neither a Parquet file");
  }

  @Test
  void aDirectoryIsJudgedByItsPartFiles() throws IOException {
    Path csv = Files.createDirectories(tmp.resolve("csv"));
    write("csv/part-00000.csv", new byte[] {'x'});
    write("csv/part-00001.csv.gz", new byte[] {'x'});
    write("csv/_SUCCESS", new byte[0]); // Spark's marker and checksums are not data
    write("csv/.part-00000.csv.crc", new byte[] {'x'});
    assertThat(DataFormat.of(csv.toString())).isEqualTo(DataFormat.CSV);
    assertThat(DataFormat.of(csv + "/")).isEqualTo(DataFormat.CSV);

    Path parquet = Files.createDirectories(tmp.resolve("table"));
    write("table/part-00000-1f.c000.snappy.parquet", new byte[] {'P'});
    write("table/_SUCCESS", new byte[0]);
    assertThat(DataFormat.of(parquet.toString())).isEqualTo(DataFormat.PARQUET);

    Path hive = Files.createDirectories(tmp.resolve("hive"));
    write("hive/000000_0", new byte[] {'P'}); // Hive's part files have no extension
    assertThat(DataFormat.of(hive.toString())).isEqualTo(DataFormat.PARQUET);

    Path numpy = Files.createDirectories(tmp.resolve("arrays"));
    write("arrays/a.npz", new byte[] {'P'});
    write("arrays/b.npz", new byte[] {'P'});
    assertThatThrownBy(() -> DataFormat.of(numpy.toString())).hasMessage(PREFIX + numpy + " holds a.npz, which is "
        + "NumPy: drop --engine spark (the local engine reads .npz), or convert it to Parquet");
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(tmp.resolve(name), bytes);
  }
}
