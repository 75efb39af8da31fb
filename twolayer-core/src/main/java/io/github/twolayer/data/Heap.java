package io.github.twolayer.data;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What the JVM's heap can hold, checked before the large allocations whose size is known in advance
 * (samples loaded whole into memory), so that a heap too small for them is one line that says how much
 * was needed and how to give the JVM more, instead of an {@link OutOfMemoryError} deep inside the work.
 */
public final class Heap {
  private Heap() {}

  /**
   * The share of the maximum heap one allocation may claim before it is refused up front: beyond it the
   * JVM's own structures and the work's other arrays cannot fit beside it.
   */
  static final double LARGEST_SHARE = 0.9;

  /**
   * The share of the maximum heap that samples kept in memory may take (a source cached for later
   * passes, a CSV read whole, samples drawn at once): the rest holds a copy during loading, the write
   * buffers, the algorithm's arrays and the JVM's own.
   */
  public static final double CACHE_SHARE = 0.4;

  /** Bytes of samples that may be kept in memory: {@link #CACHE_SHARE} of the maximum heap. */
  public static long cacheBudget() {
    return (long) (Runtime.getRuntime().maxMemory() * CACHE_SHARE);
  }

  /** Whether samples of {@code bytes} may be kept in memory (below {@link #CACHE_SHARE} of the maximum heap). */
  public static boolean fitsCache(double bytes) {
    return bytes < Runtime.getRuntime().maxMemory() * CACHE_SHARE;
  }

  /** Thrown when the heap cannot hold what a run needs. */
  public static final class TooSmallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooSmallException(String message) {
      super(message);
    }
  }

  /** Refuses, naming {@code what}, an allocation of {@code bytes} that cannot fit in this heap. */
  public static void require(long bytes, String what) {
    long max = Runtime.getRuntime().maxMemory();
    if (bytes > LARGEST_SHARE * max) {
      throw new TooSmallException(what + " needs about " + megabytes(bytes) + " of memory but the Java heap holds at "
          + "most " + megabytes(max) + "; " + advice(2 * bytes));
    }
  }

  /** The line for an {@link OutOfMemoryError} of a {@code command} whose need was not known in advance. */
  public static String exhausted(String command) {
    long max = Runtime.getRuntime().maxMemory();
    return command + " ran out of memory: the Java heap holds at most " + megabytes(max) + "; " + advice(4 * max);
  }

  private static String advice(long heap) {
    long mb = Math.max(64, Long.highestOneBit(Math.max(1, heap >> 20) - 1) << 1); // a power of two above it
    String size = mb >= 1024 ? (mb >> 10) + "g" : mb + "m";
    return "give the JVM more with JAVA_OPTS=-Xmx" + size + " (this machine has " + megabytes(physical()) + ")";
  }

  private static long physical() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  static String megabytes(long bytes) {
    double mb = bytes / 1048576.0;
    return mb >= 10240 ? String.format(Locale.ROOT, "%.0f GB", mb / 1024)
        : String.format(Locale.ROOT, "%,.0f MB", Math.ceil(mb));
  }
}
