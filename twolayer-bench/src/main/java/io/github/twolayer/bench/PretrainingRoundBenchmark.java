package io.github.twolayer.bench;

import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
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
 * One round of multi-task pretraining (docs/collins-method.md) at the acceptance size: d = 100, T = 32,
 * m = 256, n₁ = n₂ = 256, online (drawing the round's samples is included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PretrainingRoundBenchmark {
  @Param({"100"})
  public int d;

  @Param({"32"})
  public int tasks;

  @Param({"256"})
  public int width;

  TaskSampler sampler;
  PretrainingOptions options;

  @Setup
  public void setUp() {
    var rng = Seeds.root(1);
    TaskFamily family = TaskFamily.draw(d, 3, TaskFamily.Kind.HALFSPACE, 0, rng);
    sampler = TaskSampler.online(family, TaskSampler.drawTasks(family, tasks, rng));
    options = PretrainingOptions.defaults(width).withRounds(1);
  }

  @Benchmark
  public Object round() {
    return MultiTaskPretraining.fit(sampler, options).network();
  }
}
