package io.github.twolayer.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The benchmarks' package graph (with JMH's generated classes): free of cycles, and on the library only. Only
 * this module's own main classes are imported, so the rules run in about a second.
 */
@AnalyzeClasses(packages = "io.github.twolayer.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayeringTest {
  /** Every package its own slice (the module's packages share their first segment). */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("io.github.twolayer.(**)").should()
      .beFreeOfCycles();

  /** They time library code: no command, experiment or cluster engine. */
  @ArchTest
  static final ArchRule benchmarksMeasureTheLibraryAndNoOtherModule = noClasses().should()
      .dependOnClassesThat()
      .resideInAnyPackage("io.github.twolayer.cli..", "io.github.twolayer.experiments..",
          "io.github.twolayer.spark..");
}
