package io.github.twolayer.multitask;

import io.github.twolayer.sampling.TaskFamily;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.twolayer.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The truth of multi-task data (CONTRACT.md): the subspace basis M (d×r) and the task parameters, as
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
   * drawn from the seed's {@link io.github.twolayer.sampling.Seeds.Stream#TASK_FAMILY} stream: what online
   * pretraining draws from when no truth file is given.
   */
  public static SubspaceTruth drawHalfspaces(int d, int r, int tasks, long seed) {
    org.apache.commons.rng.UniformRandomProvider rng = io.github.twolayer.sampling.Seeds.generator(
        io.github.twolayer.sampling.Seeds.Stream.TASK_FAMILY, seed);
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
    AtomicFiles.write(target, out -> out.write(bytes));
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

  private static double[] get(JsonNode node, String name) {
    JsonNode a = node.get(name);
    if (a == null || a.isNull()) {
      return null;
    }
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).doubleValue();
    }
    return out;
  }

  public static SubspaceTruth read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("truth file " + file + " does not exist; check the path");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON (" + io.github.twolayer.data.ModelFile.jsonProblem(e) + ")");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(file + " is not a subspace truth file (its \"format\" is not \"" + FORMAT
          + "\"); it comes from 'twolayer generate multitask --truth'");
    }
    int d = root.path("d").asInt();
    int r = root.path("r").asInt();
    JsonNode mNode = root.get("M");
    if (mNode == null || mNode.size() != d) {
      throw new IllegalArgumentException(file + ": \"M\" must have d = " + d + " rows");
    }
    double[] m = new double[d * r];
    for (int p = 0; p < d; p++) {
      JsonNode row = mNode.get(p);
      if (row.size() != r) {
        throw new IllegalArgumentException(file + ": row " + p + " of \"M\" must hold r = " + r + " numbers");
      }
      for (int i = 0; i < r; i++) {
        m[p * r + i] = row.get(i).doubleValue();
      }
    }
    TaskFamily family = TaskFamily.of(d, r, m, TaskFamily.Kind.of(root.path("family").asText("halfspace")),
        root.path("label_noise").asDouble(0));
    List<TaskFamily.Task> tasks = new ArrayList<>();
    for (JsonNode t : root.path("tasks")) {
      tasks.add(new TaskFamily.Task(get(t, "direction"), t.path("offset").asDouble(0), get(t, "teacher_in"),
          get(t, "teacher_bias"), get(t, "teacher_out")));
    }
    return new SubspaceTruth(family, tasks, root.path("seed").asLong(0));
  }
}
