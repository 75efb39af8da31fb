package io.github.twolayer.moments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosticsBuilderTest {

  private static Diagnostics full() {
    return Diagnostics.builder().secondMomentCondition(1).rankGap(2).rankSnr(3).conditionP(4).detectorGap(5)
        .detectorResidual(6).minEigenvalue(7).offDiagonalResidual(8).splitMethod("joint-diagonalization")
        .jacobiSweeps(9).splitSolverExit("converged").symmetryZ(10).warnings(List.of("w"))
        .columnScales(Map.of("x", List.of(0.5))).kSelected(2).rankSnrs(List.of(30.0, 3.0)).build();
  }

  @Test
  void eachValueLandsUnderItsOwnJsonName() {
    Map<String, Object> m = full().asMap();
    assertThat(m).containsEntry("second_moment_condition", 1.0).containsEntry("rank_gap", 2.0)
        .containsEntry("rank_snr", 3.0).containsEntry("condition_p", 4.0).containsEntry("detector_gap", 5.0)
        .containsEntry("detector_residual", 6.0).containsEntry("min_eigenvalue", 7.0)
        .containsEntry("off_diagonal_residual", 8.0).containsEntry("split_method", "joint-diagonalization")
        .containsEntry("jacobi_sweeps", 9).containsEntry("split_solver_exit", "converged")
        .containsEntry("symmetry_z", 10.0).containsEntry("warnings", List.of("w"))
        .containsEntry("column_scales", Map.of("x", List.of(0.5))).containsEntry("k_selected", 2);
  }

  @Test
  void keepsTheJsonNamesAndTheirOrder() {
    // The CLI tables and model files print these keys in this order.
    assertThat(full().asMap().keySet()).containsExactly("second_moment_condition", "rank_gap", "rank_snr",
        "condition_p", "detector_gap", "detector_residual", "min_eigenvalue", "off_diagonal_residual",
        "split_method", "jacobi_sweeps", "split_solver_exit", "symmetry_z", "warnings", "column_scales",
        "k_selected", "k_evidence");
  }

  @Test
  void buildsTheSameRecordAsTheCanonicalConstructor() {
    Diagnostics byPosition = new Diagnostics(1, 2, 3, 4, 5, 6, 7, 8, "joint-diagonalization", 9, "converged", 10,
        List.of("w"), Map.of("x", List.of(0.5)), 2, List.of(30.0, 3.0));
    assertThat(full()).isEqualTo(byPosition);
  }

  @Test
  void unsetDiagnosticsAreNotANumberOrAbsent() {
    Diagnostics empty = Diagnostics.builder().build();
    assertThat(empty.detectorGap()).isNaN();
    assertThat(empty.warnings()).isEmpty();
    assertThat(empty.kSelected()).isNull();
    assertThat(empty.asMap()).doesNotContainKeys("column_scales", "k_selected");
  }
}
