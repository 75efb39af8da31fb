package io.github.twolayer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the bytes of the uncompressed (stored) entries of a zip archive lie in the file, so that an
 * {@code np.savez} archive can be memory-mapped array by array like a {@code .npy} file instead of being
 * inflated through a stream. Reads the end-of-central-directory record (Zip64 too: NumPy writes Zip64
 * for large arrays), the central directory, and each stored entry's local header. Anything unusual
 * (compressed entries, a multi-disk archive, an inconsistent directory) simply leaves the entry out, and
 * the caller streams it as before.
 */
final class StoredZipEntries {
  private StoredZipEntries() {}

  /** Entry name → offset of its first data byte, for the stored entries only. */
  static Map<String, Long> dataOffsets(FileChannel channel) throws IOException {
    Map<String, Long> offsets = new HashMap<>();
    long size = channel.size();
    int tail = (int) Math.min(size, 65_557); // EOCD (22 bytes) + the longest possible comment
    ByteBuffer end = read(channel, size - tail, tail);
    int eocd = -1;
    for (int i = tail - 22; i >= 0; i--) {
      if (end.getInt(i) == 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      return offsets;
    }
    long entries = end.getShort(eocd + 10) & 0xffff;
    long dirSize = end.getInt(eocd + 12) & 0xffffffffL;
    long dirOffset = end.getInt(eocd + 16) & 0xffffffffL;
    long locatorAt = size - tail + eocd - 20;
    if ((entries == 0xffff || dirSize == 0xffffffffL || dirOffset == 0xffffffffL) && locatorAt >= 0) {
      ByteBuffer locator = read(channel, locatorAt, 20);
      if (locator.getInt(0) != 0x07064b50) {
        return offsets;
      }
      ByteBuffer z64 = read(channel, locator.getLong(8), 56);
      if (z64.getInt(0) != 0x06064b50) {
        return offsets;
      }
      entries = z64.getLong(32);
      dirSize = z64.getLong(40);
      dirOffset = z64.getLong(48);
    }
    if (dirOffset + dirSize > size || dirSize > Integer.MAX_VALUE) {
      return offsets;
    }
    ByteBuffer dir = read(channel, dirOffset, (int) dirSize);
    int p = 0;
    for (long e = 0; e < entries && p + 46 <= dirSize; e++) {
      if (dir.getInt(p) != 0x02014b50) {
        return offsets;
      }
      int method = dir.getShort(p + 10) & 0xffff;
      long compressed = dir.getInt(p + 20) & 0xffffffffL;
      long uncompressed = dir.getInt(p + 24) & 0xffffffffL;
      int nameLength = dir.getShort(p + 28) & 0xffff;
      int extraLength = dir.getShort(p + 30) & 0xffff;
      int commentLength = dir.getShort(p + 32) & 0xffff;
      long local = dir.getInt(p + 42) & 0xffffffffL;
      byte[] nameBytes = new byte[nameLength];
      dir.get(p + 46, nameBytes);
      // Zip64 extra field: the 0xffffffff values above, in order, as 8-byte numbers.
      int x = p + 46 + nameLength;
      int xEnd = x + extraLength;
      while (x + 4 <= xEnd) {
        int tag = dir.getShort(x) & 0xffff;
        int len = dir.getShort(x + 2) & 0xffff;
        if (tag == 0x0001) {
          int q = x + 4;
          if (uncompressed == 0xffffffffL && q + 8 <= x + 4 + len) {
            uncompressed = dir.getLong(q);
            q += 8;
          }
          if (compressed == 0xffffffffL && q + 8 <= x + 4 + len) {
            compressed = dir.getLong(q);
            q += 8;
          }
          if (local == 0xffffffffL && q + 8 <= x + 4 + len) {
            local = dir.getLong(q);
          }
        }
        x += 4 + len;
      }
      if (method == 0 && compressed == uncompressed && local + 30 <= size) {
        ByteBuffer header = read(channel, local, 30);
        if (header.getInt(0) == 0x04034b50) {
          long data = local + 30 + (header.getShort(26) & 0xffff) + (header.getShort(28) & 0xffff);
          if (data + compressed <= size) {
            offsets.put(new String(nameBytes, StandardCharsets.UTF_8), data);
          }
        }
      }
      p += 46 + nameLength + extraLength + commentLength;
    }
    return offsets;
  }

  private static ByteBuffer read(FileChannel channel, long at, int bytes) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (channel.read(b, at + b.position()) < 0) {
        break;
      }
    }
    return b.flip();
  }
}
