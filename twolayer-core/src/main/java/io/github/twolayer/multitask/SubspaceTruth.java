package io.github.twolayer.multitask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.twolayer.data.JsonFiles;
import io.github.twolayer.data.Outputs;
import io.github.twolayer.random.Seeds;
import io.github.twolayer.sampling.TaskFamily;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The truth of multi-task data (docs/cli.md, "Model files"): the subspace basis M (d×r) and the task parameters, as
 * written by {@code generate multitask} and read by {@code evaluate} and {@code pretrain --online}.
 */
public record SubspaceTruth(TaskFamily family, List<TaskFamily.Task> tasks, long seed) {
  public static final String FORMAT = "twolayer-subspace";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SubspaceTruth {
    tasks = List.copyOf(tasks);
  }

  /**
   * A fresh family of halfspace tasks on an r-dimensional subspace of R^d and {@code tasks} of its tasks,
   * drawn from the seed's {@link io.github.twolayer.random.Seeds.Stream#TASK_FAMILY} stream: what online
   * pretraining draws from when no truth file is given.
   */
  public static SubspaceTruth drawHalfspaces(int d, int r, int tasks, long seed) {
    UniformRandomProvider rng = Seeds.generator(
        Seeds.Stream.TASK_FAMILY, seed);
    TaskFamily family = TaskFamily.draw(d, r, TaskFamily.Kind.HALFSPACE, 0, rng);
    return new SubspaceTruth(family, TaskSampler.drawTasks(family, tasks, rng), seed);
  }

  /** Refuses data of another dimension than the subspace's. */
  public void requireDimension(int d) {
    if (family.d() != d) {
      throw new IllegalArgumentException("the subspace has d = " + family.d() + " but the data d = " + d
          + "; use the truth of these data");
    }
  }

  public void write(Path target) throws IOException {
    try (Outputs outputs = Outputs.reading()) {
      write(outputs, target);
      outputs.commit();
    }
  }

  /** Writes the truth as one of a run's {@code outputs} (committed with the others). */
  public void write(Outputs outputs, Path target) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    int d = family.d();
    int r = family.r();
    root.put("d", d);
    root.put("r", r);
    root.put("family", family.kind().label);
    root.put("label_noise", family.labelNoise());
    root.put("seed", seed);
    double[] m = family.basis();
    ArrayNode mNode = root.putArray("M");
    for (int p = 0; p < d; p++) {
      ArrayNode row = mNode.addArray();
      for (int i = 0; i < r; i++) {
        row.add(m[p * r + i]);
      }
    }
    ArrayNode tasksNode = root.putArray("tasks");
    for (TaskFamily.Task t : tasks) {
      ObjectNode node = tasksNode.addObject();
      put(node, "direction", t.direction());
      node.put("offset", t.offset());
      put(node, "teacher_in", t.teacherIn());
      put(node, "teacher_bias", t.teacherBias());
      put(node, "teacher_out", t.teacherOut());
    }
    byte[] bytes = JSON.writeValueAsBytes(root);
    outputs.write(target, out -> out.write(bytes));
  }

  private static void put(ObjectNode node, String name, double[] values) {
    if (values == null) {
      node.putNull(name);
      return;
    }
    ArrayNode a = node.putArray(name);
    for (double v : values) {
      a.add(v);
    }
  }

  private static double[] get(JsonNode node, String name, Path file, int task) {
    JsonNode a = node.get(name);
    if (a == null || a.isNull()) {
      return null;
    }
    if (!a.isArray()) {
      throw new IllegalArgumentException(file + ": \"" + name + "\" of task " + task + " is not an array");
    }
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = JsonFiles.finite(a.get(i), file.toString(), "\"tasks\"[" + task + "].\"" + name + "\"[" + i + "]");
    }
    return out;
  }

  public static SubspaceTruth read(Path file) throws IOException {
    JsonNode root = JsonFiles.read(file, "truth file");
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(file + " is not a subspace truth file (its \"format\" is not \"" + FORMAT
          + "\"); it comes from 'twolayer generate multitask --truth'");
    }
    int d = root.path("d").asInt();
    int r = root.path("r").asInt();
    JsonNode mNode = root.get("M");
    if (mNode == null || !mNode.isArray() || mNode.size() != d) {
      throw new IllegalArgumentException(file + ": \"M\" must have d = " + d + " rows");
    }
    double[] m = new double[d * r];
    for (int p = 0; p < d; p++) {
      JsonNode row = mNode.get(p);
      if (!row.isArray() || row.size() != r) {
        throw new IllegalArgumentException(file + ": row " + p + " of \"M\" must hold r = " + r + " numbers");
      }
      for (int i = 0; i < r; i++) {
        m[p * r + i] = JsonFiles.finite(row.get(i), file.toString(), "\"M\"[" + p + "][" + i + "]");
      }
    }
    TaskFamily family = TaskFamily.of(d, r, m, TaskFamily.Kind.of(root.path("family").asText("halfspace")),
        root.path("label_noise").asDouble(0));
    List<TaskFamily.Task> tasks = new ArrayList<>();
    for (JsonNode t : root.path("tasks")) {
      int i = tasks.size();
      double offset = t.has("offset") ? JsonFiles.finite(t.get("offset"), file.toString(),
          "\"tasks\"[" + i + "].\"offset\"") : 0;
      tasks.add(new TaskFamily.Task(get(t, "direction", file, i), offset, get(t, "teacher_in", file, i),
          get(t, "teacher_bias", file, i), get(t, "teacher_out", file, i)));
    }
    return new SubspaceTruth(family, tasks, root.path("seed").asLong(0));
  }
}
