package io.github.twolayer.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.twolayer.pass.EngineException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Master URLs checked as Spark would take them, without starting any of Spark. */
class MasterUrlTest {
  @Test
  void sparksLocalFormsAreTaken() {
    for (String url : List.of("local", "local[1]", "local[16]", "local[*]", "local[4,2]", "local[*,3]",
        "local[2 , 5]")) {
      MasterUrl m = MasterUrl.parse(url);
      assertThat(m.kind()).as(url).isEqualTo(MasterUrl.Kind.LOCAL);
      assertThat(m.local()).isTrue();
      assertThat(m.url()).isEqualTo(url);
    }
  }

  @Test
  void aStandaloneUrlListsEveryMasterWithItsPort() {
    MasterUrl one = MasterUrl.parse("spark://10.0.0.5:7077");
    assertThat(one.kind()).isEqualTo(MasterUrl.Kind.STANDALONE);
    assertThat(one.local()).isFalse();
    assertThat(one.masters()).containsExactly(InetSocketAddress.createUnresolved("10.0.0.5", 7077));
    MasterUrl standbys = MasterUrl.parse("spark://a.example:7077,b.example:7078,[::1]:7079");
    assertThat(standbys.masters()).extracting(InetSocketAddress::getHostString)
        .containsExactly("a.example", "b.example", "[::1]");
    assertThat(standbys.masters()).extracting(InetSocketAddress::getPort).containsExactly(7077, 7078, 7079);
  }

  @Test
  void clusterManagersAreTakenByTheirSchemes() {
    assertThat(MasterUrl.parse("yarn").kind()).isEqualTo(MasterUrl.Kind.YARN);
    assertThat(MasterUrl.parse("k8s://https://api.example:6443").kind()).isEqualTo(MasterUrl.Kind.KUBERNETES);
    assertThat(MasterUrl.parse("k8s://api.example:6443").kind()).isEqualTo(MasterUrl.Kind.KUBERNETES);
    assertThat(MasterUrl.parse("mesos://m.example:5050").kind()).isEqualTo(MasterUrl.Kind.MESOS);
    assertThat(MasterUrl.parse("yarn").masters()).isEmpty();
  }

  @Test
  void aValueSparkRefusesIsOneLineNamingTheValueWhatIsWrongAndTheForms() {
    Map<String, String> why = new LinkedHashMap<>();
    why.put("bogus://x", "unknown scheme bogus://");
    why.put("local[0]", "0 threads");
    why.put("local[0,2]", "0 threads");
    why.put("local[2,0]", "0 tries per task");
    why.put("local[-1]", "N must be a whole number ≥ 1 or *");
    why.put("local[two]", "N must be a whole number ≥ 1 or *");
    why.put("local[9999999999]", "9999999999 threads"); // beyond Spark's toInt
    why.put("LOCAL", "not a URL Spark knows"); // Spark's match is case-sensitive
    why.put("spark://host", "host has no port");
    why.put("spark://host:70000", "port 70000 is outside 1–65535");
    why.put("spark://host:99999999999", "'host:99999999999' is not HOST:PORT"); // past int: URI finds no host
    why.put("spark://host:0", "port 0 is outside 1–65535");
    why.put("spark://", "no host");
    why.put("spark://a:7077,,b:7077", "an empty HOST:PORT");
    why.put("spark://a:7077, b:7077", "' b:7077' is not HOST:PORT"); // Spark does not strip spaces either
    why.put("spark://host:7077/path", "more than HOST:PORT");
    why.put("localhost:7077", "a standalone master is spark://localhost:7077");
    why.put("yarn-client", "plain yarn");
    why.put("k8s://", "not an API server address");
    why.put("mesos://", "no host");
    why.put("k8s://ftp://h", "http or https");
    why.put("", "not a URL Spark knows");
    for (var e : why.entrySet()) {
      Throwable t = catchThrowable(() -> MasterUrl.parse(e.getKey()));
      assertThat(t).as(e.getKey()).isInstanceOf(IllegalArgumentException.class);
      assertThat(t.getMessage()).as(e.getKey()).startsWith("--master " + e.getKey() + " is not a Spark master URL (")
          .contains(e.getValue()).endsWith("Spark takes " + MasterUrl.FORMS).doesNotContain("\n");
    }
  }

  @Test
  void aValueFromSparksConfigurationIsNamedAsSuch() {
    // -Dspark.master (or spark-submit's) rather than --master: the message says where it came from.
    assertThatThrownBy(() -> MasterUrl.parse("spark.master", "bogus")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spark.master bogus is not a Spark master URL (not a URL Spark knows)");
    assertThat(MasterUrl.parse("spark.master", "local[*]").local()).isTrue();
  }

  @Test
  void thePortRangeIsSparksSocketRange() {
    // 65535 is the highest TCP port: the last one taken, the next one refused.
    assertThat(MasterUrl.parse("spark://h:65535").masters().get(0).getPort()).isEqualTo(65535);
    assertThatThrownBy(() -> MasterUrl.parse("spark://h:65536")).hasMessageContaining("port 65536 is outside 1–65535");
  }

  @Test
  void aClusterManagerOffTheClassPathIsAnEngineFailureThatNamesSparkSubmit() {
    Map<String, String> hasConfig = Map.of("HADOOP_CONF_DIR", "/etc/hadoop/conf");
    for (String url : List.of("yarn", "k8s://https://api.example:6443", "mesos://m.example:5050")) {
      MasterUrl m = MasterUrl.parse(url);
      Throwable t = catchThrowable(() -> m.requireClusterManager(c -> false, hasConfig::get));
      assertThat(t).as(url).isInstanceOf(EngineException.class);
      assertThat(t.getMessage()).as(url).startsWith("--master " + url + " needs Spark's ")
          .contains("does not have built in").contains("spark-submit --master " + url + " --class io.github.twolayer"
          + ".cli.Main twolayer-spark/target/twolayer-spark-<version>-cluster.jar").doesNotContain("\n");
    }
    // The class looked for is Spark's own module's.
    List<String> asked = new ArrayList<>();
    MasterUrl.parse("yarn").requireClusterManager(c -> asked.add(c), hasConfig::get);
    assertThat(asked).containsExactly("org.apache.spark.scheduler.cluster.YarnClusterManager");
  }

  @Test
  void localAndStandaloneNeedNoClusterManager() {
    for (String url : List.of("local[2]", "spark://h:7077")) {
      MasterUrl.parse(url).requireClusterManager(c -> {
        throw new AssertionError("looked for " + c);
      }, v -> {
        throw new AssertionError("read " + v);
      });
    }
  }

  @Test
  void yarnWithoutItsConfigurationIsRefusedAsSparkSubmitRefusesIt() {
    MasterUrl yarn = MasterUrl.parse("yarn");
    assertThatThrownBy(() -> yarn.requireClusterManager(c -> true, v -> null)).isInstanceOf(EngineException.class)
        .hasMessageContaining("set HADOOP_CONF_DIR (or YARN_CONF_DIR)");
    yarn.requireClusterManager(c -> true, Map.of("YARN_CONF_DIR", "/etc/hadoop/conf")::get);
    yarn.requireClusterManager(c -> true, Map.of("HADOOP_CONF_DIR", "/etc/hadoop/conf")::get);
  }

  @Test
  void theClassPathCheckSeesWhatIsThereAndWhatIsNot() {
    assertThat(MasterUrl.onClassPath("org.apache.spark.SparkContext")).isTrue();
    // This module's Spark has no YARN support (spark-yarn is not a dependency).
    assertThat(MasterUrl.onClassPath(MasterUrl.Kind.YARN.managerClass)).isFalse();
  }
}
