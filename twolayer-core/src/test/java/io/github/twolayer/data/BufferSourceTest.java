package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.moments.MomentRecovery;
import io.github.twolayer.moments.Recovery;
import io.github.twolayer.moments.RecoveryOptions;
import io.github.twolayer.sampling.Distributions;
import io.github.twolayer.sampling.PlantedNetworks;
import io.github.twolayer.random.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferSourceTest {
  /** A direct buffer holding {@code values}, as one over foreign (e.g. NumPy) memory would be. */
  static DoubleBuffer direct(double[] values) {
    DoubleBuffer b = ByteBuffer.allocateDirect(values.length * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    b.put(values).flip();
    return b;
  }

  @Test
  void blocksAreInPlaceViewsOfConsecutiveRowsCoveringEverySample() {
    double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    double[] y = {10, 11, 12, 13, 14};
    BufferSource source = new BufferSource(5, 2, 1, direct(x), direct(y));
    List<RowBlock> blocks = new ArrayList<>();
    source.forEachBlock(2, blocks::add);
    assertThat(blocks).extracting(RowBlock::firstRow).containsExactly(0L, 2L, 4L);
    assertThat(blocks).extracting(RowBlock::rows).containsExactly(2, 2, 1);
    assertThat(blocks).allMatch(RowBlock::isMapped);
    RowBlock last = blocks.get(2);
    assertThat(last.xBuffer().get(0)).isEqualTo(8);
    assertThat(last.xBuffer().get(1)).isEqualTo(9);
    assertThat(last.yBuffer().get(0)).isEqualTo(14);
  }

  @Test
  void recoveryOverBuffersMatchesRecoveryOverTheSameSamplesInArrays() {
    var rng = Seeds.root(3);
    var truth = PlantedNetworks.draw(PlantedNetworks.Shape.of(8, 3, 5), rng);
    Dataset data = PlantedNetworks.sample(truth, Distributions.cube(8), 20000, 0, rng);
    RecoveryOptions options = RecoveryOptions.defaults(3).withThreads(2);
    Recovery inArrays = MomentRecovery.fit(data, options);
    Recovery inBuffers = MomentRecovery.fit(new BufferSource(data.n(), 8, 5, direct(data.X()), direct(data.Y())),
        options);
    double[] a = inArrays.network().W();
    double[] b = inBuffers.network().W();
    // The same sums over the same blocks, through the buffer kernels instead of the array ones: equal up to
    // the rounding of a different order of additions (far below the recovery's own error, ~1e-2 here).
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void buffersOfAnotherSizeThanTheShapeAreRefused() {
    assertThatThrownBy(() -> new BufferSource(5, 2, 1, direct(new double[9]), direct(new double[5])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X holds 9 numbers but n×d = 10");
  }
}
