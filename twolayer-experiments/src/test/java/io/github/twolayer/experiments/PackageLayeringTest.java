package io.github.twolayer.experiments;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The experiments' package graph: free of cycles, and on the library only (the CLI runs the experiments, not
 * the reverse). Only this module's own main classes are imported, so the rules run in about a second.
 */
@AnalyzeClasses(packages = "io.github.twolayer.experiments", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayeringTest {
  /** Every package its own slice (the module's packages share their first segment). */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("io.github.twolayer.(**)").should()
      .beFreeOfCycles();

  /** Above the library, below the CLI: no command, cluster engine or benchmark. */
  @ArchTest
  static final ArchRule experimentsUseTheLibraryAndNoOtherModule = noClasses().should()
      .dependOnClassesThat()
      .resideInAnyPackage("io.github.twolayer.cli..", "io.github.twolayer.spark..",
          "io.github.twolayer.bench..", "org.apache.spark..");
}
