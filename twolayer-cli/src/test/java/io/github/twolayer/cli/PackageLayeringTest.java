package io.github.twolayer.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The CLI's package graph: free of cycles; the CLI may use every library package and the experiments, and
 * finds the cluster engine at run time. Only this module's own main classes are imported, so the rules run in
 * about a second.
 */
@AnalyzeClasses(packages = "io.github.twolayer.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayeringTest {
  /** Every package its own slice (the module's packages share their first segment). */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("io.github.twolayer.(**)").should()
      .beFreeOfCycles();

  /**
   * The CLI runs without Spark on the class path: the spark engine is found by pass.EngineFactory's
   * ServiceLoader, never named.
   */
  @ArchTest
  static final ArchRule commandsReachTheClusterEngineOnlyThroughItsServiceLoader = noClasses().should()
      .dependOnClassesThat()
      .resideInAnyPackage("io.github.twolayer.spark..", "io.github.twolayer.bench..", "org.apache.spark..");
}
