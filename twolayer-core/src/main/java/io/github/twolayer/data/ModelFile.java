package io.github.twolayer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.twolayer.model.TwoLayerNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A model file: the network plus where it came from (provenance) and the diagnostics of
 * the run that made it. Numbers are written in the shortest form that reads back to the same double,
 * so a model round-trips bit for bit; non-finite diagnostics are written as null.
 */
public record ModelFile(TwoLayerNet network, Map<String, Object> provenance, Map<String, Object> diagnostics) {
  public static final String FORMAT = "twolayer-model";
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ModelFile {
    provenance = provenance == null ? Map.of() : new LinkedHashMap<>(provenance);
    diagnostics = diagnostics == null ? Map.of() : new LinkedHashMap<>(diagnostics);
  }

  /** The member of a model .npz that holds everything but the arrays (format, shape, provenance, diagnostics). */
  public static final String NPZ_META = "model.json";

  /** The forms a model file takes, told apart by the file's name. */
  public enum Format {
    /** The model as one JSON document. */
    JSON,
    /** NumPy arrays W, A, bias, with the rest in a JSON member {@value ModelFile#NPZ_META}. */
    NPZ,
    /** An ONNX graph x → Gemm → Relu → Gemm → y (a representation: → Mul by φ's factors → features). */
    ONNX
  }

  /**
   * Writes the model as JSON; for a name ending in .npz, as NumPy arrays W (k×d), A (l×k, when
   * present) and bias (k, when present) with the rest in a JSON member {@value #NPZ_META}:
   * {@code z = np.load(path); W, A = z["W"], z["A"]; meta = json.loads(z["model.json"])}; for a name
   * ending in .onnx, as an ONNX graph x [N, d] → Gemm (W, bias) → Relu → Gemm (A) → y [N, l] (a
   * representation: → Mul by 1/(√m ‖w_i‖) → features [N, m], the features that adapting fits its last
   * layer on) of float64 tensors, with the rest as JSON in its metadata_props. The file is written completely or not at all ({@link Outputs}).
   */
  public void write(Path target) throws IOException {
    try (Outputs outputs = Outputs.reading()) {
      write(outputs, target);
      outputs.commit();
    }
  }

  /** Writes the model as one of a run's {@code outputs} (committed with the others). */
  public void write(Outputs outputs, Path target) throws IOException {
    Format format = requireModelName(target);
    outputs.write(target, out -> {
      switch (format) {
        case NPZ -> writeNpz(out);
        case ONNX -> OnnxModel.write(this, out); // the ONNX classes load here, for .onnx only
        default -> out.write(json());
      }
    });
  }

  /**
   * Checks that {@code target} names a model format and says which: .json, .npz or .onnx (a device or
   * pipe receives JSON unless its name ends in .npz or .onnx).
   */
  public static Format requireModelName(Path target) {
    Format format = formatOf(target);
    if (format != null) {
      return format;
    }
    if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
      return Format.JSON;
    }
    throw new IllegalArgumentException("cannot tell the model format of " + target + ": name it .json (the model "
        + "as JSON), .npz (NumPy arrays W, A, bias with the rest in a JSON member) or .onnx (an ONNX graph)");
  }

  /** The format {@code file}'s name says, or null. */
  private static Format formatOf(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      return Format.NPZ;
    }
    if (name.endsWith(".onnx")) {
      return Format.ONNX;
    }
    return name.endsWith(".json") ? Format.JSON : null;
  }

  private byte[] json() throws IOException {
    ObjectNode root = header();
    TwoLayerNet net = network;
    root.set("W", matrix(net.W(), net.k(), net.d()));
    if (net.l() > 0) {
      root.set("A", matrix(net.A(), net.l(), net.k()));
    }
    if (net.bias() == null) {
      root.putNull("bias");
    } else {
      ArrayNode b = root.putArray("bias");
      for (double v : net.bias()) {
        b.add(v);
      }
    }
    root.set("provenance", JSON.valueToTree(finite(provenance)));
    root.set("diagnostics", JSON.valueToTree(finite(diagnostics)));
    return JSON.writeValueAsBytes(root);
  }

  private ObjectNode header() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("activation", "relu");
    root.put("d", network.d());
    root.put("k", network.k());
    root.put("l", network.l());
    return root;
  }

  private void writeNpz(OutputStream out) throws IOException {
    TwoLayerNet net = network;
    Map<String, NumpyWriter.Array> arrays = new LinkedHashMap<>();
    arrays.put("W", NumpyWriter.Array.matrix(net.W(), net.k(), net.d()));
    if (net.l() > 0) {
      arrays.put("A", NumpyWriter.Array.matrix(net.A(), net.l(), net.k()));
    }
    if (net.bias() != null) {
      arrays.put("bias", NumpyWriter.Array.vector(net.bias()));
    }
    ObjectNode meta = header();
    meta.set("provenance", JSON.valueToTree(finite(provenance)));
    meta.set("diagnostics", JSON.valueToTree(finite(diagnostics)));
    NumpyWriter.writeNpz(out, arrays, Map.of(NPZ_META, JSON.writeValueAsBytes(meta)));
  }

  /**
   * A model from an .npz: arrays W (k×d, required), A (l×k; absent for a representation) and bias (k),
   * as written by {@link #write} or by NumPy ({@code np.savez(path, W=W, A=A)}: a PyTorch
   * {@code nn.Linear(d, k, bias=False)}'s weight is W, the second layer's is A); {@value #NPZ_META} is
   * optional.
   */
  @SuppressWarnings("unchecked")
  private static ModelFile readNpz(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("model file " + file + " does not exist; check the path");
    }
    try (ZipFile zip = NpzArray.open(file)) {
      NpzArray w = NpzArray.read(zip, "W");
      if (w == null) {
        throw new IllegalArgumentException(file + " holds no 2-D array 'W' (it holds " + NpzArray.members(zip)
            + "); save the first layer as W (k×d) and the second as A (l×k): np.savez(path, W=W, A=A)");
      }
      int k = (int) w.header().rows();
      int d = w.header().cols();
      NpzArray a = NpzArray.read(zip, "A");
      int l = 0;
      if (a != null) {
        if (a.header().cols() != k) {
          throw new IllegalArgumentException(file + ": A is " + a.header().rows() + "×" + a.header().cols()
              + " but W has k = " + k + " rows; A must be l×k (the second layer's weight, outputs × hidden units)");
        }
        l = (int) a.header().rows();
      }
      NpzArray b = NpzArray.read(zip, "bias");
      if (b != null && b.values().length != k) {
        throw new IllegalArgumentException(file + ": bias holds " + b.values().length + " numbers but W has k = " + k
            + " rows");
      }
      for (NpzArray arr : new NpzArray[] {w, a, b}) {
        if (arr != null) {
          String name = arr.header().name(); // "archive:member"
          requireFinite(arr.values(), arr.header().cols(), file.toString(), name.substring(name.lastIndexOf(':') + 1));
        }
      }
      Map<String, Object> prov = Map.of();
      Map<String, Object> diag = Map.of();
      ZipEntry metaEntry = zip.getEntry(NPZ_META);
      if (metaEntry != null) {
        JsonNode meta;
        try (InputStream in = zip.getInputStream(metaEntry)) {
          meta = JsonFiles.parse(in.readAllBytes(), file + "'s " + NPZ_META);
        }
        if (!FORMAT.equals(meta.path("format").asText())) {
          throw new IllegalArgumentException(file + ": its " + NPZ_META + " is not a twolayer model header");
        }
        requireRelu(meta, file);
        if (meta.has("provenance")) {
          prov = JSON.convertValue(meta.get("provenance"), Map.class);
        }
        if (meta.has("diagnostics")) {
          diag = JSON.convertValue(meta.get("diagnostics"), Map.class);
        }
      }
      return new ModelFile(new TwoLayerNet(d, k, l, w.values(), a == null ? null : a.values(),
          b == null ? null : b.values()), prov, diag);
    }
  }

  static Map<String, Object> finite(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((key, v) -> out.put(key, v instanceof Double x && !Double.isFinite(x) ? null : v));
    return out;
  }

  private static ArrayNode matrix(double[] m, int rows, int cols) {
    ArrayNode a = JSON.createArrayNode();
    for (int i = 0; i < rows; i++) {
      ArrayNode row = a.addArray();
      for (int j = 0; j < cols; j++) {
        row.add(m[i * cols + j]);
      }
    }
    return a;
  }

  /**
   * Refuses an activation other than ReLU: the algorithms and the forward pass compute relu, so a
   * model of another activation would be evaluated as a different function without a word.
   */
  private static void requireRelu(JsonNode root, Path file) {
    JsonNode activation = root.get("activation");
    if (activation != null && !activation.isNull() && !"relu".equals(activation.asText())) {
      throw new IllegalArgumentException(file + " has activation \"" + activation.asText() + "\"; twolayer's "
          + "networks are A·relu(W x): only \"relu\" can be read");
    }
  }

  /** Refuses the first non-finite value of a row-major array, naming its entry. */
  static void requireFinite(double[] values, int cols, String where, String name) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw JsonFiles.nonFinite(where, cols <= 1 && values.length > 0 ? name + "[" + i + "]"
            : name + "[" + i / cols + "][" + i % cols + "]", values[i]);
      }
    }
  }

  /**
   * A model from its JSON file, its .npz or its .onnx ({@link #write}). An .onnx need not come from
   * twolayer: any graph Gemm or MatMul → Relu → Gemm or MatMul (with or without a first-layer bias; float32
   * or float64 weights), such as {@code torch.onnx.export} makes of {@code nn.Sequential(nn.Linear(d, k),
   * nn.ReLU(), nn.Linear(k, l, bias=False))}, reads as a network.
   */
  @SuppressWarnings("unchecked")
  public static ModelFile read(Path file) throws IOException {
    Format format = file.getFileName() == null ? null : formatOf(file);
    if (format == Format.NPZ) {
      return readNpz(file);
    }
    if (format == Format.ONNX) {
      return OnnxModel.read(file);
    }
    JsonNode root = JsonFiles.read(file, "model file");
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(file + " is not a twolayer model file (its \"format\" is not \"" + FORMAT
          + "\")");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException(file + " has model format version " + root.path("version").asText()
          + "; this twolayer reads version " + VERSION);
    }
    requireRelu(root, file);
    int d = root.path("d").asInt();
    int k = root.path("k").asInt();
    JsonNode aNode = root.get("A");
    int l = aNode == null || aNode.isNull() ? 0 : root.path("l").asInt();
    double[] w = readMatrix(root.get("W"), k, d, file, "W");
    double[] a = l == 0 ? null : readMatrix(aNode, l, k, file, "A");
    double[] bias = null;
    JsonNode b = root.get("bias");
    if (b != null && !b.isNull()) {
      bias = readMatrix(b, 1, k, file, "bias");
    }
    Map<String, Object> prov = root.has("provenance") ? JSON.convertValue(root.get("provenance"), Map.class) : Map.of();
    Map<String, Object> diag = root.has("diagnostics") ? JSON.convertValue(root.get("diagnostics"), Map.class) : Map.of();
    return new ModelFile(new TwoLayerNet(d, k, l, w, a, bias), prov, diag);
  }

  private static double[] readMatrix(JsonNode node, int rows, int cols, Path file, String name) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(file + ": \"" + name + "\" is missing or not an array");
    }
    double[] out = new double[rows * cols];
    boolean flat = rows == 1 && node.size() == cols && (cols == 0 || node.get(0).isNumber());
    if (!flat && node.size() != rows) {
      throw new IllegalArgumentException(file + ": \"" + name + "\" has " + node.size() + " rows, expected " + rows);
    }
    for (int i = 0; i < rows; i++) {
      JsonNode row = flat ? node : node.get(i);
      if (!row.isArray() || row.size() != cols) {
        throw new IllegalArgumentException(file + ": row " + i + " of \"" + name + "\" must hold " + cols + " numbers");
      }
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = JsonFiles.finite(row.get(j), file.toString(),
            flat ? "\"" + name + "\"[" + j + "]" : "\"" + name + "\"[" + i + "][" + j + "]");
      }
    }
    return out;
  }
}
