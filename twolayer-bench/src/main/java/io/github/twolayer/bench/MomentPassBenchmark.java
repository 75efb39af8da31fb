package io.github.twolayer.bench;

import io.github.twolayer.data.Dataset;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole method of moments on in-memory samples (three passes plus the small dense steps) at the
 * acceptance size: n = 10⁶, d = 50, k = 10, l = 20, with and without the input reduction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 4)
@Fork(value = 1, jvmArgs = {"-Xmx6g"})
public class MomentPassBenchmark {
  @Param({"1000000"})
  public int n;

  @Param({"50"})
  public int d;

  @Param({"10"})
  public int k;

  @Param({"20"})
  public int l;

  @Param({"true", "false"})
  public boolean reduce;

  /** Worker threads; 0: all cores. {@code -p threads=1,2} measures the scaling of the local engine. */
  @Param({"0"})
  public int threads;

  Dataset data;

  @Setup
  public void setUp() {
    var rng = Seeds.root(1);
    TwoLayerNet net = PlantedNetworks.draw(PlantedNetworks.Shape.of(d, k, l), rng);
    data = PlantedNetworks.sample(net, Distributions.gaussian(d), n, 0, rng);
  }

  @Benchmark
  public Object recover() {
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    return MomentRecovery.fit(data, RecoveryOptions.defaults(k).withReduceInput(reduce).withThreads(t)).network();
  }
}
