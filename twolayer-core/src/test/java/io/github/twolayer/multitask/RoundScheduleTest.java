package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntToDoubleFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The rule of --rounds auto on scripted held-out losses, and a number of rounds left as it was. */
class RoundScheduleTest {
  static final PretrainingOptions AUTO = PretrainingOptions.defaults(8).withRounds(PretrainingOptions.AUTO_ROUNDS);

  /** Runs the schedule with the loss {@code lossAt(round)} (rounds counted from 1); returns it. */
  static RoundSchedule run(PretrainingOptions options, IntToDoubleFunction lossAt) {
    int[] round = {0};
    RoundSchedule s = RoundSchedule.measured(options, (w, c) -> lossAt.applyAsDouble(round[0]),
        (r, w) -> {});
    for (int r = 0; s.running(r); r++) {
      round[0] = r + 1;
      s.afterRound(r, new double[0], new double[0]);
    }
    return s;
  }

  @Test
  void aNumberOfRoundsRunsExactlyThatManyAtTheFullStep() {
    RoundSchedule s = run(PretrainingOptions.defaults(8).withRounds(37), r -> {
      throw new AssertionError("a fixed number of rounds measures nothing");
    });
    assertThat(s.used()).isEqualTo(37);
    assertThat(s.stepScale(36)).isEqualTo(1);
    assertThat(s.stopping().reason()).isEqualTo("fixed: 37 rounds");
    assertThat(s.stopping().heldOutLoss()).isEmpty();
  }

  @Test
  void theStepDecaysWhereTheLossLevelsOffAndTheRunStopsOnceItSettles() {
    // Falls steeply until round 100, then is flat: the plateau is seen one window (50 rounds) later.
    RoundSchedule s = run(AUTO, r -> r <= 100 ? 1.0 - 0.005 * r : 0.5);
    int decay = s.stopping().decayFrom();
    assertThat(decay).isEqualTo(150);
    assertThat(s.stepScale(decay - 1)).isEqualTo(1);
    // Halved every HALF_LIFE rounds from there.
    assertThat(s.stepScale(decay + RoundSchedule.HALF_LIFE)).isCloseTo(0.5, Offset.offset(1e-12));
    assertThat(s.stepScale(decay + 3 * RoundSchedule.HALF_LIFE)).isCloseTo(0.125,
        Offset.offset(1e-12));
    // Flat throughout the decay: the stop comes as soon as the decay has run its fewest rounds.
    assertThat(s.used()).isEqualTo(decay + RoundSchedule.DECAY_ROUNDS);
    assertThat(s.stopping().reason()).startsWith("settled: the held-out loss fell by 0");
    assertThat(s.stopping().heldOutLoss()).hasSize(s.used() / RoundSchedule.EVERY);
  }

  @Test
  void aLossStillFallingDuringTheDecayKeepsTheRunGoingAndTheCapEndsIt() {
    // 1% per 10 rounds for ever: never a plateau, so never a decay, and the cap stops it.
    RoundSchedule s = run(AUTO, r -> Math.pow(0.99, r / 10.0));
    assertThat(s.stopping().decayFrom()).isEqualTo(-1);
    assertThat(s.used()).isEqualTo(RoundSchedule.CAP);
    assertThat(s.stopping().reason()).isEqualTo("cap: " + RoundSchedule.CAP + " rounds");
    // Flat, then falling again under the decay: the stop waits for the fall to end.
    RoundSchedule t = run(AUTO, r -> r <= 200 ? 1 : 1 - 0.001 * Math.min(r - 200, 300));
    assertThat(t.stopping().decayFrom()).isEqualTo(60); // flat from the start: levelled off after one window
    assertThat(t.used()).isGreaterThanOrEqualTo(500); // still falling ≥ 0.2% per 50 rounds until round 500
  }

  @Test
  void autoNeedsHeldOutSamples() {
    assertThatThrownBy(() -> RoundSchedule.of(AUTO, (HeldOut) null, (r, w) -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds auto decides when to stop on "
            + "samples held out of training");
  }
}
