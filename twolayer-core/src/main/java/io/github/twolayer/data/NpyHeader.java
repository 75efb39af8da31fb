package io.github.twolayer.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} array (format versions 1–3): element type, byte order, memory
 * order and shape. 1-D arrays of length n are read as n×1.
 *
 * @param name file or entry name, for messages
 * @param kind 'f' (float) or 'i' / 'u' (integer)
 * @param itemSize bytes per element (4 or 8; 1 or 2 also for integers)
 * @param order byte order of the elements
 * @param fortranOrder column-major data
 * @param rows first dimension
 * @param cols second dimension (1 for 1-D arrays)
 * @param headerBytes bytes before the data
 */
public record NpyHeader(String name, char kind, int itemSize, ByteOrder order, boolean fortranOrder,
    long rows, int cols, int headerBytes) {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Bytes of data that follow the header. */
  public long dataBytes() {
    return rows * cols * itemSize;
  }

  /** Reads and validates a header; the stream is left at the first data byte. */
  public static NpyHeader read(InputStream in, String name) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8) {
      throw new IllegalArgumentException(name + " is empty or truncated: no .npy header; re-save it with numpy.save");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new IllegalArgumentException(name + " is not a .npy array (bad magic bytes); save it with numpy.save");
      }
    }
    int major = magic[6];
    byte[] len = in.readNBytes(major == 1 ? 2 : 4);
    if (len.length < (major == 1 ? 2 : 4)) {
      throw new IllegalArgumentException(name + " is truncated inside its header; re-save it");
    }
    int headerLen = (len[0] & 0xff) | (len[1] & 0xff) << 8;
    if (major != 1) {
      headerLen |= (len[2] & 0xff) << 16 | (len[3] & 0xff) << 24;
    }
    byte[] dict = in.readNBytes(headerLen);
    if (dict.length < headerLen) {
      throw new IllegalArgumentException(name + " is truncated inside its header; re-save it");
    }
    String text = new String(dict, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(text);
    if (!descr.find()) {
      throw new IllegalArgumentException(name + " holds an unsupported element type (" + text.trim()
          + "); save it as float64 or float32, e.g. X.astype(np.float64)");
    }
    char kind = descr.group(2).charAt(0);
    int size = Integer.parseInt(descr.group(3));
    if (kind == 'f' && size != 4 && size != 8) {
      throw new IllegalArgumentException(name + " holds float" + size * 8 + " values; save as float64 or float32");
    }
    ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    Matcher fortran = FORTRAN.matcher(text);
    Matcher shape = SHAPE.matcher(text);
    if (!fortran.find() || !shape.find()) {
      throw new IllegalArgumentException(name + " has a malformed .npy header: " + text.trim());
    }
    String[] dims = shape.group(1).split(",");
    long[] parsed = new long[2];
    int count = 0;
    for (String dim : dims) {
      if (!dim.isBlank()) {
        if (count == 2) {
          throw new IllegalArgumentException(name + " has shape (" + shape.group(1) + "): twolayer reads 1-D or "
              + "2-D arrays only; reshape to (n, d)");
        }
        parsed[count++] = Long.parseLong(dim.trim());
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException(name + " holds a scalar, not an (n, d) array");
    }
    long rows = parsed[0];
    long cols = count == 2 ? parsed[1] : 1;
    if (cols > Integer.MAX_VALUE / 8) {
      throw new IllegalArgumentException(name + " has " + cols + " columns, too many");
    }
    int headerBytes = 6 + 2 + (major == 1 ? 2 : 4) + headerLen;
    return new NpyHeader(name, kind, size, order, fortran.group(1).equals("True"), rows, (int) cols, headerBytes);
  }

  /** Writes a version-1.0 header for a little-endian float64 C-order array (rows × cols, or 1-D). */
  public static void writeFloat64(OutputStream out, long rows, int cols, boolean oneDimensional) throws IOException {
    String shape = oneDimensional ? "(" + rows + ",)" : "(" + rows + ", " + cols + ")";
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = 10 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    StringBuilder sb = new StringBuilder(dict);
    while (10 + sb.length() + 1 < total) {
      sb.append(' ');
    }
    sb.append('\n');
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(MAGIC);
    header.write(1);
    header.write(0);
    int len = sb.length();
    header.write(len & 0xff);
    header.write((len >> 8) & 0xff);
    header.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    header.writeTo(out);
  }
}
