package io.github.twolayer.data;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model file as an ONNX graph, so that ONNX Runtime, PyTorch or any ONNX tool runs what twolayer
 * learned, and a network exported from PyTorch plants or initializes a run.
 *
 * <p>Written: input {@value #INPUT} [N, d] → Gemm (W, transB = 1, plus the bias when there is one) →
 * Relu → Gemm (A, transB = 1) → output {@value #OUTPUT} [N, l]. A representation (no A) ends with a Mul
 * instead, so that its output {@value #FEATURES} [N, m] is the feature map adapting fits its last layer
 * on: φ(x) = relu(W̃ x + c̃)/√m of the layer with unit rows (W̃, c̃: each unit's row and bias divided by
 * the row's norm), which is relu(W x + c) times 1/(√m ‖w_i‖) per unit, so W and c stay as stored and
 * the Mul holds those m factors. Tensors and the input are float64: a model reads back bit for bit, as
 * from JSON or .npz, and ONNX Runtime's CPU kernels for Gemm, Relu and Mul take doubles (NumPy's
 * default type: {@code session.run(None, {"x": X})} with X from NumPy works as it is). The provenance
 * and diagnostics are JSON strings in the model's metadata_props, beside the format name and version.
 * Opset 13, IR version 7.
 *
 * <p>Read: that graph, or what {@code torch.onnx.export} makes of {@code nn.Sequential(nn.Linear(d, k),
 * nn.ReLU(), nn.Linear(k, l, bias=False))}: Gemm or MatMul (a weight already transposed to d×k) with or
 * without a bias (Gemm's C, or an Add after the MatMul), Relu, Gemm or MatMul; float32 or float64
 * weights, as initializers or Constant nodes. A representation's Mul must hold φ's factors (one number
 * for all units when every row has unit norm). Anything else is refused in one line naming the node.
 *
 * <p>Only this class touches the ONNX classes, and only when a file is named .onnx: the other formats
 * start without loading them.
 */
final class OnnxModel {
  private OnnxModel() {}

  /** The graph's input: N samples of d numbers. */
  static final String INPUT = "x";

  /** The output of a network: N rows of l numbers. */
  static final String OUTPUT = "y";

  /** The output of a representation: N rows of m features. */
  static final String FEATURES = "features";

  /** The operator set written: 13 has Gemm with an optional C, and the Relu and Mul of today's ONNX. */
  static final int OPSET = 13;

  /** The IR version that goes with opset 13 (ONNX 1.8). */
  static final int IR_VERSION = 7;

  /** metadata_props keys. */
  static final String META_FORMAT = "format";
  static final String META_VERSION = "version";
  static final String META_PROVENANCE = "provenance";
  static final String META_DIAGNOSTICS = "diagnostics";

  /**
   * A protobuf message (the whole model is one) cannot exceed 2 GB; the weights must fit below it with
   * room for the rest.
   */
  private static final long MAX_WEIGHT_BYTES = (1L << 31) - (1L << 20);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The relative distance from 1/(√m ‖w_i‖) within which a representation's Mul is read as φ's factor:
   * float32 rounding of the factor and of the row (6e-8 each) stays far below it.
   */
  private static final double SCALE_TOLERANCE = 1e-6;

  private static final String SHAPES = "twolayer reads A·relu(W x) graphs: Gemm → Relu → Gemm (or MatMul → Relu → "
      + "MatMul, with or without a first-layer bias), and Gemm → Relu → Mul for a representation";

  // --- writing ---------------------------------------------------------------------------------

  /** Writes {@code model} as an ONNX model to {@code out}. */
  static void write(ModelFile model, OutputStream out) throws IOException {
    proto(model).writeTo(out);
  }

  static OnnxMl.ModelProto proto(ModelFile model) throws IOException {
    TwoLayerNet net = model.network();
    int d = net.d();
    int k = net.k();
    int l = net.l();
    long bytes = 8L * ((long) k * d + (long) l * k + k);
    if (bytes > MAX_WEIGHT_BYTES) {
      throw new IllegalArgumentException("the model's weights take " + bytes / (1 << 20) + " MB, more than one ONNX "
          + "file can hold (2 GB); write it as .npz instead");
    }
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder()
        .setName(l > 0 ? "twolayer_network" : "twolayer_representation");
    graph.addInput(valueInfo(INPUT, d));
    graph.addInitializer(tensor("W", new long[] {k, d}, net.W()));
    List<String> first = new ArrayList<>(List.of(INPUT, "W"));
    if (net.bias() != null) {
      graph.addInitializer(tensor("bias", new long[] {k}, net.bias()));
      first.add("bias");
    }
    graph.addNode(node("Gemm", "layer1", first, "Wx", Map.of("transB", 1L)));
    graph.addNode(node("Relu", "relu", List.of("Wx"), "hidden", Map.of()));
    String output;
    if (l > 0) {
      graph.addInitializer(tensor("A", new long[] {l, k}, net.A()));
      graph.addNode(node("Gemm", "layer2", List.of("hidden", "A"), OUTPUT, Map.of("transB", 1L)));
      graph.addOutput(valueInfo(OUTPUT, l));
      output = "y = A·relu(W x" + (net.bias() == null ? "" : " + bias") + ")";
    } else {
      graph.addInitializer(tensor("scale", new long[] {k}, featureScales(net)));
      graph.addNode(node("Mul", "feature_scale", List.of("hidden", "scale"), FEATURES, Map.of()));
      graph.addOutput(valueInfo(FEATURES, k));
      output = "features = relu(W x" + (net.bias() == null ? "" : " + bias") + ") / (√m ‖w_i‖)";
    }
    graph.setDocString(output + "; d = " + d + ", " + (l > 0 ? "k = " + k + ", l = " + l : "m = " + k));
    OnnxMl.ModelProto.Builder proto = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("twolayer")
        .setDocString("A two-layer ReLU network written by twolayer: " + output)
        .setGraph(graph);
    meta(proto, META_FORMAT, ModelFile.FORMAT);
    meta(proto, META_VERSION, Integer.toString(ModelFile.VERSION));
    meta(proto, META_PROVENANCE, JSON.writeValueAsString(ModelFile.finite(model.provenance())));
    meta(proto, META_DIAGNOSTICS, JSON.writeValueAsString(ModelFile.finite(model.diagnostics())));
    return proto.build();
  }

  /**
   * φ's factor for each unit of a representation: 1/√m divided by the row's norm, as {@link
   * TwoLayerNet#withUnitRows} divides it (a row of zeros stays as it is, so its factor is 1/√m).
   */
  static double[] featureScales(TwoLayerNet rep) {
    int m = rep.k();
    int d = rep.d();
    double[] w = rep.W();
    double[] s = new double[m];
    for (int i = 0; i < m; i++) {
      double norm = Matrices.norm(w, i * d, d, 1);
      s[i] = norm == 0 ? 1 / Math.sqrt(m) : 1 / (Math.sqrt(m) * norm);
    }
    return s;
  }

  private static void meta(OnnxMl.ModelProto.Builder proto, String key, String value) {
    proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }

  /** A float64 tensor [N, cols] (N left free). */
  private static OnnxMl.ValueInfoProto valueInfo(String name, int cols) {
    OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(cols))
        .build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.DOUBLE_VALUE).setShape(shape)))
        .build();
  }

  /** A float64 initializer, row-major, its bytes little-endian as ONNX's raw_data requires. */
  private static OnnxMl.TensorProto tensor(String name, long[] dims, double[] values) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asDoubleBuffer().put(values);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.DOUBLE_VALUE).setRawData(ByteString.copyFrom(raw.array()));
    for (long dim : dims) {
      t.addDims(dim);
    }
    return t.build();
  }

  private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output,
      Map<String, Long> intAttributes) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
        .addOutput(output);
    intAttributes.forEach((key, v) -> n.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(key)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v)));
    return n.build();
  }

  // --- reading ---------------------------------------------------------------------------------

  /** A model from an ONNX file: the graphs {@link OnnxModel} describes, anything else refused. */
  static ModelFile read(Path file) throws IOException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(file)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("model file " + file + " does not exist; check the path");
    } catch (InvalidProtocolBufferException e) {
      // protobuf's own words run to several sentences; what matters is whether the file was cut short.
      String why = String.valueOf(e.getMessage()).contains("truncated") ? "it ends in the middle of a field: the "
          + "file is truncated" : "its bytes are not the protobuf of an ONNX model: another kind of file named .onnx?";
      throw new IllegalArgumentException(file + " is not a readable ONNX model (" + why + "); export it again");
    }
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
      throw new IllegalArgumentException(file + " holds no ONNX graph (it may be empty, or another kind of file "
          + "named .onnx); export the model again");
    }
    TwoLayerNet net = new GraphReader(file, model.getGraph()).network();
    Map<String, Object> prov = Map.of();
    Map<String, Object> diag = Map.of();
    Map<String, String> meta = new HashMap<>();
    model.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
    // A model of another tool may keep its own "format" key: only ours says what the rest means.
    if (ModelFile.FORMAT.equals(meta.get(META_FORMAT))) {
      if (!Integer.toString(ModelFile.VERSION).equals(meta.get(META_VERSION))) {
        throw new IllegalArgumentException(file + " has model format version " + meta.get(META_VERSION)
            + "; this twolayer reads version " + ModelFile.VERSION);
      }
      prov = map(meta.get(META_PROVENANCE), file, META_PROVENANCE);
      diag = map(meta.get(META_DIAGNOSTICS), file, META_DIAGNOSTICS);
    }
    return new ModelFile(net, prov, diag);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json, Path file, String key) throws IOException {
    if (json == null) {
      return Map.of();
    }
    JsonNode node = JsonFiles.parse(json.getBytes(StandardCharsets.UTF_8), file + "'s metadata \"" + key + "\"");
    return JSON.convertValue(node, Map.class);
  }

  /** One layer's weight in twolayer's orientation (rows × cols, row-major: outputs × inputs) and its bias. */
  private record Layer(int rows, int cols, double[] weight, double[] bias, String biasTensor) {}

  /** Walks a graph from its input, node by node, expecting the two-layer chain. */
  private static final class GraphReader {
    private final Path file;
    private final Map<String, OnnxMl.TensorProto> constants = new HashMap<>();
    /** The nodes that compute (Constant nodes and Identity of constants taken out), with their 1-based place. */
    private final List<OnnxMl.NodeProto> chain = new ArrayList<>();
    private final List<Integer> place = new ArrayList<>();
    private final String input;
    private final OnnxMl.ValueInfoProto inputInfo;
    private final String output;
    private int next;
    private String current;

    GraphReader(Path file, OnnxMl.GraphProto graph) {
      this.file = file;
      for (OnnxMl.TensorProto t : graph.getInitializerList()) {
        constants.put(t.getName(), t);
      }
      for (int i = 0; i < graph.getNodeCount(); i++) {
        OnnxMl.NodeProto n = graph.getNode(i);
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
          throw new IllegalArgumentException(file + ": node " + (i + 1) + nameOf(n) + " is " + n.getOpType()
              + " of the operator set " + n.getDomain() + "; " + SHAPES);
        }
        if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
          OnnxMl.AttributeProto value = attribute(n, "value");
          if (value != null && value.hasT()) {
            constants.put(n.getOutput(0), value.getT());
            continue;
          }
        }
        if (n.getOpType().equals("Identity") && n.getInputCount() == 1 && constants.containsKey(n.getInput(0))) {
          constants.put(n.getOutput(0), constants.get(n.getInput(0)));
          continue;
        }
        chain.add(n);
        place.add(i + 1);
      }
      List<OnnxMl.ValueInfoProto> inputs = graph.getInputList().stream()
          .filter(v -> !constants.containsKey(v.getName())).toList();
      if (inputs.size() != 1) {
        throw new IllegalArgumentException(file + " has " + inputs.size() + " inputs ("
            + String.join(", ", inputs.stream().map(OnnxMl.ValueInfoProto::getName).toList())
            + "); twolayer reads networks of one input x [N, d]");
      }
      if (graph.getOutputCount() != 1) {
        throw new IllegalArgumentException(file + " has " + graph.getOutputCount() + " outputs ("
            + String.join(", ", graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList())
            + "); twolayer reads networks of one output");
      }
      inputInfo = inputs.get(0);
      input = inputInfo.getName();
      output = graph.getOutput(0).getName();
      current = input;
    }

    TwoLayerNet network() {
      requireNumericInput();
      Layer first = linear("the first layer");
      requireInputWidth(first.cols());
      ModelFile.requireFinite(first.weight(), first.cols(), file.toString(), "W");
      if (first.bias() != null) {
        ModelFile.requireFinite(first.bias(), 1, file.toString(), "bias");
      }
      OnnxMl.NodeProto relu = take("Relu", "after the first layer");
      requireTakesCurrent(relu, next - 1, 0);
      current = relu.getOutput(0);
      if (next >= chain.size()) {
        throw new IllegalArgumentException(file + "'s graph ends at the Relu (node " + place.get(next - 1) + "); a "
            + "network needs a second layer (Gemm or MatMul by A), a representation a Mul by its features' factors; "
            + SHAPES);
      }
      int k = first.rows();
      TwoLayerNet net;
      if (chain.get(next).getOpType().equals("Mul")) {
        net = new TwoLayerNet(first.cols(), k, 0, first.weight(), null, first.bias());
        requireScale(chain.get(next), net);
      } else {
        Layer second = linear("the second layer");
        if (second.cols() != k) {
          throw new IllegalArgumentException(file + ": the second layer's weight takes " + second.cols()
              + " inputs but the first layer has k = " + k + " units; the graph does not compute A·relu(W x)");
        }
        if (second.bias() != null) {
          for (double b : second.bias()) {
            if (b != 0) {
              throw new IllegalArgumentException(file + ": the second layer adds a bias (" + second.biasTensor()
                  + "); twolayer's networks are A·relu(W x) without an output bias: export the last layer with "
                  + "bias=False (nn.Linear(k, l, bias=False))");
            }
          }
        }
        ModelFile.requireFinite(second.weight(), k, file.toString(), "A");
        net = new TwoLayerNet(first.cols(), k, second.rows(), first.weight(), second.weight(), first.bias());
      }
      if (next < chain.size()) {
        OnnxMl.NodeProto extra = chain.get(next);
        throw new IllegalArgumentException(file + ": node " + place.get(next) + nameOf(extra) + " is "
            + extra.getOpType() + " after the network's last layer; " + SHAPES);
      }
      if (!current.equals(output)) {
        throw new IllegalArgumentException(file + ": the graph's output " + output + " is not what its last node "
            + "computes (" + current + "); " + SHAPES);
      }
      return net;
    }

    /** A Gemm, or a MatMul with an optional Add of a bias, applied to the current value. */
    private Layer linear(String which) {
      if (next >= chain.size()) {
        throw new IllegalArgumentException(file + "'s graph ends before " + which + "; " + SHAPES);
      }
      OnnxMl.NodeProto n = chain.get(next);
      String op = n.getOpType();
      if (!op.equals("Gemm") && !op.equals("MatMul")) {
        throw unexpected(n, next);
      }
      next++;
      requireTakesCurrent(n, next - 1, 0);
      String weightName = n.getInputCount() > 1 ? n.getInput(1) : "";
      OnnxMl.TensorProto b = constant(n, next - 1, weightName, "weight");
      long[] dims = dims(b);
      if (dims.length != 2) {
        throw new IllegalArgumentException(file + ": the weight " + weightName + " of node " + place.get(next - 1)
            + " (" + op + ") has " + dims.length + " dimensions; a layer's weight is a matrix");
      }
      double[] values = numbers(b, weightName);
      boolean transposed; // whether the tensor is already outputs × inputs
      double alpha = 1;
      double beta = 1;
      double[] bias = null;
      String biasName = null;
      if (op.equals("Gemm")) {
        if (intAttribute(n, "transA", 0) != 0) {
          throw new IllegalArgumentException(file + ": node " + place.get(next - 1) + nameOf(n) + " is a Gemm with "
              + "transA = 1 (it transposes the samples); " + SHAPES);
        }
        transposed = intAttribute(n, "transB", 0) != 0;
        alpha = floatAttribute(n, "alpha", 1);
        beta = floatAttribute(n, "beta", 1);
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
          biasName = n.getInput(2);
          bias = numbers(constant(n, next - 1, biasName, "bias"), biasName);
        }
      } else {
        transposed = false; // MatMul: x [N, d] times B [d, k]
        if (n.getInputCount() != 2) {
          throw unexpected(n, next - 1);
        }
      }
      current = n.getOutput(0);
      int rows = (int) (transposed ? dims[0] : dims[1]);
      int cols = (int) (transposed ? dims[1] : dims[0]);
      if (op.equals("MatMul") && next < chain.size() && chain.get(next).getOpType().equals("Add")) {
        OnnxMl.NodeProto add = chain.get(next);
        if (add.getInputCount() != 2) {
          throw unexpected(add, next);
        }
        int data = add.getInputCount() == 2 && add.getInput(1).equals(current) ? 1 : 0;
        requireTakesCurrent(add, next, data);
        next++;
        biasName = add.getInput(1 - data);
        bias = numbers(constant(add, next - 1, biasName, "bias"), biasName);
        current = add.getOutput(0);
      }
      double[] weight = new double[rows * cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          weight[i * cols + j] = alpha * (transposed ? values[i * cols + j] : values[j * rows + i]);
        }
      }
      if (bias != null) {
        if (bias.length != rows && bias.length != 1) {
          throw new IllegalArgumentException(file + ": the bias " + biasName + " of " + which + " holds " + bias.length
              + " numbers but the layer has " + rows + " outputs");
        }
        double[] full = new double[rows];
        for (int i = 0; i < rows; i++) {
          full[i] = beta * bias[bias.length == 1 ? 0 : i];
        }
        bias = full;
      }
      return new Layer(rows, cols, weight, bias, biasName);
    }

    /** The representation's Mul: the hidden layer times φ's factors (one number when they are all equal). */
    private void requireScale(OnnxMl.NodeProto mul, TwoLayerNet rep) {
      next++;
      if (mul.getInputCount() != 2) {
        throw unexpected(mul, next - 1);
      }
      int data = mul.getInput(1).equals(current) ? 1 : 0;
      requireTakesCurrent(mul, next - 1, data);
      String factorName = mul.getInput(1 - data);
      double[] factor = numbers(constant(mul, next - 1, factorName, "factor"), factorName);
      double[] expected = featureScales(rep);
      int m = rep.k();
      if (factor.length != 1 && factor.length != m) {
        throw new IllegalArgumentException(file + ": node " + place.get(next - 1) + nameOf(mul) + " multiplies the "
            + "hidden layer by " + factor.length + " numbers but it has m = " + m + " units; " + SHAPES);
      }
      for (int i = 0; i < m; i++) {
        double f = factor[factor.length == 1 ? 0 : i];
        if (!(Math.abs(f - expected[i]) <= SCALE_TOLERANCE * expected[i])) {
          throw new IllegalArgumentException(file + ": node " + place.get(next - 1) + nameOf(mul) + " multiplies "
              + "unit " + i + " of the hidden layer by " + f + "; a representation's features are relu(W x + c)/√m "
              + "of its unit rows, a factor of 1/(√m ‖w_" + i + "‖) = " + expected[i] + " for m = " + m
              + " (a network needs a second layer Gemm or MatMul instead)");
        }
      }
      current = mul.getOutput(0);
    }

    private OnnxMl.NodeProto take(String op, String where) {
      if (next >= chain.size()) {
        throw new IllegalArgumentException(file + "'s graph ends without a " + op + " " + where + "; " + SHAPES);
      }
      OnnxMl.NodeProto n = chain.get(next);
      if (!n.getOpType().equals(op)) {
        throw unexpected(n, next);
      }
      next++;
      return n;
    }

    private IllegalArgumentException unexpected(OnnxMl.NodeProto n, int at) {
      return new IllegalArgumentException(file + ": node " + place.get(at) + nameOf(n) + " is " + n.getOpType()
          + (wrongArity(n) ? " of " + n.getInputCount() + " inputs" : "") + "; " + SHAPES);
    }

    /** Whether a node of an operator the chain has is refused for its number of inputs rather than its kind. */
    private static boolean wrongArity(OnnxMl.NodeProto n) {
      int inputs = n.getInputCount();
      return switch (n.getOpType()) {
        case "Relu" -> inputs != 1;
        case "Gemm" -> inputs != 2 && inputs != 3;
        case "MatMul", "Mul", "Add" -> inputs != 2;
        default -> false;
      };
    }

    /** The node must take the value the chain has computed so far as its {@code slot}-th input. */
    private void requireTakesCurrent(OnnxMl.NodeProto n, int at, int slot) {
      if (n.getInputCount() <= slot || !n.getInput(slot).equals(current) || n.getOutputCount() != 1) {
        throw new IllegalArgumentException(file + ": node " + place.get(at) + nameOf(n) + " (" + n.getOpType()
            + ") does not take " + (current.equals(input) ? "the input " + input : "the output of the node before it")
            + "; " + SHAPES);
      }
    }

    private OnnxMl.TensorProto constant(OnnxMl.NodeProto n, int at, String name, String role) {
      OnnxMl.TensorProto t = constants.get(name);
      if (t == null) {
        throw new IllegalArgumentException(file + ": the " + role + " of node " + place.get(at)
            + nameOf(n) + " (" + n.getOpType() + ") is " + (name.isEmpty() ? "missing" : name + ", which is not "
            + "stored in the file") + "; twolayer reads networks whose weights are initializers or Constant nodes");
      }
      return t;
    }

    private void requireNumericInput() {
      if (inputInfo.hasType() && inputInfo.getType().hasTensorType()) {
        int type = inputInfo.getType().getTensorType().getElemType();
        if (type != OnnxMl.TensorProto.DataType.FLOAT_VALUE && type != OnnxMl.TensorProto.DataType.DOUBLE_VALUE
            && type != OnnxMl.TensorProto.DataType.UNDEFINED_VALUE) {
          throw new IllegalArgumentException(file + ": the input " + input + " is " + typeName(type) + "; twolayer's "
              + "networks take float or double inputs");
        }
      }
    }

    /** A declared width of the input that disagrees with W's columns is a graph that cannot run. */
    private void requireInputWidth(int d) {
      if (inputInfo.hasType() && inputInfo.getType().hasTensorType()
          && inputInfo.getType().getTensorType().hasShape()) {
        var shape = inputInfo.getType().getTensorType().getShape();
        if (shape.getDimCount() > 0) {
          var last = shape.getDim(shape.getDimCount() - 1);
          if (last.hasDimValue() && last.getDimValue() != d) {
            throw new IllegalArgumentException(file + ": the input " + input + " has " + last.getDimValue()
                + " columns but the first layer's weight takes d = " + d + "; the graph does not run");
          }
        }
      }
    }

    private long[] dims(OnnxMl.TensorProto t) {
      long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      for (long dim : dims) {
        if (dim < 0 || dim > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(file + ": the tensor " + t.getName() + " has a dimension of " + dim
              + "; the file is damaged");
        }
      }
      return dims;
    }

    /** A float or double tensor's numbers, row-major, as doubles (floats widen exactly). */
    private double[] numbers(OnnxMl.TensorProto t, String name) {
      if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
        throw new IllegalArgumentException(file + ": the tensor " + name + " is kept in an external data file; "
            + "export the model with its weights inside (torch.onnx.export does so below 2 GB)");
      }
      long count = 1;
      for (long dim : dims(t)) {
        count *= dim;
        if (count > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException(file + ": the tensor " + name + " holds more numbers than twolayer "
              + "can keep in one array");
        }
      }
      int n = (int) count;
      int type = t.getDataType();
      boolean isFloat = type == OnnxMl.TensorProto.DataType.FLOAT_VALUE;
      if (!isFloat && type != OnnxMl.TensorProto.DataType.DOUBLE_VALUE) {
        throw new IllegalArgumentException(file + ": the tensor " + name + " is " + typeName(type) + "; twolayer "
            + "reads float or double weights (cast the model to float32 or float64 before exporting it)");
      }
      double[] out = new double[n];
      if (t.hasRawData()) {
        ByteString raw = t.getRawData();
        if (raw.size() != (long) n * (isFloat ? 4 : 8)) {
          throw damaged(name, n, raw.size() / (isFloat ? 4 : 8));
        }
        ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          out[i] = isFloat ? buf.getFloat() : buf.getDouble();
        }
      } else if (isFloat) {
        if (t.getFloatDataCount() != n) {
          throw damaged(name, n, t.getFloatDataCount());
        }
        for (int i = 0; i < n; i++) {
          out[i] = t.getFloatData(i);
        }
      } else {
        if (t.getDoubleDataCount() != n) {
          throw damaged(name, n, t.getDoubleDataCount());
        }
        for (int i = 0; i < n; i++) {
          out[i] = t.getDoubleData(i);
        }
      }
      return out;
    }

    /** An attribute of {@code type}: one of another type would read as 0 and zero the layer without a word. */
    private OnnxMl.AttributeProto typed(OnnxMl.NodeProto n, String name, OnnxMl.AttributeProto.AttributeType type) {
      OnnxMl.AttributeProto a = attribute(n, name);
      if (a != null && a.getType() != type) {
        throw new IllegalArgumentException(file + ": the attribute " + name + " of node " + place.get(next - 1)
            + nameOf(n) + " (" + n.getOpType() + ") is of type " + a.getType().name().toLowerCase(Locale.ROOT)
            + " where ONNX has " + type.name().toLowerCase(Locale.ROOT) + "; the file is damaged: export it again");
      }
      return a;
    }

    private long intAttribute(OnnxMl.NodeProto n, String name, long otherwise) {
      OnnxMl.AttributeProto a = typed(n, name, OnnxMl.AttributeProto.AttributeType.INT);
      return a == null ? otherwise : a.getI();
    }

    private double floatAttribute(OnnxMl.NodeProto n, String name, double otherwise) {
      OnnxMl.AttributeProto a = typed(n, name, OnnxMl.AttributeProto.AttributeType.FLOAT);
      return a == null ? otherwise : a.getF();
    }

    private IllegalArgumentException damaged(String name, int declared, int held) {
      return new IllegalArgumentException(file + ": the tensor " + name + " declares " + declared + " numbers but "
          + "holds " + held + "; the file is damaged: export it again");
    }
  }

  private static String typeName(int type) {
    OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(type);
    return t == null ? "of ONNX type " + type : t.name().toLowerCase(Locale.ROOT);
  }

  private static String nameOf(OnnxMl.NodeProto n) {
    return n.getName().isEmpty() ? "" : " (" + n.getName() + ")";
  }

  private static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto n, String name) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }


}
