package io.provisioninghub.system;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of the design, checked on the compiled classes of every module. */
class ArchitectureTest {

  static final List<String> SERVICES =
      List.of("gateway", "processor", "registry", "audit", "graphsync");

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    Path root = Path.of(System.getProperty("phub.root", ".."));
    try (Stream<Path> modules = Files.list(root)) {
      Path[] dirs =
          modules
              .map(m -> m.resolve("target/classes"))
              .filter(Files::isDirectory)
              .toArray(Path[]::new);
      classes = new ClassFileImporter().importPaths(dirs);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(classes.containPackage("io.provisioninghub.gateway")).isTrue();
    assertThat(classes.containPackage("io.provisioninghub.processor")).isTrue();
    assertThat(classes.containPackage("io.provisioninghub.support")).isTrue();
  }

  @Test
  void servicesNeverDependOnEachOther() {
    for (String service : SERVICES) {
      for (String other : SERVICES) {
        if (!service.equals(other)) {
          noClasses()
              .that()
              .resideInAPackage("io.provisioninghub." + service + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("io.provisioninghub." + other + "..")
              .allowEmptyShould(true)
              .check(classes);
        }
      }
    }
  }

  @Test
  void servicesUseOnlyTheSharedModulesAndTheirOwnCode() {
    for (String service : SERVICES) {
      String own = "io.provisioninghub." + service + "..";
      classes()
          .that()
          .resideInAPackage(own)
          .should()
          .onlyDependOnClassesThat(
              resideOutsideOfPackage("io.provisioninghub..")
                  .or(
                      resideInAnyPackage(
                          own,
                          "io.provisioninghub.contracts..",
                          "io.provisioninghub.scim..",
                          "io.provisioninghub.support..")))
          .check(classes);
    }
  }

  /**
   * No ORM anywhere: each service holds the SQL of its own schema, and the processor writes through
   * the reactive PostgreSQL client alone (ADR 0020, amendment of 2026-12-05).
   */
  @Test
  void noModuleUsesAnOrm() {
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.hibernate..", "jakarta.persistence..", "io.quarkus.hibernate..")
        .check(classes);
  }

  @Test
  void serviceSupportDependsOnNoServiceAndNoFramework() {
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.support..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "io.vertx..",
            "io.provisioninghub.gateway..",
            "io.provisioninghub.processor..",
            "io.provisioninghub.registry..",
            "io.provisioninghub.audit..",
            "io.provisioninghub.testkit..")
        .check(classes);
  }

  /**
   * SmallRye libraries in two places only, each as a plain library its users already carry: the
   * tenant-deletion reader retries with Mutiny, the source services' token signer uses
   * smallrye-jwt's builder. Nothing else in service-support knows SmallRye.
   */
  @Test
  void serviceSupportUsesSmallRyeLibrariesOnlyWhereNamed() {
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.support..")
        .and()
        .resideOutsideOfPackages(
            "io.provisioninghub.support.tenants..", "io.provisioninghub.support.sources..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.smallrye..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.support.tenants..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.smallrye..").and(resideOutsideOfPackage("io.smallrye.mutiny..")))
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.support.sources..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.smallrye..").and(resideOutsideOfPackage("io.smallrye.jwt..")))
        .check(classes);
  }

  /**
   * Only the services' shared metrics producers know CDI, and only its annotations; the admin APIs'
   * refusal ({@code support.http}) knows the JAX-RS API and nothing else of Jakarta.
   */
  @Test
  void onlyServiceSupportsCdiPackageUsesCdi() {
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.support..")
        .and()
        .resideOutsideOfPackages(
            "io.provisioninghub.support.metrics.cdi..", "io.provisioninghub.support.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta..", "org.eclipse.microprofile..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.support.http..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("jakarta..", "org.eclipse.microprofile..")
                .and(resideOutsideOfPackage("jakarta.ws.rs..")))
        .check(classes);
  }

  @Test
  void scimCoreHasNoFrameworkAndNoIo() {
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.scim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "io.vertx..",
            "jakarta..",
            "java.sql..",
            "java.net.http..",
            "org.apache.kafka..")
        .check(classes);
  }

  @Test
  void contractsDependOnNoServiceAndNoFramework() {
    noClasses()
        .that()
        .resideInAPackage("io.provisioninghub.contracts..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "io.vertx..",
            "io.provisioninghub.gateway..",
            "io.provisioninghub.processor..",
            "io.provisioninghub.scim..")
        .check(classes);
  }

  /**
   * The load generator (bench) is no production code: its graph-sync workload runs the test kit's
   * Graph simulator in its own process, as the tests do.
   */
  @Test
  void productionCodeNeverUsesTheTestkit() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.provisioninghub.testkit..", "io.provisioninghub.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.provisioninghub.testkit..")
        .check(classes);
  }
}
