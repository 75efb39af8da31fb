package io.github.twolayer.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
  @Test
  void everyPartChangesTheStreamAndZeroPartsStillGiveARandomStream() {
    Set<Long> firsts = new HashSet<>();
    for (long a = 0; a < 3; a++) {
      for (long b = 0; b < 3; b++) {
        for (long c = 0; c < 3; c++) {
          firsts.add(Seeds.generator(Seeds.Stream.EXPERIMENT_RUN, a, b, c).nextLong());
        }
      }
    }
    // 27 part lists, 27 different streams (a collision of 64-bit values has probability ~1e-17).
    assertThat(firsts).hasSize(27);
    assertThat(Seeds.mix(0, 0)).isNotZero();
    assertThat(Seeds.generator(Seeds.Stream.RESTART, 0, 0).nextLong())
        .isNotEqualTo(Seeds.generator(Seeds.Stream.RESTART, 0, 0, 0).nextLong());
    assertThat(Seeds.generator(Seeds.Stream.SHUFFLE, 5).nextLong())
        .isEqualTo(Seeds.generator(Seeds.Stream.SHUFFLE, 5).nextLong());
  }

  @Test
  void noTwoPurposesShareATag() {
    long[] tags = Arrays.stream(Seeds.Stream.values()).mapToLong(s -> s.tag).toArray();
    assertThat(Arrays.stream(tags).distinct().count()).isEqualTo(tags.length);
  }

  @Test
  void restartSeventeenAndTheShuffleDrawDifferentStreams() {
    // Once restart s drew from (seed, s) and the shuffle from (seed, 17): restart 17 was the shuffle.
    for (long seed : new long[] {0, 1, 42}) {
      Set<Long> firsts = new HashSet<>();
      for (long s = 0; s < 128; s++) {
        firsts.add(Seeds.generator(Seeds.Stream.RESTART, seed, s).nextLong());
      }
      firsts.add(Seeds.generator(Seeds.Stream.SHUFFLE, seed).nextLong());
      firsts.add(Seeds.generator(Seeds.Stream.ADAM_BATCHES, seed).nextLong());
      firsts.add(Seeds.root(seed).nextLong());
      assertThat(firsts).hasSize(131);
    }
  }

  @Test
  void everyPurposeOfOneSeedIsItsOwnStream() {
    Set<Long> firsts = new HashSet<>();
    for (Seeds.Stream s : Seeds.Stream.values()) {
      firsts.add(Seeds.generator(s, 7).nextLong());
    }
    assertThat(firsts).hasSize(Seeds.Stream.values().length);
  }
}
