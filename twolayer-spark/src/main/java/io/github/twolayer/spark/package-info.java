/**
 * The Spark engine: every pass over the samples of both algorithms as one {@code treeAggregate} over
 * data cached on a cluster, with everything between the passes on the driver.
 *
 * <p>Start at {@link io.github.twolayer.spark.SparkEngines}, the engine factory that {@code --engine
 * spark} finds through {@link java.util.ServiceLoader}: it reads Parquet or CSV with Spark's readers into
 * cached {@link io.github.twolayer.spark.SampleBlock}s, and {@link io.github.twolayer.spark.SparkEngine}
 * runs an accumulator of twolayer-core's {@code pass} package over them. {@link
 * io.github.twolayer.spark.Cluster} prepares a session for a real cluster (master reachable, the cluster
 * jar shipped, executors waited for) and {@link io.github.twolayer.spark.SparkLog} keeps Spark's logging
 * at WARN on every path. Before any session starts, {@link io.github.twolayer.spark.MasterUrl} checks the
 * master URL (and that its cluster manager is on the class path) and {@link
 * io.github.twolayer.spark.DataFormat} decides between the CSV and Parquet readers, refusing other formats.
 */
package io.github.twolayer.spark;
