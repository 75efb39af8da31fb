package io.github.twolayer.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Spark logs while a session starts reaches the console only once the session runs: never when
 * the start fails (the command's one line says why), always with --verbose. Log4j alone, no Spark.
 */
class SparkLogTest {
  /** The logger SparkContext reports a failed start on. */
  private static final Logger SPARK_CONTEXT = LogManager.getLogger("org.apache.spark.SparkContext");

  private CapturedLog console;

  @BeforeEach
  void capture() {
    SparkLog.configure(false);
    console = new CapturedLog();
  }

  @AfterEach
  void release() {
    SparkLog.holdStartUp(true).started(); // takes down any gate a test left dropping
    console.close();
  }

  @Test
  void aFailedStartShowsNothingOfWhatSparkLogged() {
    SparkLog.StartUp startUp = SparkLog.holdStartUp(false);
    SPARK_CONTEXT.warn("Another SparkContext is being constructed");
    SPARK_CONTEXT.error("Error initializing SparkContext.", new IllegalStateException("Could not parse Master URL"));
    assertThat(console.lines()).isEmpty();
    startUp.failed();
    SPARK_CONTEXT.error("Error stopping SparkContext after init error."); // late, as its threads wind down
    assertThat(console.lines()).isEmpty();
  }

  @Test
  void aSuccessfulStartShowsWhatWasHeldInOrderAndThenEverything() {
    SparkLog.StartUp startUp = SparkLog.holdStartUp(false);
    SPARK_CONTEXT.warn("first");
    SPARK_CONTEXT.error("second");
    assertThat(console.lines()).isEmpty();
    startUp.started();
    assertThat(console.lines()).containsExactly("WARN org.apache.spark.SparkContext: first",
        "ERROR org.apache.spark.SparkContext: second");
    SPARK_CONTEXT.warn("third");
    assertThat(console.lines()).hasSize(3).last().isEqualTo("WARN org.apache.spark.SparkContext: third");
  }

  @Test
  void theNextStartEndsAFailedStartsSilence() {
    SparkLog.holdStartUp(false).failed();
    SparkLog.StartUp next = SparkLog.holdStartUp(false);
    next.started();
    SPARK_CONTEXT.warn("after the next start");
    assertThat(console.lines()).containsExactly("WARN org.apache.spark.SparkContext: after the next start");
  }

  @Test
  void withVerboseNothingIsHeld() {
    SparkLog.StartUp startUp = SparkLog.holdStartUp(true);
    SPARK_CONTEXT.error("Error initializing SparkContext.");
    assertThat(console.lines())
        .containsExactly("ERROR org.apache.spark.SparkContext: Error initializing SparkContext.");
    startUp.failed();
    SPARK_CONTEXT.warn("still shown");
    assertThat(console.lines()).hasSize(2);
  }

  @Test
  void levelsBelowWarnStayOffWhileHeldAndAfter() {
    SparkLog.StartUp startUp = SparkLog.holdStartUp(false);
    SPARK_CONTEXT.info("Running Spark version 3.5");
    startUp.started();
    assertThat(console.lines()).isEmpty();
  }
}
