package io.github.twolayer.experiments;

import io.github.twolayer.linalg.Blas;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineTest {

  private static List<String> cpuinfo(String model, String flags) {
    return List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "model name\t: " + model,
        "flags\t\t: " + flags, "", "processor\t: 1", "model name\t: another CPU", "flags\t\t: fpu");
  }

  @Test
  void anAvx512CpuIsNamedWithItsVectorUnit() {
    Machine m = Machine.fromCpuinfo(cpuinfo("Intel(R) Xeon(R)  Platinum 8375C CPU @ 2.90GHz",
        "fpu sse2 avx avx2 fma avx512f avx512dq"), 2, "java", "OpenJDK 17");
    assertThat(m.cpu()).isEqualTo("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
    assertThat(m.vectorUnit()).isEqualTo("AVX-512");
    assertThat(m.describe()).isEqualTo("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz (AVX-512, 2 cores), "
        + "BLAS java, OpenJDK 17");
  }

  @Test
  void anAvx2CpuIsNotTakenForAvx512ByAPrefixOfAFlag() {
    // "avx512" must be the whole flag avx512f: avx512_vnni-like names on other flags do not count, nor does avx2's prefix
    Machine m = Machine.fromCpuinfo(cpuinfo("AMD EPYC 7B12", "fpu avx avx2 avx512_bf16x"), 4, "openblas", "17");
    assertThat(m.vectorUnit()).isEqualTo("AVX2");
    assertThat(Machine.fromCpuinfo(cpuinfo("old", "fpu sse2 avx"), 1, "java", "17").vectorUnit()).isEqualTo("no AVX2");
  }

  @Test
  void withoutCpuinfoTheArchitectureStandsIn() {
    Machine m = Machine.fromCpuinfo(List.of(), 2, "java", "17");
    assertThat(m.cpu()).isEqualTo(System.getProperty("os.arch"));
    assertThat(m.vectorUnit()).isEqualTo("unknown vector unit");
  }

  @Test
  void thisMachineIsDescribedWithTheBlasThatRuns() {
    assertThat(Machine.here(Blas.Choice.JAVA).blas()).isEqualTo("java");
    assertThat(Machine.here(Blas.Choice.AUTO).blas()).isEqualTo(Blas.Choice.AUTO.implementation().name());
    assertThat(Machine.here(Blas.Choice.JAVA).cores()).isPositive();
  }
}
