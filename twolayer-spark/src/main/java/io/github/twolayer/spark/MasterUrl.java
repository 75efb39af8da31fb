package io.github.twolayer.spark;

import io.github.twolayer.pass.EngineException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark master URL, checked against the forms Spark 3.5's SparkContext takes before any session
 * starts: a value it would refuse then fails in one line (exit 2) instead of after SparkContext has
 * logged its error and stack trace. Spark's test-only {@code local-cluster[…]} is not taken: it needs a
 * Spark installation to launch its executors, and twolayer's classes would not reach them.
 *
 * @param url the value as given
 * @param kind which scheduler the URL names
 * @param masters host:port of every standalone master ({@code spark://}; a standby list is
 *     comma-separated), empty for the other kinds
 */
record MasterUrl(String url, Kind kind, List<InetSocketAddress> masters) {
  /** The schedulers a master URL can name. */
  enum Kind {
    /** Embedded in this JVM: local, local[N], local[*], local[N,F]. */
    LOCAL(null, null),
    /** A standalone cluster's master(s): spark://HOST:PORT[,HOST:PORT…]. */
    STANDALONE(null, null),
    YARN("org.apache.spark.scheduler.cluster.YarnClusterManager", "YARN"),
    KUBERNETES("org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager", "Kubernetes"),
    MESOS("org.apache.spark.scheduler.cluster.mesos.MesosClusterManager", "Mesos");

    /** The class of Spark's module for this cluster manager, absent from a Spark built without it. */
    final String managerClass;
    final String displayName;

    Kind(String managerClass, String displayName) {
      this.managerClass = managerClass;
      this.displayName = displayName;
    }
  }

  /** The forms, as the messages list them. */
  static final String FORMS = "local, local[N], local[*], local[N,F] (N ≥ 1 threads, F ≥ 1 tries per task), "
      + "spark://HOST:PORT[,HOST:PORT…] (a standalone master and its standbys), yarn or k8s://[https://]HOST[:PORT]";

  /** Spark's own patterns (SparkMasterRegex), spelled the same so that the same strings match. */
  private static final Pattern LOCAL_N = Pattern.compile("local\\[([0-9]+|\\*)\\]");
  private static final Pattern LOCAL_N_FAILURES = Pattern.compile("local\\[([0-9]+|\\*)\\s*,\\s*([0-9]+)\\]");
  private static final Pattern HOST_PORT = Pattern.compile("[^/:\\s]+:[0-9]+");

  MasterUrl {
    masters = List.copyOf(masters);
  }

  /** True for the embedded scheduler (no cluster, no jars to ship). */
  boolean local() {
    return kind == Kind.LOCAL;
  }

  /**
   * The URL's kind and standalone masters, or an {@link IllegalArgumentException} that names the value,
   * what is wrong with it and the forms Spark takes. Pure: no Spark, no network.
   */
  static MasterUrl parse(String url) {
    return parse("--master", url);
  }

  /** {@link #parse} of a value that came from elsewhere (spark.master: spark-submit's, -Dspark.master). */
  static MasterUrl parse(String option, String url) {
    String label = option + " " + url;
    if (url.equals("local")) {
      return new MasterUrl(url, Kind.LOCAL, List.of());
    }
    if (url.equals("yarn")) {
      return new MasterUrl(url, Kind.YARN, List.of());
    }
    Matcher n = LOCAL_N.matcher(url);
    Matcher nf = LOCAL_N_FAILURES.matcher(url);
    if (n.matches() || nf.matches()) {
      String threads = n.matches() ? n.group(1) : nf.group(1);
      if (!threads.equals("*") && !positiveInt(threads)) {
        throw invalid(label, threads + " threads");
      }
      if (nf.matches() && !positiveInt(nf.group(2))) {
        throw invalid(label, nf.group(2) + " tries per task");
      }
      return new MasterUrl(url, Kind.LOCAL, List.of());
    }
    if (url.startsWith("local[")) {
      throw invalid(label, "N must be a whole number ≥ 1 or *, and F a whole number ≥ 1");
    }
    if (HOST_PORT.matcher(url).matches()) {
      throw invalid(label, "no scheme: a standalone master is spark://" + url);
    }
    if (url.startsWith("spark://")) {
      return new MasterUrl(url, Kind.STANDALONE, standalone(label, url));
    }
    if (url.startsWith("k8s://")) {
      kubernetesApiServer(label, url);
      return new MasterUrl(url, Kind.KUBERNETES, List.of());
    }
    if (url.startsWith("mesos://")) { // deprecated in Spark 3.5, still taken
      if (url.length() == "mesos://".length()) {
        throw invalid(label, "no host");
      }
      return new MasterUrl(url, Kind.MESOS, List.of());
    }
    if (url.startsWith("yarn")) {
      throw invalid(label, "plain yarn, with the deploy mode in spark-submit's --deploy-mode");
    }
    int scheme = url.indexOf("://");
    throw invalid(label, scheme > 0 ? "unknown scheme " + url.substring(0, scheme) + "://" : "not a URL Spark knows");
  }

  /** Each HOST:PORT of a spark:// URL, as Spark checks them: a host, a port, nothing else. */
  private static List<InetSocketAddress> standalone(String label, String url) {
    String list = url.substring("spark://".length());
    if (list.isEmpty()) {
      throw invalid(label, "no host");
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String hostPort : list.split(",", -1)) {
      if (hostPort.isEmpty()) {
        throw invalid(label, "an empty HOST:PORT in the list");
      }
      URI uri;
      try {
        uri = new URI("spark://" + hostPort);
      } catch (URISyntaxException e) {
        throw invalid(label, "'" + hostPort + "' is not HOST:PORT");
      }
      if (uri.getHost() == null) {
        // java.net.URI leaves the host out when the port is not a number it can read (letters, too large)
        throw invalid(label, "'" + hostPort + "' is not HOST:PORT");
      }
      if (uri.getPort() < 0) {
        throw invalid(label, hostPort + " has no port: a standalone master's is 7077 unless set otherwise");
      }
      if (uri.getPort() < 1 || uri.getPort() > 65535) {
        throw invalid(label, "port " + uri.getPort() + " is outside 1–65535");
      }
      if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw invalid(label, "'" + hostPort + "' has more than HOST:PORT");
      }
      out.add(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
    }
    return out;
  }

  /** k8s://HOST[:PORT] or k8s://http(s)://HOST[:PORT] (https when no scheme is given, as spark-submit does). */
  private static void kubernetesApiServer(String label, String url) {
    String server = url.substring("k8s://".length());
    if (!server.startsWith("http://") && !server.startsWith("https://")) {
      if (server.contains("://")) {
        throw invalid(label, "the API server's scheme is http or https");
      }
      server = "https://" + server;
    }
    try {
      URI uri = new URI(server);
      if (uri.getHost() == null) {
        throw invalid(label, "no API server host");
      }
      if (uri.getPort() == 0 || uri.getPort() > 65535) {
        throw invalid(label, "port " + uri.getPort() + " is outside 1–65535");
      }
    } catch (URISyntaxException e) {
      throw invalid(label, "'" + url.substring("k8s://".length()) + "' is not an API server address");
    }
  }

  private static boolean positiveInt(String digits) {
    // Spark reads N with toInt: more than 9 digits may overflow it, and nobody has 10^9 cores.
    return digits.length() <= 9 && Integer.parseInt(digits) >= 1;
  }

  private static IllegalArgumentException invalid(String label, String why) {
    return new IllegalArgumentException(label + " is not a Spark master URL (" + why + "); Spark takes " + FORMS);
  }

  /**
   * An {@link EngineException} when the URL names a cluster manager (YARN, Kubernetes, Mesos) whose
   * Spark module is not on the class path: the Spark that twolayer brings (twolayer-spark/target/lib)
   * has the embedded and standalone schedulers only, and Spark itself would only say it "could not
   * parse" the URL. YARN without its configuration is refused the way spark-submit refuses it, since
   * Spark would otherwise retry a ResourceManager at 0.0.0.0 for many minutes.
   *
   * @param onClassPath whether a class of that name can be loaded
   * @param env the environment's variables (null when unset)
   */
  void requireClusterManager(Predicate<String> onClassPath, Function<String, String> env) {
    if (kind.managerClass == null) {
      return;
    }
    if (!onClassPath.test(kind.managerClass)) {
      throw new EngineException("--master " + url + " needs Spark's " + kind.displayName + " support, which this "
          + "twolayer does not have built in (its Spark runs local[…] and spark:// standalone masters only); run it "
          + "with the cluster's own spark-submit, which puts that support on the class path: spark-submit --master "
          + url + " --class io.github.twolayer.cli.Main twolayer-spark/target/twolayer-spark-<version>-cluster.jar "
          + "COMMAND --engine spark …");
    }
    if (kind == Kind.YARN && env.apply("HADOOP_CONF_DIR") == null && env.apply("YARN_CONF_DIR") == null) {
      throw new EngineException("--master yarn needs the cluster's configuration: set HADOOP_CONF_DIR (or "
          + "YARN_CONF_DIR) to the directory that holds its yarn-site.xml, or run through the cluster's spark-submit");
    }
  }

  /** Whether Spark's class loader (the context loader, else this one's) can load the class. */
  static boolean onClassPath(String className) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class.forName(className, false, loader != null ? loader : MasterUrl.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
