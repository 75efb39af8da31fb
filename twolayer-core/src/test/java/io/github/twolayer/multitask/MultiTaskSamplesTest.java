package io.github.twolayer.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.twolayer.sampling.TaskFamily;
import org.junit.jupiter.api.Test;

class MultiTaskSamplesTest {
  @Test
  void theSameSeedDrawsTheSameBitsAndAnotherSeedOtherSamples() {
    MultiTaskSamples.Drawn a = MultiTaskSamples.draw(12, 2, 3, 40, TaskFamily.Kind.HALFSPACE, 0, 7);
    MultiTaskSamples.Drawn b = MultiTaskSamples.draw(12, 2, 3, 40, TaskFamily.Kind.HALFSPACE, 0, 7);
    MultiTaskSamples.Drawn c = MultiTaskSamples.draw(12, 2, 3, 40, TaskFamily.Kind.HALFSPACE, 0, 8);
    assertThat(a.data().x()).isEqualTo(b.data().x());
    assertThat(a.data().y()).isEqualTo(b.data().y());
    assertThat(a.truth().family().basis()).isEqualTo(b.truth().family().basis());
    assertThat(c.data().x()).isNotEqualTo(a.data().x());
  }

  @Test
  void rowsComeTaskByTaskAndEachLabelIsItsTasksLabelWithoutNoise() {
    MultiTaskSamples.Drawn drawn = MultiTaskSamples.draw(10, 3, 4, 25, TaskFamily.Kind.BIASED_HALFSPACE, 0, 3);
    var data = drawn.data();
    assertThat(data.n()).isEqualTo(100);
    assertThat(data.tasks()).isEqualTo(4);
    assertThat(drawn.truth().tasks()).hasSize(4);
    assertThat(drawn.truth().seed()).isEqualTo(3);
    for (int i = 0; i < data.n(); i++) {
      int t = data.task()[i];
      assertThat(t).isEqualTo(i / 25);
      assertThat(data.y()[i]).isEqualTo(drawn.truth().family().label(drawn.truth().tasks().get(t), data.x(), i * 10));
    }
  }

  @Test
  void tasksDrawnOnAFamilyShareItsSubspaceButAreNewTasks() {
    MultiTaskSamples.Drawn pretraining = MultiTaskSamples.draw(10, 2, 5, 20, TaskFamily.Kind.HALFSPACE, 0, 1);
    MultiTaskSamples.Drawn downstream = MultiTaskSamples.drawOn(pretraining.truth().family(), 1, 30, 2);
    assertThat(downstream.truth().family().basis()).isEqualTo(pretraining.truth().family().basis());
    assertThat(downstream.data().n()).isEqualTo(30);
    assertThat(downstream.truth().tasks().get(0).direction())
        .isNotEqualTo(pretraining.truth().tasks().get(0).direction());
  }

  @Test
  void noTasksOrNoRowsAreRefusedNamingBoth() {
    assertThatThrownBy(() -> MultiTaskSamples.draw(10, 2, 0, 20, TaskFamily.Kind.HALFSPACE, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasks = 0");
  }
}
