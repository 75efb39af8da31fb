package io.github.twolayer.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The cluster engine's package graph: free of cycles, and on the library only, although the CLI shares its
 * class path (the cluster jar runs the CLI's Main). Only this module's own main classes are imported, so the
 * rules run in about a second.
 */
@AnalyzeClasses(packages = "io.github.twolayer.spark", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayeringTest {
  /** Every package its own slice (the module's packages share their first segment). */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("io.github.twolayer.(**)").should()
      .beFreeOfCycles();

  /**
   * The engine serves the commands through pass.EngineFactory; it names no command, experiment or benchmark.
   */
  @ArchTest
  static final ArchRule sparkEngineUsesTheLibraryAndNotTheCommands = noClasses().should()
      .dependOnClassesThat()
      .resideInAnyPackage("io.github.twolayer.cli..", "io.github.twolayer.experiments..",
          "io.github.twolayer.bench..");
}
