package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.github.twolayer.model.TwoLayerNet;
import io.github.twolayer.sampling.PlantedNetworks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {
  @TempDir
  Path tmp;

  private static TwoLayerNet planted(int d, int k, int l, long seed) {
    return PlantedNetworks.draw(PlantedNetworks.Shape.of(d, k, l), RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
  }

  private static double[] gaussians(int count, long seed) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    double[] x = new double[count];
    for (int i = 0; i < count; i++) {
      // Box–Muller: inputs of both signs, so that every unit is active on some rows and off on others.
      x[i] = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
    return x;
  }

  /** The outputs of an .onnx file in ONNX Runtime, for n rows of float64 input. */
  static double[] runInOnnxRuntime(Path model, double[] x, int n, int d) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, DoubleBuffer.wrap(x), new long[] {n, d});
        OrtSession.Result result = session.run(Map.of(OnnxModel.INPUT, input))) {
      DoubleBuffer out = ((OnnxTensor) result.get(0)).getDoubleBuffer();
      double[] y = new double[out.remaining()];
      out.get(y);
      return y;
    }
  }

  @Test
  void anExportedNetworkComputesInOnnxRuntimeWhatPredictComputes() throws Exception {
    int d = 9;
    int k = 4;
    int l = 3;
    int n = 64;
    double[] x = gaussians(n * d, 5);
    TwoLayerNet plain = planted(d, k, l, 3);
    double[] bias = {0.3, -0.2, 0.1, -0.4};
    TwoLayerNet biased = new TwoLayerNet(d, k, l, plain.W(), plain.A(), bias);
    for (TwoLayerNet net : List.of(plain, biased)) {
      Path f = tmp.resolve("m" + (net.bias() == null ? "" : "-bias") + ".onnx");
      new ModelFile(net, Map.of(), Map.of()).write(f);
      double[] ours = net.predict(x, 0, n);
      double[] ort = runInOnnxRuntime(f, x, n, d);
      assertThat(ort).hasSize(n * l);
      double scale = Arrays.stream(ours).map(Math::abs).max().orElseThrow();
      assertThat(scale).isGreaterThan(0.1);
      for (int i = 0; i < ours.length; i++) {
        // Both sides compute in float64, the same products summed in another order: the difference is a
        // few units of 2^-53 times (d + k) times the largest output; 1e-12 of it leaves a wide margin and
        // still fails at once if ONNX Runtime read a float32 copy (1e-7) or a transposed weight.
        assertThat(ort[i]).as("output %d of %s", i, f.getFileName()).isCloseTo(ours[i], within(1e-12 * scale));
      }
    }
  }

  @Test
  void aModelReadsBackFromOnnxBitForBitAsFromJson() throws IOException {
    TwoLayerNet net = planted(7, 3, 4, 1);
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("algorithm", "moments");
    prov.put("seed", 1);
    prov.put("n", 100000L);
    prov.put("x_cols", List.of("x0", "x1"));
    Map<String, Object> diag = new LinkedHashMap<>();
    diag.put("detector_gap", Double.POSITIVE_INFINITY);
    diag.put("rank_snr", 0.1);
    diag.put("k_evidence", Map.of("ratios", List.of(3.5, 1.25)));
    ModelFile model = new ModelFile(net, prov, diag);
    Path onnx = tmp.resolve("m.onnx");
    Path json = tmp.resolve("m.json");
    model.write(onnx);
    model.write(json);
    ModelFile back = ModelFile.read(onnx);
    assertThat(back.network()).isEqualTo(net); // equals compares every double exactly
    assertThat(back).isEqualTo(ModelFile.read(json));
    assertThat(back.diagnostics()).containsEntry("detector_gap", null).containsEntry("rank_snr", 0.1);

    TwoLayerNet rep = new TwoLayerNet(3, 2, 0, new double[] {1, 2, 3, 4, 5, 6e-300}, null, new double[] {0.5, -0.5});
    Path r = tmp.resolve("r.onnx");
    new ModelFile(rep, Map.of("algorithm", "pretrain"), Map.of()).write(r);
    assertThat(ModelFile.read(r).network()).isEqualTo(rep);
    assertThat(ModelFile.read(r).provenance()).containsEntry("algorithm", "pretrain");
  }

  @Test
  void theFileSaysItsFormatOpsetAndGraphShape() throws IOException {
    Path f = tmp.resolve("m.onnx");
    new ModelFile(planted(5, 2, 1, 2), Map.of("seed", 2), Map.of()).write(f);
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(f));
    assertThat(m.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(13);
    assertThat(m.getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
        .containsExactly("Gemm", "Relu", "Gemm");
    assertThat(m.getGraph().getInput(0).getName()).isEqualTo("x");
    assertThat(m.getGraph().getOutput(0).getName()).isEqualTo("y");
    assertThat(m.getGraph().getInitializerList()).extracting(OnnxMl.TensorProto::getDataType)
        .containsOnly(OnnxMl.TensorProto.DataType.DOUBLE_VALUE);
    Map<String, String> meta = new LinkedHashMap<>();
    m.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
    assertThat(meta).containsEntry("format", "twolayer-model").containsEntry("version", "1")
        .containsEntry("provenance", "{\"seed\":2}").containsEntry("diagnostics", "{}");

    Path r = tmp.resolve("r.onnx");
    new ModelFile(new TwoLayerNet(2, 4, 0, new double[8], null, null), Map.of(), Map.of()).write(r);
    OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(r)).getGraph();
    assertThat(g.getNodeList()).extracting(OnnxMl.NodeProto::getOpType).containsExactly("Gemm", "Relu", "Mul");
    assertThat(g.getOutput(0).getName()).isEqualTo("features");
  }

  @Test
  void theModelFormatsIncludeOnnx() {
    assertThat(ModelFile.requireModelName(Path.of("m.ONNX"))).isEqualTo(ModelFile.Format.ONNX);
    assertThat(ModelFile.requireModelName(Path.of("m.npz"))).isEqualTo(ModelFile.Format.NPZ);
    assertThatThrownBy(() -> ModelFile.requireModelName(Path.of("m.npy"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".json").hasMessageContaining(".npz").hasMessageContaining(".onnx");
  }

  // --- graphs from elsewhere ----------------------------------------------------------------------

  /** A graph built node by node, as another tool would write it. */
  private static final class Graph {
    final OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g");
    final List<OnnxMl.StringStringEntryProto> meta = new ArrayList<>();

    Graph input(String name, int elemType, int cols) {
      g.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType)
              .setShape(OnnxMl.TensorShapeProto.newBuilder()
                  .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                  .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(cols))))));
      return this;
    }

    Graph output(String name) {
      g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name));
      return this;
    }

    /** A float32 initializer, its values row-major in raw_data, as PyTorch writes them. */
    Graph floats(String name, long[] dims, double... values) {
      ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) {
        raw.putFloat((float) v);
      }
      OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
          .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
      Arrays.stream(dims).forEach(t::addDims);
      g.addInitializer(t);
      return this;
    }

    Graph tensor(OnnxMl.TensorProto t) {
      g.addInitializer(t);
      return this;
    }

    Graph node(String op, String name, List<String> inputs, String output, Map<String, Long> ints) {
      OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
          .addOutput(output);
      ints.forEach((key, v) -> n.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(key)
          .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v)));
      g.addNode(n);
      return this;
    }

    Path write(Path file) throws IOException {
      Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(7)
          .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(14)).setProducerName("pytorch")
          .setGraph(g).addAllMetadataProps(meta).build().toByteArray());
      return file;
    }
  }

  // W (2×3) and A (1×2) of a small network, and W transposed (3×2) as torch.onnx.export stores it for MatMul.
  private static final double[] W = {0.5, -1.25, 2, 0.75, 0.125, -3};
  private static final double[] W_T = {0.5, 0.75, -1.25, 0.125, 2, -3};
  private static final double[] A = {1.5, -0.5};

  @Test
  void aMatMulGraphWithFloat32WeightsReadsAsTheNetworkInTwolayersOrientation() throws IOException {
    // What torch.onnx.export writes for nn.Linear(3, 2, bias=False) → ReLU → nn.Linear(2, 1, bias=False).
    Path f = new Graph().input("x", 1, 3).output("y")
        .floats("onnx::MatMul_8", new long[] {3, 2}, W_T).floats("onnx::MatMul_9", new long[] {2, 1}, A)
        .node("MatMul", "/0/MatMul", List.of("x", "onnx::MatMul_8"), "h0", Map.of())
        .node("Relu", "/1/Relu", List.of("h0"), "h1", Map.of())
        .node("MatMul", "/2/MatMul", List.of("h1", "onnx::MatMul_9"), "y", Map.of())
        .write(tmp.resolve("torch.onnx"));
    ModelFile m = ModelFile.read(f);
    assertThat(m.network()).isEqualTo(TwoLayerNet.of(3, 2, 1, W, A)); // these values are exact in float32
    assertThat(m.provenance()).isEmpty();
  }

  @Test
  void aGemmWithABiasAndAMatMulWithAnAddReadTheBias() throws IOException {
    // nn.Linear(3, 2) with its bias: Gemm(x, weight, bias, transB = 1).
    Path gemm = new Graph().input("x", 1, 3).output("y")
        .floats("0.weight", new long[] {2, 3}, W).floats("0.bias", new long[] {2}, 0.25, -0.5)
        .floats("A", new long[] {2, 1}, A)
        .node("Gemm", "/0/Gemm", List.of("x", "0.weight", "0.bias"), "h0", Map.of("transB", 1L))
        .node("Relu", "/1/Relu", List.of("h0"), "h1", Map.of())
        .node("MatMul", "/2/MatMul", List.of("h1", "A"), "y", Map.of())
        .write(tmp.resolve("gemm.onnx"));
    TwoLayerNet expected = new TwoLayerNet(3, 2, 1, W, A, new double[] {0.25, -0.5});
    assertThat(ModelFile.read(gemm).network()).isEqualTo(expected);
    // The same layer as MatMul then Add (bias first: Add is commutative).
    Path add = new Graph().input("x", 1, 3).output("y")
        .floats("Wt", new long[] {3, 2}, W_T).floats("b", new long[] {2}, 0.25, -0.5)
        .floats("A", new long[] {1, 2}, A)
        .node("MatMul", "m", List.of("x", "Wt"), "h0", Map.of())
        .node("Add", "a", List.of("b", "h0"), "h0b", Map.of())
        .node("Relu", "r", List.of("h0b"), "h1", Map.of())
        .node("Gemm", "g", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("add.onnx"));
    assertThat(ModelFile.read(add).network()).isEqualTo(expected);
  }

  /** A torch-like network with {@code act} in place of the Relu. */
  private Path withActivation(String act) throws IOException {
    return new Graph().input("x", 1, 3).output("y")
        .floats("W", new long[] {2, 3}, W).floats("A", new long[] {1, 2}, A)
        .node("Gemm", "/0/Gemm", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node(act, "/1/" + act, List.of("h0"), "h1", Map.of())
        .node("Gemm", "/2/Gemm", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve(act + ".onnx"));
  }

  @Test
  void aRepresentationsMulReadsWhenItHoldsTheFeatureFactors() throws IOException {
    // Rows of norm 1 (0.6, 0.8) and 5 (3, 4): the features of their unit rows are relu(W x)·(1/√2, 1/(5√2)).
    double[] w = {0.6, 0.8, 3, 4};
    double r2 = 1 / Math.sqrt(2);
    Path perUnit = new Graph().input("x", 1, 2).output("f")
        .floats("W", new long[] {2, 2}, w).floats("s", new long[] {2}, r2, r2 / 5)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Mul", "scale", List.of("s", "h1"), "f", Map.of())
        .write(tmp.resolve("per-unit.onnx"));
    TwoLayerNet rep = ModelFile.read(perUnit).network();
    assertThat(rep.l()).isZero();
    // float32 weights widen exactly, so compare with the float32 values of the rows.
    assertThat(rep.W()).containsExactly((float) 0.6, (float) 0.8, 3, 4);
    // One number for all units is φ's factor only when every row has norm 1.
    Path unitRows = new Graph().input("x", 1, 2).output("f")
        .floats("W", new long[] {2, 2}, 0.6, 0.8, 1, 0).floats("s", new long[] {}, r2)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Mul", "scale", List.of("h1", "s"), "f", Map.of())
        .write(tmp.resolve("unit-rows.onnx"));
    assertThat(ModelFile.read(unitRows).network().k()).isEqualTo(2);
  }

  @Test
  void anotherActivationIsRefusedNamingTheNode() throws IOException {
    Path f = withActivation("Sigmoid");
    assertThatThrownBy(() -> ModelFile.read(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(f + ": node 2 (/1/Sigmoid) is Sigmoid; twolayer reads A·relu(W x) graphs: "
            + "Gemm → Relu → Gemm");
  }

  @Test
  void aThirdLayerAnOutputBiasAndAWrongFeatureScaleAreRefused() throws IOException {
    Path deep = new Graph().input("x", 1, 3).output("z")
        .floats("W", new long[] {2, 3}, W).floats("A", new long[] {2, 2}, 1, 0, 0, 1)
        .floats("A2", new long[] {1, 2}, A)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .node("Relu", "r1", List.of("y"), "y1", Map.of())
        .node("Gemm", "g2", List.of("y1", "A2"), "z", Map.of("transB", 1L))
        .write(tmp.resolve("deep.onnx"));
    assertThatThrownBy(() -> ModelFile.read(deep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node 4 (r1) is Relu after the network's last layer");

    Path outBias = new Graph().input("x", 1, 3).output("y")
        .floats("W", new long[] {2, 3}, W).floats("A", new long[] {1, 2}, A).floats("c", new long[] {1}, 0.5)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A", "c"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("outbias.onnx"));
    assertThatThrownBy(() -> ModelFile.read(outBias)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the second layer adds a bias (c)").hasMessageContaining("bias=False");

    Path halved = new Graph().input("x", 1, 3).output("f")
        .floats("W", new long[] {2, 3}, W).floats("s", new long[] {}, 0.5)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Mul", "scale", List.of("h1", "s"), "f", Map.of())
        .write(tmp.resolve("halved.onnx"));
    assertThatThrownBy(() -> ModelFile.read(halved)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node 3 (scale) multiplies unit 0 of the hidden layer by 0.5; a representation's "
            + "features are relu(W x + c)/√m of its unit rows, a factor of 1/(√m ‖w_0‖) = 0.2932");

    Path stops = new Graph().input("x", 1, 3).output("h1")
        .floats("W", new long[] {2, 3}, W)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .write(tmp.resolve("stops.onnx"));
    assertThatThrownBy(() -> ModelFile.read(stops)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("graph ends at the Relu (node 2)");
  }

  @Test
  void weightsThatCannotBeReadAreRefusedNamingThem() throws IOException {
    Path nan = new Graph().input("x", 1, 3).output("y")
        .floats("W", new long[] {2, 3}, 1, Double.NaN, 0, 0, 0, 0).floats("A", new long[] {1, 2}, A)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("nan.onnx"));
    assertThatThrownBy(() -> ModelFile.read(nan)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(nan + ": W[0][1] is NaN; every weight must be a finite number");

    Path ints = new Graph().input("x", 1, 3).output("y")
        .tensor(OnnxMl.TensorProto.newBuilder().setName("W").addDims(2).addDims(3)
            .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addAllInt64Data(List.of(1L, 2L, 3L, 4L, 5L, 6L))
            .build())
        .floats("A", new long[] {1, 2}, A)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("ints.onnx"));
    assertThatThrownBy(() -> ModelFile.read(ints)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the tensor W is int64; twolayer reads float or double weights");

    Path external = new Graph().input("x", 1, 3).output("y")
        .tensor(OnnxMl.TensorProto.newBuilder().setName("W").addDims(2).addDims(3)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
            .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL).build())
        .floats("A", new long[] {1, 2}, A)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("external.onnx"));
    assertThatThrownBy(() -> ModelFile.read(external)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the tensor W is kept in an external data file");

    Path fed = new Graph().input("x", 1, 3).input("W", 1, 3).output("y")
        .floats("A", new long[] {1, 2}, A)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("fed.onnx"));
    assertThatThrownBy(() -> ModelFile.read(fed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(fed + " has 2 inputs (x, W); twolayer reads networks of one input x [N, d]");

    Graph floatTransB = new Graph().input("x", 1, 3).output("y")
        .floats("W", new long[] {2, 3}, W).floats("A", new long[] {1, 2}, A);
    floatTransB.g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").setName("g0").addInput("x").addInput("W")
        .addOutput("h0").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("transB")
            .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(1)));
    Path typo = floatTransB.node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("typo.onnx"));
    assertThatThrownBy(() -> ModelFile.read(typo)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the attribute transB of node 1 (g0) (Gemm) is of type float where ONNX has int");

    Path mismatch = new Graph().input("x", 1, 3).output("y")
        .floats("W", new long[] {2, 3}, W).floats("A", new long[] {1, 3}, 1, 2, 3)
        .node("Gemm", "g0", List.of("x", "W"), "h0", Map.of("transB", 1L))
        .node("Relu", "r0", List.of("h0"), "h1", Map.of())
        .node("Gemm", "g1", List.of("h1", "A"), "y", Map.of("transB", 1L))
        .write(tmp.resolve("mismatch.onnx"));
    assertThatThrownBy(() -> ModelFile.read(mismatch)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the second layer's weight takes 3 inputs but the first layer has k = 2 units");
  }

  @Test
  void filesThatAreNoOnnxModelAreRefusedInOneLine() throws IOException {
    Path f = tmp.resolve("m.onnx");
    new ModelFile(planted(5, 2, 1, 4), Map.of(), Map.of()).write(f);
    byte[] whole = Files.readAllBytes(f);
    Path cut = tmp.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> ModelFile.read(cut)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(cut + " is not a readable ONNX model (").hasMessageContaining("export it again")
        .hasMessageNotContaining("\n");
    Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
    assertThatThrownBy(() -> ModelFile.read(empty)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty + " holds no ONNX graph");
    Path json = Files.writeString(tmp.resolve("json.onnx"), "{\"format\": \"twolayer-model\"}");
    assertThatThrownBy(() -> ModelFile.read(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(json.toString());
    assertThatThrownBy(() -> ModelFile.read(tmp.resolve("none.onnx"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not exist; check the path");
  }
}
