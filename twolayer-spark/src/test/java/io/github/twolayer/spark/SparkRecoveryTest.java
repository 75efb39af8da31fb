package io.github.twolayer.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.moments.RecoverySource;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineFactory;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The method of moments on the Spark engine ({@code local[2]}: two executor threads, so partial sums
 * really are combined across tasks) gives the local engine's model up to the order of additions.
 */
class SparkRecoveryTest {
  static final String MASTER = "local[2]";
  static SparkSession spark;
  static TwoLayerNet truth;
  static Dataset data;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkEngines.session(MASTER, new boolean[1]);
    var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(21);
    truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(6, 3, 4), rng);
    data = PlantedNetworks.sample(truth, Distributions.gaussian(6), 60_000, 0.1, rng);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static TwoLayerNet local() {
    return MomentRecovery.fit(data, RecoveryOptions.defaults(3)).network();
  }

  /** The recovery with its passes run by {@code engine} (left open). */
  private static TwoLayerNet onEngine(Engine engine) {
    return MomentRecovery.fit(new RecoverySource.Passes(engine), RecoveryOptions.defaults(3), Progress.NONE).network();
  }

  /** The larger relative difference of W and of A. */
  static double relativeDifference(TwoLayerNet a, TwoLayerNet b) {
    return Math.max(Matrices.maxRelativeDifference(a.W(), b.W()), Matrices.maxRelativeDifference(a.A(), b.A()));
  }

  @Test
  void distributedSamplesGiveTheLocalModel() {
    try (Engine engine = EngineFactory.named("spark").distribute(MASTER, data, 7)) {
      assertThat(((SparkEngine) engine).partitions()).isEqualTo(7);
      assertThat(engine.n()).isEqualTo(data.n());
      TwoLayerNet onSpark = onEngine(engine);
      // Partial sums added in another order: the moments differ by ~1e-16 relative; the spectral
      // steps amplify that by their condition (here < 1e3), far inside the acceptance bound 1e-10.
      assertThat(relativeDifference(local(), onSpark)).isLessThan(1e-10);
    }
  }

  @Tag("acceptance")
  @Test
  void aParquetDatasetSplitOverSeveralFilesGivesTheLocalModel() throws IOException {
    Path dir = tmp.resolve("planted.parquet");
    writeParquet(dir, 3);
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet")).count()).isEqualTo(3);
    }
    try (Engine engine = EngineFactory.named("spark").open(MASTER, dir.toString(), null, null)) {
      assertThat(engine.d()).isEqualTo(6);
      assertThat(engine.l()).isEqualTo(4);
      assertThat(engine.n()).isEqualTo(data.n());
      assertThat(relativeDifference(local(), onEngine(engine)))
          .isLessThan(1e-10);
    }
  }

  @Tag("acceptance")
  @Test
  void aDirectoryOfCsvFilesGivesTheLocalModel() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("csv"));
    int n = (int) data.n();
    int[] cuts = {0, 20_000, 45_000, n};
    for (int f = 0; f < 3; f++) {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("part-" + f + ".csv")))) {
        w.println("x0,x1,x2,x3,x4,x5,y0,y1,y2,y3");
        for (int r = cuts[f]; r < cuts[f + 1]; r++) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < 6; c++) {
            line.append(data.X()[r * 6 + c]).append(',');
          }
          for (int c = 0; c < 4; c++) {
            line.append(data.Y()[r * 4 + c]).append(c < 3 ? "," : "");
          }
          w.println(line);
        }
      }
    }
    try (Engine engine = EngineFactory.named("spark").open(MASTER, dir.toString(), null, null)) {
      assertThat(engine.n()).isEqualTo(n);
      // Java's Double.toString prints the shortest decimal that reads back as the same double.
      assertThat(relativeDifference(local(), onEngine(engine)))
          .isLessThan(1e-10);
    }
  }

  @Test
  void badDataIsNamedInOneLine() throws IOException {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "x0,x1,y0\n1,2,3\n4,oops,6\n");
    try (Engine engine = EngineFactory.named("spark").open(MASTER, csv.toString(), null, null)) {
      throw new AssertionError("opened " + engine.description());
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("'x1'").contains("non-numeric").doesNotContain("\n");
    }
    assertThatThrownBy(() -> EngineFactory.named("spark").open(MASTER, csv.toString(), List.of("x0", "z"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column 'z'");
    assertThatThrownBy(() -> EngineFactory.named("spark").open(MASTER, tmp.resolve("missing.parquet").toString(),
        null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read");
    // One session per JVM: another master is refused rather than silently ignored, and the running
    // session is left alone.
    assertThatThrownBy(() -> EngineFactory.named("spark").distribute("local[3]", data, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already runs a Spark session on local[2]");
    assertThat(spark.sparkContext().isStopped()).isFalse();
  }

  static void writeParquet(Path dir, int files) {
    List<StructField> fields = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      fields.add(DataTypes.createStructField("x" + c, DataTypes.DoubleType, false));
    }
    for (int c = 0; c < 4; c++) {
      fields.add(DataTypes.createStructField("y" + c, DataTypes.DoubleType, false));
    }
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < data.n(); r++) {
      Object[] values = new Object[10];
      for (int c = 0; c < 6; c++) {
        values[c] = data.X()[r * 6 + c];
      }
      for (int c = 0; c < 4; c++) {
        values[6 + c] = data.Y()[r * 4 + c];
      }
      rows.add(RowFactory.create(values));
    }
    spark.createDataFrame(rows, DataTypes.createStructType(fields)).coalesce(1).repartition(files).write()
        .parquet(dir.toString());
  }
}
