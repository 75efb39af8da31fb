package io.github.twolayer.experiments;

import io.github.twolayer.data.MultiTaskDataset;
import io.github.twolayer.metrics.SubspaceMetrics;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.linalg.Blas;
import io.github.twolayer.multitask.Baselines;
import io.github.twolayer.multitask.Downstream;
import io.github.twolayer.multitask.MultiTaskPretraining;
import io.github.twolayer.multitask.PretrainingOptions;
import io.github.twolayer.multitask.Representation;
import io.github.twolayer.multitask.TaskSampler;
import io.github.twolayer.progress.Progress;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;

/** The experiments E1–E5 of docs/collins-method.md. */
final class CollinsExperiments {
  private CollinsExperiments() {}

  static final int R = 3;

  record Setup(TaskFamily family, List<TaskFamily.Task> tasks, UniformRandomProvider rng) {}

  static Setup setup(int d, int tasks, long... key) {
    UniformRandomProvider rng = Seeds.generator(Seeds.Stream.EXPERIMENT_RUN, key);
    TaskFamily family = TaskFamily.draw(d, R, TaskFamily.Kind.HALFSPACE, 0, rng);
    return new Setup(family, TaskSampler.drawTasks(family, tasks, rng), rng);
  }

  static List<Row> subspaceRows(String experiment, Map<String, Object> params, long seed, TwoLayerNet w,
      TaskFamily family, double seconds) {
    SubspaceMetrics m = SubspaceMetrics.of(w.W(), w.k(), w.d(), family.basis(), family.r());
    return List.of(new Row(experiment, params, seed, "subspace_dist", m.subspaceDist(), seconds),
        new Row(experiment, params, seed, "coverage", m.coverage(), seconds),
        new Row(experiment, params, seed, "energy_out", m.energyOut(), seconds));
  }

  static PretrainingOptions options(int width, int rounds, long seed, Blas.Choice blas) {
    return PretrainingOptions.defaults(width).withRounds(rounds).withSeed(seed).withThreads(1).withBlas(blas);
  }

  static Experiment tasksSweep() {
    return new Experiment.Named("collins-e1", "multi-task pretraining: subspace recovery against the number of tasks",
        "With enough tasks the first layer learns the whole r-dimensional subspace; a single task cannot "
            + "(d = 50, r = 3, m = 256, n₁ = n₂ = 256).") {
      @Override
      public List<Task> tasks(boolean quick, Blas.Choice blas) {
        int[] ts = quick ? new int[] {1, 4, 16} : new int[] {1, 2, 4, 8, 16, 32, 64};
        int rounds = quick ? 40 : 100;
        int seeds = quick ? 2 : 3;
        List<Task> tasks = new ArrayList<>();
        for (String mode : quick ? List.of("practice") : List.of("practice", "theory")) {
          for (int t : ts) {
            for (int s = 0; s < seeds; s++) {
              long seed = s;
              tasks.add(() -> {
                Setup setup = setup(50, t, 11, seed);
                long start = System.nanoTime();
                PretrainingOptions o = options(256, rounds, seed, blas);
                Representation rep = MultiTaskPretraining.fit(TaskSampler.online(setup.family(), setup.tasks()),
                    mode.equals("theory") ? o.inTheoryMode() : o);
                return subspaceRows(name(), GeExperiments.params("mode", mode, "T", t), seed, rep.network(),
                    setup.family(), (System.nanoTime() - start) * 1e-9);
              });
            }
          }
        }
        return tasks;
      }

      @Override
      public Verdict check(List<Row> rows, boolean quick) {
        List<String> ts = Stats.values(rows, "T");
        String last = ts.get(ts.size() - 1);
        double one = Stats.median(rows, "subspace_dist", "mode", "practice", "T", "1");
        double many = Stats.median(rows, "subspace_dist", "mode", "practice", "T", last);
        double cover = Stats.median(rows, "coverage", "mode", "practice", "T", last);
        boolean ok = one > 0.9 && many < (quick ? 0.3 : 0.06) && many < one;
        return new Verdict(ok, String.format(Locale.ROOT, "Practice mode: subspace_dist %.3g with one task and %.3g "
            + "with T = %s (coverage %.2f)%s", one, many, last, cover, ok ? "." : " — not the expected drop."));
      }

      @Override
      public List<PlotSpec> plots() {
        return List.of(new PlotSpec("collins-e1", "subspace distance against tasks T (d=50, r=3, m=256)",
            "subspace_dist", "T", "mode", true, true, "sin of largest principal angle"),
            new PlotSpec("collins-e1-coverage", "coverage against tasks T", "coverage", "T", "mode", true, false,
                "s_min/s_max of W M"));
      }
    };
  }

  static Experiment dimensionSweep() {
    return new Experiment.Named("collins-e2", "multi-task pretraining: subspace recovery and new-task accuracy against "
        + "the input dimension",
        "With T = 32 tasks and --rounds auto, pretraining finds the subspace at every d, and a new task's accuracy "
            + "from N = 128 samples does not depend on d: at d = 2000 it is within 0.01 of d = 50 (medians of 3 "
            + "seeds).") {
      @Override
      public List<Task> tasks(boolean quick, Blas.Choice blas) {
        int[] ds = quick ? new int[] {20, 100} : new int[] {50, 200, 500, 1000, 2000};
        int seeds = quick ? 2 : 3;
        int t = quick ? 16 : 32;
        List<Task> tasks = new ArrayList<>();
        for (int d : ds) {
          for (int s = 0; s < seeds; s++) {
            long seed = s;
            tasks.add(() -> {
              Setup setup = setup(d, t + 1, 12, d, seed); // T pretraining tasks and a new one
              long start = System.nanoTime();
              Representation rep = MultiTaskPretraining.fit(TaskSampler.online(setup.family(),
                  setup.tasks().subList(0, t)), options(256, PretrainingOptions.AUTO_ROUNDS, seed, blas));
              double seconds = (System.nanoTime() - start) * 1e-9;
              List<Row> rows = new ArrayList<>(subspaceRows(name(), GeExperiments.params("d", d), seed, rep.network(),
                  setup.family(), seconds));
              rows.add(new Row(name(), GeExperiments.params("d", d), seed, "rounds", rep.rounds(), seconds));
              rows.add(new Row(name(), GeExperiments.params("d", d), seed, "accuracy_n128",
                  downstreamAccuracy(rep.network(), setup, setup.tasks().get(t), 128, seed, blas), seconds));
              return rows;
            });
          }
        }
        return tasks;
      }

      @Override
      public Verdict check(List<Row> rows, boolean quick) {
        List<String> ds = Stats.values(rows, "d");
        String low = ds.get(0);
        String high = ds.get(ds.size() - 1);
        double first = Stats.median(rows, "subspace_dist", "d", low);
        double last = Stats.median(rows, "subspace_dist", "d", high);
        double accLow = Stats.median(rows, "accuracy_n128", "d", low);
        double accHigh = Stats.median(rows, "accuracy_n128", "d", high);
        double rounds = Stats.median(rows, "rounds", "d", high);
        double bound = quick ? 0.2 : 0.1;
        // The quick grid (d = 20 and 100, T = 16, two seeds) checks the direction with a looser margin.
        double flat = quick ? 0.03 : 0.01;
        boolean ok = last < bound && accLow - accHigh <= flat;
        return new Verdict(ok, String.format(Locale.ROOT, "subspace_dist %.3g at d = %s and %.3g at d = %s; accuracy at "
            + "N = 128 %.3f and %.3f (%.0f rounds at d = %s)%s", first, low, last, high, accLow, accHigh, rounds, high,
            ok ? ": the subspace is found at every d and the new task's accuracy is flat in d." : ": not as claimed."));
      }

      @Override
      public List<PlotSpec> plots() {
        return List.of(new PlotSpec("collins-e2", "subspace distance against d (T=32, r=3, m=256, --rounds auto)",
            "subspace_dist", "d", null, true, true, "sin of largest principal angle"),
            new PlotSpec("collins-e2-accuracy", "new-task accuracy at N = 128 against d (--rounds auto)",
                "accuracy_n128", "d", null, true, false, "accuracy"));
      }
    };
  }

  /** Downstream accuracy of a layer on a fresh task with N samples, tested on 10,000. */
  static double downstreamAccuracy(TwoLayerNet layer, Setup setup, TaskFamily.Task task, int n, long seed,
      Blas.Choice blas) {
    int d = setup.family().d();
    UniformRandomProvider rng = Seeds.generator(Seeds.Stream.DOWNSTREAM_SAMPLES, seed, n);
    double[] x = new double[n * d];
    double[] y = new double[n];
    setup.family().sample(task, rng, n, x, 0, y, 0);
    boolean both = false;
    for (double v : y) {
      both |= v != y[0];
    }
    int nt = 10_000;
    double[] xt = new double[nt * d];
    double[] yt = new double[nt];
    setup.family().sample(task, rng, nt, xt, 0, yt, 0);
    if (!both) {
      // A handful of samples of one class: the best classifier predicts that class.
      int right = 0;
      for (double v : yt) {
        right += v == y[0] ? 1 : 0;
      }
      return (double) right / nt;
    }
    Downstream.AdaptationOptions options = new Downstream.AdaptationOptions(Math.min(5, Math.max(2, n / 4)),
        Downstream.AdaptationOptions.defaults().lambdas(), seed, blas);
    return Downstream.fit(layer, MultiTaskDataset.singleTask(n, d, x, y), options).accuracy(xt, yt, nt);
  }

  static Experiment downstream() {
    return new Experiment.Named("collins-e3", "downstream accuracy against the number of samples of the new task",
        "Features from multi-task pretraining (T = 32) solve a new task from few samples at every d, while "
            + "single-task pretraining and random features fall short, more so at larger d.") {
      @Override
      public List<Task> tasks(boolean quick, Blas.Choice blas) {
        int[] ds = quick ? new int[] {50} : new int[] {50, 200};
        int[] ns = quick ? new int[] {16, 128} : new int[] {8, 16, 32, 64, 128, 256, 512};
        int rounds = quick ? 40 : 100;
        int seeds = quick ? 2 : 3;
        List<Task> tasks = new ArrayList<>();
        for (int d : ds) {
          for (int s = 0; s < seeds; s++) {
            long seed = s;
            tasks.add(() -> {
              Setup setup = setup(d, 33, 13, d, seed);
              long start = System.nanoTime();
              PretrainingOptions o = options(256, rounds, seed, blas);
              TaskSampler pre = TaskSampler.online(setup.family(), setup.tasks().subList(0, 32));
              List<Object[]> layers = List.of(
                  new Object[] {"multi-task", MultiTaskPretraining.fit(pre, o).network()},
                  new Object[] {"single-task", Baselines.singleTask(pre, o).network()},
                  new Object[] {"random features", Baselines.randomFeatures(d, o).network()},
                  new Object[] {"oracle", Baselines.oracle(setup.family().basis(), d, R, o).network()});
              List<Row> rows = new ArrayList<>();
              for (Object[] layer : layers) {
                for (int n : ns) {
                  double acc = downstreamAccuracy((TwoLayerNet) layer[1], setup, setup.tasks().get(32), n, seed, blas);
                  rows.add(new Row(name(), GeExperiments.params("d", d, "features", layer[0], "N", n), seed,
                      "accuracy", acc, (System.nanoTime() - start) * 1e-9));
                }
              }
              return rows;
            });
          }
        }
        return tasks;
      }

      @Override
      public Verdict check(List<Row> rows, boolean quick) {
        List<String> ds = Stats.values(rows, "d");
        String d = ds.get(ds.size() - 1);
        String n = quick ? "128" : "128";
        double multi = Stats.median(rows, "accuracy", "d", d, "features", "multi-task", "N", n);
        double single = Stats.median(rows, "accuracy", "d", d, "features", "single-task", "N", n);
        double random = Stats.median(rows, "accuracy", "d", d, "features", "random features", "N", n);
        boolean ok = multi >= single + 0.05 && multi >= random + 0.1 && multi >= (quick ? 0.85 : 0.93);
        return new Verdict(ok, String.format(Locale.ROOT, "At d = %s, N = %s: multi-task %.3f, single-task %.3f, "
            + "random features %.3f%s", d, n, multi, single, random, ok ? "." : " — not the claimed gap."));
      }

      @Override
      public List<PlotSpec> plots() {
        PlotSpec base = new PlotSpec("collins-e3", "downstream accuracy against N", "accuracy", "N", "features", true,
            false, "accuracy on 10,000 test samples");
        return List.of(base.restrictedTo("collins-e3-d50", "downstream accuracy against N (d = 50)", Map.of("d", 50)),
            base.restrictedTo("collins-e3-d200", "downstream accuracy against N (d = 200)", Map.of("d", 200)));
      }
    };
  }

  static Experiment mechanism() {
    return new Experiment.Named("collins-e4", "mechanism: head-first alternating updates against simultaneous gradient descent",
        "Simultaneous gradient descent from zero heads leaves W unchanged at its first step (zero gradient); "
            + "head-first updates with heads reset every round give the most even coverage.") {
      @Override
      public List<Task> tasks(boolean quick, Blas.Choice blas) {
        // Coverage separates the schedules only near convergence, so even the quick run keeps K = 100.
        int rounds = 100;
        int seeds = quick ? 1 : 3;
        List<Task> tasks = new ArrayList<>();
        for (PretrainingOptions.Heads heads : PretrainingOptions.Heads.values()) {
          for (int s = 0; s < seeds; s++) {
            long seed = s;
            tasks.add(() -> {
              Setup setup = setup(50, 32, 14, seed);
              long start = System.nanoTime();
              List<Row> rows = new ArrayList<>();
              String label = heads.name().toLowerCase(Locale.ROOT).replace('_', '-');
              double[] w0 = MultiTaskPretraining.initialLayer(50, options(256, rounds, seed, blas)).W();
              MultiTaskPretraining.fit(TaskSampler.online(setup.family(), setup.tasks()),
                  options(256, rounds, seed, blas).withHeads(heads), Progress.NONE, (round, w) -> {
                    if (round == 0) {
                      double change = 0;
                      for (int e = 0; e < w.length; e++) {
                        change = Math.max(change, Math.abs(w[e] - w0[e]));
                      }
                      rows.add(new Row(name(), GeExperiments.params("heads", label, "round", 1), seed,
                          "first_step_change", change, 0));
                    }
                    if ((round + 1) % 10 == 0 || round == 0) {
                      TwoLayerNet layer = TwoLayerNet.of(50, 256, 0, w, null);
                      rows.addAll(subspaceRows(name(), GeExperiments.params("heads", label, "round", round + 1), seed,
                          layer, setup.family(), (System.nanoTime() - start) * 1e-9));
                    }
                  });
              return rows;
            });
          }
        }
        return tasks;
      }

      @Override
      public Verdict check(List<Row> rows, boolean quick) {
        double zeroChange = Stats.median(rows, "first_step_change", "heads", "simultaneous-zero");
        List<String> rounds = Stats.values(rows, "round");
        String last = rounds.get(rounds.size() - 1);
        double reset = Stats.median(rows, "coverage", "heads", "reset", "round", last);
        double best = 0;
        for (String h : List.of("persistent", "simultaneous-zero", "simultaneous-random")) {
          best = Math.max(best, Stats.median(rows, "coverage", "heads", h, "round", last));
        }
        boolean ok = zeroChange == 0 && reset >= best;
        return new Verdict(ok, String.format(Locale.ROOT, "First-step change of W from zero heads: %.3g; coverage "
            + "after %s rounds: reset heads %.3f, best other variant %.3f%s", zeroChange, last, reset, best,
            ok ? "." : " — not as claimed."));
      }

      @Override
      public List<PlotSpec> plots() {
        return List.of(new PlotSpec("collins-e4-dist", "subspace distance per round, by head schedule",
            "subspace_dist", "round", "heads", false, true, "sin of largest principal angle"),
            new PlotSpec("collins-e4-coverage", "coverage per round, by head schedule", "coverage", "round", "heads",
                false, false, "s_min/s_max of W M"));
      }
    };
  }

  static Experiment width() {
    return new Experiment.Named("collins-e5", "downstream accuracy against the width m",
        "At every width, pretrained features beat random features on a new task (d = 100, N = 256).") {
      @Override
      public List<Task> tasks(boolean quick, Blas.Choice blas) {
        int[] ms = quick ? new int[] {16, 128} : new int[] {16, 32, 64, 128, 256, 1024};
        int rounds = quick ? 40 : 100;
        int seeds = quick ? 2 : 3;
        int d = quick ? 50 : 100;
        List<Task> tasks = new ArrayList<>();
        for (int m : ms) {
          for (int s = 0; s < seeds; s++) {
            long seed = s;
            tasks.add(() -> {
              Setup setup = setup(d, 33, 15, seed);
              long start = System.nanoTime();
              PretrainingOptions o = options(m, rounds, seed, blas);
              TaskSampler pre = TaskSampler.online(setup.family(), setup.tasks().subList(0, 32));
              double multi = downstreamAccuracy(MultiTaskPretraining.fit(pre, o).network(), setup,
                  setup.tasks().get(32), 256, seed, blas);
              double random = downstreamAccuracy(Baselines.randomFeatures(d, o).network(), setup,
                  setup.tasks().get(32), 256, seed, blas);
              double seconds = (System.nanoTime() - start) * 1e-9;
              return List.of(new Row(name(), GeExperiments.params("m", m, "features", "multi-task"), seed, "accuracy",
                  multi, seconds), new Row(name(), GeExperiments.params("m", m, "features", "random features"), seed,
                  "accuracy", random, seconds));
            });
          }
        }
        return tasks;
      }

      @Override
      public Verdict check(List<Row> rows, boolean quick) {
        StringBuilder detail = new StringBuilder();
        boolean ok = true;
        for (String m : Stats.values(rows, "m")) {
          double multi = Stats.median(rows, "accuracy", "m", m, "features", "multi-task");
          double random = Stats.median(rows, "accuracy", "m", m, "features", "random features");
          ok &= multi > random;
          detail.append(String.format(Locale.ROOT, "m = %s: %.3f vs %.3f; ", m, multi, random));
        }
        return new Verdict(ok, "Pretrained against random features: " + detail + (ok ? "pretrained wins at every width."
            : "not at every width."));
      }

      @Override
      public List<PlotSpec> plots() {
        return List.of(new PlotSpec("collins-e5", "downstream accuracy against width m (N = 256)", "accuracy", "m",
            "features", true, false, "accuracy on 10,000 test samples"));
      }
    };
  }
}
