package io.github.twolayer.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.pass.EngineException;
import java.net.ConnectException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Spark's exceptions as the one line a user sees, sorted by whose fault they are (no Spark session). */
class SparkFailureLinesTest {
  @Test
  void aFileThatIsNotParquetInsideATaskIsBadInput() {
    // As a job that read a directory holding an .npz among Parquet files fails: the task's exception
    // wrapped in the job's.
    String task = "file:/data/table/d.npz is not a Parquet file. Expected magic number at tail, but found "
        + "[43, 0, 0, 0]";
    SparkException job = new SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, "
        + "most recent failure: Lost task 0.0: org.apache.spark.SparkException: Exception thrown in awaitResult:\n"
        + "\tat org.apache.spark.util.SparkThreadUtils$.awaitResult(SparkThreadUtils.scala:56)\n"
        + "Caused by: java.lang.RuntimeException: " + task + "\n\tat org.apache.parquet.hadoop.ParquetFileReader",
        new RuntimeException(task));
    RuntimeException e = SparkEngine.unwrap(job);
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getMessage()).startsWith(task + "; --engine spark reads Parquet")
        .endsWith("convert that file or leave it out of --data").doesNotContain("\n");
  }

  @Test
  void aSessionThatDidNotStartIsAnEngineFailureNamingTheMasterAndTheCause() {
    SparkLog.clear();
    MasterUrl url = MasterUrl.parse("k8s://https://api.example:6443");
    // SparkContext wraps what a cluster manager throws as it creates its scheduler.
    SparkException e = new SparkException("External scheduler cannot be instantiated",
        new IllegalStateException("cannot reach the API server", new ConnectException("Connection refused")));
    EngineException line = SparkEngines.startFailure(url, e);
    assertThat(line.getMessage()).isEqualTo("Spark did not start on k8s://https://api.example:6443: External scheduler "
        + "cannot be instantiated (ConnectException: Connection refused); check the master and the cluster's "
        + "configuration (--verbose shows Spark's log)");
    assertThat(line.getCause()).isSameAs(e); // --verbose prints the whole chain
  }

  @Test
  void aStartRefusedByASparkSettingKeepsSparksWordsWithoutRepeatingThem() {
    SparkLog.clear();
    // Scala's require(): an IllegalArgumentException, yet a start-up failure (exit 4), not bad data.
    EngineException line = SparkEngines.startFailure(MasterUrl.parse("local[2]"),
        new IllegalArgumentException("spark.driver.port should be int, but was notaport"));
    assertThat(line.getMessage()).startsWith("Spark did not start on local[2]: spark.driver.port should be int, but "
        + "was notaport; check");
  }
}
