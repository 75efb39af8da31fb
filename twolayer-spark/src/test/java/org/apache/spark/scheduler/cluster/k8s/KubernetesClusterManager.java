package org.apache.spark.scheduler.cluster.k8s;

import java.net.ConnectException;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;

/**
 * Stands in for Spark's Kubernetes support on the tests' class path, under its class name (which is
 * what twolayer looks for): a cluster manager that is there but cannot reach its cluster, failing as
 * SparkContext creates its scheduler. Spark finds it as it finds the real one, through
 * META-INF/services; it takes k8s:// URLs only, so local and standalone sessions never meet it.
 */
public final class KubernetesClusterManager implements ExternalClusterManager {
  @Override
  public boolean canCreate(String masterURL) {
    return masterURL.startsWith("k8s");
  }

  @Override
  public TaskScheduler createTaskScheduler(SparkContext sc, String masterURL) {
    throw new IllegalStateException("cannot reach the Kubernetes API server at " + masterURL,
        new ConnectException("Connection refused"));
  }

  @Override
  public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterURL, TaskScheduler scheduler) {
    throw new IllegalStateException("not reached: the scheduler was never created");
  }

  @Override
  public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
    throw new IllegalStateException("not reached: the scheduler was never created");
  }
}
