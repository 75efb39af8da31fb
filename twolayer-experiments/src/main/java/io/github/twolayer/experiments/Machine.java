package io.github.twolayer.experiments;

import io.github.twolayer.linalg.Blas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a reproduction ran on, for its summary: the float32 native products round differently on CPUs
 * with different vector units (OpenBLAS picks its kernels by CPU), so a difference from the committed
 * results is explained by this line. With the Java kernels ({@code --blas java}) the arithmetic is
 * strict IEEE in a fixed order and the bits do not depend on the CPU.
 *
 * @param cpu the CPU's model name ({@code /proc/cpuinfo}), or the architecture where that is not readable
 * @param vectorUnit the widest x86 vector extension the CPU reports: AVX-512, AVX2, or "no AVX2"
 * @param cores the cores the JVM sees
 * @param blas the BLAS backend the products ran on
 * @param jdk the Java runtime's version
 */
public record Machine(String cpu, String vectorUnit, int cores, String blas, String jdk) {

  /** This JVM's machine, running its products on {@code blas}. */
  public static Machine here(Blas.Choice blas) {
    List<String> cpuinfo;
    try {
      cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
    } catch (IOException | RuntimeException e) { // not Linux, or not readable: the architecture says enough
      cpuinfo = List.of();
    }
    return fromCpuinfo(cpuinfo, Runtime.getRuntime().availableProcessors(), blas.implementation().name(),
        System.getProperty("java.vm.name", "Java") + " " + System.getProperty("java.runtime.version", "?"));
  }

  /** A machine from the lines of {@code /proc/cpuinfo} (only the first processor's are read). */
  static Machine fromCpuinfo(List<String> cpuinfo, int cores, String blas, String jdk) {
    String model = null;
    String flags = null;
    for (String line : cpuinfo) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (model == null && key.equals("model name")) {
        model = value.replaceAll("\\s+", " ");
      } else if (flags == null && key.equals("flags")) {
        flags = " " + value + " ";
      }
    }
    String vector;
    if (flags == null) {
      vector = "unknown vector unit";
    } else if (flags.contains(" avx512f ")) {
      vector = "AVX-512";
    } else if (flags.contains(" avx2 ")) {
      vector = "AVX2";
    } else {
      vector = "no AVX2";
    }
    return new Machine(model != null ? model : System.getProperty("os.arch", "unknown CPU"), vector, cores, blas, jdk);
  }

  /** One line for a summary. */
  public String describe() {
    return String.format(Locale.ROOT, "%s (%s, %d cores), BLAS %s, %s", cpu, vectorUnit, cores, blas, jdk);
  }
}
