package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * --rounds auto on every path: online, subsets of data in memory (float32 and float64), Bernoulli sets
 * on an engine. It stops on its own, by a rule that never looks at the truth, on rows the rounds never
 * train on, and ends closer to the subspace than the fixed 100 rounds at the same step.
 */
class AutoRoundsTest {
  static final PretrainingOptions AUTO = PretrainingOptions.defaults(32).withRounds(PretrainingOptions.AUTO_ROUNDS)
      .withSamples(64, 64).withSeed(4).withThreads(2);

  static double subspaceDist(Representation rep, SubspaceTruth truth) {
    return SubspaceMetrics.of(rep.network().W(), rep.width(), rep.d(), truth.family().basis(), truth.family().r())
        .subspaceDist();
  }

  @Test
  @Tag("acceptance")
  void onlineRoundsStopWhenTheHeldOutLossSettlesCloserToTheSubspaceThanAFixedBudget() {
    SubspaceTruth truth = SubspaceTruth.drawHalfspaces(40, 2, 8, 3);
    Representation auto = MultiTaskPretraining.fit(new PretrainingSource.Online(truth), AUTO, Progress.NONE);
    Representation fixed = MultiTaskPretraining.fit(new PretrainingSource.Online(truth), AUTO.withRounds(100),
        Progress.NONE);
    Representation.Stopping why = auto.stopping();
    assertThat(why.reason()).startsWith("settled");
    assertThat(auto.rounds()).isBetween(RoundSchedule.WINDOW + RoundSchedule.DECAY_ROUNDS, RoundSchedule.CAP - 1);
    assertThat(why.heldOutLoss()).hasSize(auto.rounds() / RoundSchedule.EVERY);
    assertThat(why.heldOutLoss().get(why.heldOutLoss().size() - 1)).isLessThan(0.8 * why.heldOutLoss().get(0));
    // The decayed step lets W settle into the subspace, where the constant step keeps it moving about.
    assertThat(subspaceDist(auto, truth)).isLessThan(subspaceDist(fixed, truth));
    assertThat(auto.diagnostics()).containsEntry("rounds_used", auto.rounds()).containsKey("stop_reason");
    assertThat(fixed.stopping().reason()).isEqualTo("fixed: 100 rounds");
    assertThat(auto.provenance()).containsEntry("rounds", "auto");
    // The same seed, the same rounds and bits, for any thread count.
    Representation again = MultiTaskPretraining.fit(new PretrainingSource.Online(truth), AUTO.withThreads(1),
        Progress.NONE);
    assertThat(again.rounds()).isEqualTo(auto.rounds());
    assertThat(again.network().W()).isEqualTo(auto.network().W());
  }

  /** Tasks of a family drawn once: the finite data of the tests below. */
  static MultiTaskDataset tasks(SubspaceTruth truth, int perTask) {
    int d = truth.family().d();
    int t = truth.tasks().size();
    double[] x = new double[t * perTask * d];
    double[] y = new double[t * perTask];
    int[] task = new int[t * perTask];
    var rng = Seeds.root(11);
    for (int i = 0; i < t; i++) {
      truth.family().sample(truth.tasks().get(i), rng, perTask, x, i * perTask * d, y, i * perTask);
      Arrays.fill(task, i * perTask, (i + 1) * perTask, i);
    }
    return new MultiTaskDataset(t * perTask, d, x, y, task);
  }

  @Test
  void aFifthOfEveryTasksRowsIsHeldOutOfTheRoundsHalfForTheHeadsHalfForTheLoss() {
    SubspaceTruth truth = SubspaceTruth.drawHalfspaces(6, 2, 3, 5);
    MultiTaskDataset data = tasks(truth, 100);
    HeldOut.Split split = HeldOut.split(data, 7);
    assertThat(split.training().n()).isEqualTo(3 * 80);
    HeldOut held = split.heldOut();
    Set<Double> trained = new HashSet<>();
    for (double v : split.training().x()) {
      trained.add(v);
    }
    for (int t = 0; t < 3; t++) {
      assertThat(held.y1().get(t)).hasSize(10);
      assertThat(held.y2().get(t)).hasSize(10);
      for (double v : held.x1().get(t)) {
        assertThat(trained).doesNotContain(v); // continuous draws: a shared value is a shared row
      }
      for (double v : held.x2().get(t)) {
        assertThat(trained).doesNotContain(v);
      }
    }
    // The same seed holds out the same rows.
    assertThat(HeldOut.split(data, 7).training().x()).isEqualTo(split.training().x());
  }

  @Test
  void bernoulliRoundsNeverDrawAHeldOutRowAndTheHeldOutSetsAreExactlyThoseRows() {
    long[] sizes = {500, 700};
    RoundSampling held = RoundSampling.heldOutSets(9, 2, HeldOut.SHARE);
    var rng = Seeds.root(2);
    int heldRows = 0;
    int inS1 = 0;
    for (int i = 0; i < 1200; i++) {
      double[] x = {rng.nextDouble() - 0.5, rng.nextDouble() - 0.5, rng.nextDouble() - 0.5};
      int t = i < 500 ? 0 : 1;
      int h = held.membership(x, 0, 3, 1, t);
      for (int round = 0; round < 5; round++) {
        int set = RoundSampling.of(9, round, sizes, 64, 64, HeldOut.SHARE).membership(x, 0, 3, 1, t);
        if (h != 0) {
          assertThat(set).as("a held-out row in round " + round).isZero();
        }
      }
      heldRows += h != 0 ? 1 : 0;
      inS1 += h == RoundSampling.S1 ? 1 : 0;
    }
    // A fifth of the rows on average (binomial, n = 1200: standard deviation 14), about half of them S¹.
    assertThat(heldRows).isBetween(240 - 60, 240 + 60);
    assertThat(inS1).isBetween(heldRows / 2 - 45, heldRows / 2 + 45);
  }

  @Test
  @Tag("acceptance")
  void everyPathStopsOnItsOwnOnData() {
    SubspaceTruth truth = SubspaceTruth.drawHalfspaces(20, 2, 6, 8);
    MultiTaskDataset data = tasks(truth, 400);
    for (PretrainingOptions o : new PretrainingOptions[] {AUTO,
        AUTO.withPrecision(PretrainingOptions.Precision.FLOAT64),
        AUTO.withSampling(PretrainingOptions.Sampling.BERNOULLI)}) {
      Representation rep = MultiTaskPretraining.fit(new PretrainingSource.Tasks(data, null), o, Progress.NONE);
      String path = o.sampling().label + "/" + o.precision().label;
      assertThat(rep.stopping().reason()).as(path).startsWith("settled");
      assertThat(rep.rounds()).as(path).isLessThan(RoundSchedule.CAP);
      assertThat(subspaceDist(rep, truth)).as(path).isLessThan(0.3);
    }
  }
}
