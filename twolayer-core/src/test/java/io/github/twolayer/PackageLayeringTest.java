package io.github.twolayer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The library's package graph: no cycles, and each package on a layer that uses only the layers below it.
 * From the bottom: linalg, progress and random (leaves: random may use linalg); model (the network and
 * its units, on linalg only); data (files and row sources, which read and write models); pass (the engines
 * and their accumulators, on data); sampling (input laws, planted networks, task families); metrics and
 * moments; train and multitask. Only the library's own main classes are imported, so the rules run in
 * about a second.
 */
@AnalyzeClasses(packages = "io.github.twolayer", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayeringTest {
  private static final String[] LEAVES = {"linalg", "progress", "random"};

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("io.github.twolayer.(*)..").should()
      .beFreeOfCycles();

  @ArchTest
  static final ArchRule everyPackageUsesOnlyTheLayersBelowIt = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .ensureAllClassesAreContainedInArchitecture()
      .layer("linalg").definedBy("io.github.twolayer.linalg..")
      .layer("progress").definedBy("io.github.twolayer.progress..")
      .layer("random").definedBy("io.github.twolayer.random..")
      .layer("model").definedBy("io.github.twolayer.model..")
      .layer("data").definedBy("io.github.twolayer.data..")
      .layer("pass").definedBy("io.github.twolayer.pass..")
      .layer("sampling").definedBy("io.github.twolayer.sampling..")
      .layer("metrics").definedBy("io.github.twolayer.metrics..")
      .layer("moments").definedBy("io.github.twolayer.moments..")
      .layer("train").definedBy("io.github.twolayer.train..")
      .layer("multitask").definedBy("io.github.twolayer.multitask..")
      .whereLayer("linalg").mayNotAccessAnyLayer()
      .whereLayer("progress").mayNotAccessAnyLayer()
      .whereLayer("random").mayOnlyAccessLayers("linalg")
      .whereLayer("model").mayOnlyAccessLayers("linalg")
      .whereLayer("data").mayOnlyAccessLayers(below("model"))
      .whereLayer("pass").mayOnlyAccessLayers(below("model", "data"))
      .whereLayer("sampling").mayOnlyAccessLayers(below("model", "data", "pass"))
      .whereLayer("metrics").mayOnlyAccessLayers(below("model", "data", "pass", "sampling"))
      .whereLayer("moments").mayOnlyAccessLayers(below("model", "data", "pass", "sampling"))
      .whereLayer("train").mayOnlyAccessLayers(below("model", "data", "pass", "sampling", "metrics", "moments"))
      .whereLayer("multitask")
      .mayOnlyAccessLayers(below("model", "data", "pass", "sampling", "metrics", "moments"));

  /** The library runs without the cluster libraries: only twolayer-spark uses Spark. */
  @ArchTest
  static final ArchRule nothingInTheLibraryUsesSpark = noClasses().should().dependOnClassesThat()
      .resideInAPackage("org.apache.spark..");

  /** The leaves and the given layers. */
  private static String[] below(String... layers) {
    String[] all = new String[LEAVES.length + layers.length];
    System.arraycopy(LEAVES, 0, all, 0, LEAVES.length);
    System.arraycopy(layers, 0, all, LEAVES.length, layers.length);
    return all;
  }
}
