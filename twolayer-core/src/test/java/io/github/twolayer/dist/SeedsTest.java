package io.github.twolayer.dist;

import static org.assertj.core.api.Assertions.assertThat;

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
          firsts.add(Seeds.generator(a, b, c).nextLong());
        }
      }
    }
    // 27 part lists, 27 different streams (a collision of 64-bit values has probability ~1e-17).
    assertThat(firsts).hasSize(27);
    assertThat(Seeds.generator(0, 0).nextLong()).isNotZero();
    assertThat(Seeds.generator(0, 0).nextLong()).isNotEqualTo(Seeds.generator(0, 0, 0).nextLong());
    assertThat(Seeds.generator(5, 7).nextLong()).isEqualTo(Seeds.generator(5, 7).nextLong());
  }
}
