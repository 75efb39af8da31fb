package io.github.twolayer.multitask;

import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The first layers the paper argues against or measures against (docs/collins-method.md, "Experiments"), each a named
 * choice: random features (W at initialization), single-task pretraining (T = 1), and oracle features
 * (rows inside span(M), the best a representation can do). Simultaneous gradient descent from zero or
 * random heads is {@link PretrainingOptions.Heads}.
 */
public final class Baselines {
  private Baselines() {}

  /** The names accepted by {@code pretrain --baseline}. */
  public enum Kind {
    NONE("none"), SINGLE_TASK("single-task"), RANDOM_FEATURES("random-features"), ORACLE("oracle");

    public final String label;

    Kind(String label) {
      this.label = label;
    }

    public static Kind of(String name) {
      return Labels.byLabel(values(), k -> k.label, name,
          () -> "unknown baseline '" + name + "': use none, single-task, random-features or oracle");
    }
  }

  /** W at initialization (no training): random features. */
  public static Representation randomFeatures(int d, PretrainingOptions options) {
    return new Representation(Rounds.initialLayer(d, options), options, 0, 0, 0);
  }

  /** Pretraining on task 0 only. */
  public static Representation singleTask(TaskSampler tasks, PretrainingOptions options) {
    TaskSampler first = new TaskSampler() {
      @Override
      public int d() {
        return tasks.d();
      }

      @Override
      public int tasks() {
        return 1;
      }

      @Override
      public int[] draw(long seed, int round, int task, int n1, int n2, double[] x1, double[] y1, double[] x2,
          double[] y2) {
        return tasks.draw(seed, round, 0, n1, n2, x1, y1, x2, y2);
      }

      @Override
      public HeldOut heldOut(long seed, int n1, int n2) {
        HeldOut all = tasks.heldOut(seed, n1, n2);
        return all == null ? null : new HeldOut(all.d(), all.x1().subList(0, 1), all.y1().subList(0, 1),
            all.x2().subList(0, 1), all.y2().subList(0, 1));
      }
    };
    return Rounds.inMemory(first, options, Progress.NONE, (round, w) -> {});
  }

  /** Rows w_j = M g_j with g_j ~ N(0, I_r/r): isotropic inside span(M), with the usual biases. */
  public static Representation oracle(double[] basis, int d, int r, PretrainingOptions options) {
    TwoLayerNet init = Rounds.initialLayer(d, options);
    UniformRandomProvider rng = Seeds.generator(Seeds.Stream.ORACLE, options.seed());
    ContinuousSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
    int m = options.width();
    double[] w = new double[m * d];
    double scale = 1 / Math.sqrt(r);
    for (int j = 0; j < m; j++) {
      double[] z = new double[r];
      for (int i = 0; i < r; i++) {
        z[i] = scale * g.sample();
      }
      for (int p = 0; p < d; p++) {
        double s = 0;
        for (int i = 0; i < r; i++) {
          s += basis[p * r + i] * z[i];
        }
        w[j * d + p] = s;
      }
    }
    return new Representation(new TwoLayerNet(d, m, 0, w, null, init.bias()), options, 0, 0, 0);
  }
}
