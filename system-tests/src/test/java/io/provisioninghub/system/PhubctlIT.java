package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaAcls;
import io.provisioninghub.testkit.TopicProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator CLI as an operator runs it: the packaged {@code phubctl.jar} ({@code mvn package})
 * in a process of its own, against the production jars of the registry, gateway, processor and
 * audit log on a real broker and database. A tenant is onboarded and served end to end, its
 * credential rotated and revoked, its operations read back, and a dead letter re-driven and one
 * dismissed, with the processor's dead-letter backlog gauge following.
 */
class PhubctlIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static SystemUnderTest sut;
  private static Map<String, String> env;

  @BeforeAll
  static void connect() {
    sut = SystemUnderTest.get();
    Assumptions.assumeTrue(sut.ownsSystem(), "needs the services this JVM started");
    env = new LinkedHashMap<>();
    env.put("PHUB_ADMIN_URL", sut.registryService.baseUrl() + "/admin/v1");
    env.put("PHUB_ADMIN_TOKEN", sut.adminToken());
    env.put("PHUB_AUDIT_URL", sut.audit().baseUrl() + "/audit/v1");
    env.put("PHUB_SUPPORT_TOKEN", sut.supportToken());
    Infrastructure.shared()
        .kafkaConfig(KafkaAcls.DEAD_LETTERS)
        .forEach((k, v) -> env.put("KAFKA_" + k.toUpperCase().replace('.', '_'), v));
    env.put("USER", "ops-alice");
  }

  @Test
  void onboardsATenantWhoseIdentityProviderThenProvisionsThroughTheGateway() {
    String tenant = "cli-" + sut.suffix;
    Run created =
        phubctl(
            "tenants",
            "create",
            "--id",
            tenant,
            "--display-name",
            "CLI Tenant",
            "--requests-per-second",
            "20",
            "--burst",
            "40",
            "--output",
            "json");
    assertThat(created.code).as(created.err).isZero();
    assertThat(created.json().path("id").asText()).isEqualTo(tenant);
    assertThat(created.json().path("rateLimit").path("requestsPerSecond").asInt()).isEqualTo(20);

    Run issued = phubctl("--output", "json", "credentials", "issue", tenant);
    assertThat(issued.code).as(issued.err).isZero();
    String secret = issued.json().path("secret").asText();
    String credentialId = issued.json().path("id").asText();
    assertThat(secret).startsWith("phub_");

    // The customer's identity provider, with the secret the operator handed over.
    Scim idp = sut.tenantA.as(secret);
    String userName = "cli-user-" + UUID.randomUUID() + "@contoso.com";
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> idp.post("/Users", user(userName)).status() == 201);

    // The customer's admin's way in to the console: a one-time link, listed without its secret.
    Run link = phubctl("--output", "json", "tenants", "setup-link", tenant);
    assertThat(link.code).as(link.err).isZero();
    String url = link.json().path("url").asText();
    String linkId = link.json().path("id").asText();
    assertThat(url).contains("/console/setup/phub_setup_");
    String linkSecret = url.substring(url.lastIndexOf('/') + 1);
    Run links = phubctl("tenants", "setup-links", tenant);
    assertThat(links.out).contains(linkId).contains("active").doesNotContain(linkSecret);
    assertThat(phubctl("tenants", "revoke-setup-link", tenant, linkId).code).isZero();
    assertThat(phubctl("tenants", "setup-links", tenant).out).contains("revoked");

    Run list = phubctl("tenants", "list");
    assertThat(list.code).isZero();
    assertThat(list.out).contains(tenant).contains("ACTIVE").contains("CLI Tenant");

    Run limited =
        phubctl("tenants", "rate-limit", tenant, "--requests-per-second", "5", "--burst", "10");
    assertThat(limited.code).as(limited.err).isZero();
    JsonNode limitedTenant = phubctl("tenants", "get", tenant, "--output", "json").json();
    assertThat(limitedTenant.path("rateLimit").path("burst").asInt()).isEqualTo(10);

    assertThat(phubctl("tenants", "suspend", tenant).code).isZero();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> idp.get("/Users?count=1").status() == 403);
    assertThat(phubctl("tenants", "resume", tenant).code).isZero();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> idp.get("/Users?count=1").status() == 200);

    // Rotation: a new secret; the old one works until revoked.
    Run rotated =
        phubctl(
            "credentials",
            "rotate",
            tenant,
            credentialId,
            "--old-valid-for",
            "1h",
            "--output",
            "json");
    assertThat(rotated.code).as(rotated.err).isZero();
    Scim rotatedIdp = sut.tenantA.as(rotated.json().path("secret").asText());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rotatedIdp.get("/Users?count=1").status() == 200);
    assertThat(phubctl("credentials", "revoke", tenant, credentialId).code).isZero();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> idp.get("/Users?count=1").status() == 401);
    Run credentials = phubctl("credentials", "list", tenant);
    assertThat(credentials.out).contains(credentialId).contains("REVOKED").doesNotContain(secret);

    // What support sees of it: the create, from the audit log.
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Run ops = phubctl("audit", "operations", tenant, "--output", "json");
              return ops.code == 0 && ops.out.contains(userName);
            });
    Run text = phubctl("audit", "operations", tenant, "--status", "success");
    assertThat(text.out).contains("success").contains("create").contains(userName);
    assertThat(phubctl("audit", "summary", tenant).code).isZero();
  }

  @Test
  void aDeadLetterIsReDrivenAndAnotherDismissedWhileTheBacklogGaugeFollows() throws Exception {
    String tenant = "tenant-a-" + sut.suffix;
    // An unreadable command: the processor sets it aside on the dead-letter topic.
    String poisonKey = tenant + "/User/" + UUID.randomUUID();
    TopicProbe.send(
        Infrastructure.shared().kafkaConfig(KafkaAcls.GATEWAY),
        Topics.COMMANDS,
        poisonKey,
        "not a command".getBytes(StandardCharsets.UTF_8),
        new RecordHeaders());
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> phubctl("dead-letters", "list").out.contains(poisonKey));
    awaitBacklogAtLeast(1);
    Run dismissed = phubctl("dead-letters", "dismiss", "--all");
    assertThat(dismissed.code).as(dismissed.err).isZero();
    assertThat(phubctl("dead-letters", "list").out).doesNotContain(poisonKey);
    awaitBacklog(0);

    // A command that failed for a reason since fixed, set aside as the processor does it: the
    // operator re-drives it and the processor applies it.
    String userId = UUID.randomUUID().toString();
    ProvisioningCommand create =
        new ProvisioningCommand(
            UUID.randomUUID(),
            tenant,
            ResourceType.User,
            userId,
            Operation.CREATE,
            JSON.readTree(user("redriven-" + userId + "@contoso.com")),
            Instant.now(),
            null,
            "scim");
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        io.provisioninghub.contracts.DeadLetters.REASON,
        "connection refused".getBytes(StandardCharsets.UTF_8));
    headers.add(
        io.provisioninghub.contracts.DeadLetters.ORIGINAL_TOPIC,
        Topics.COMMANDS.getBytes(StandardCharsets.UTF_8));
    TopicProbe.send(
        Infrastructure.shared().kafkaConfig(KafkaAcls.PROCESSOR),
        Topics.COMMANDS_DLQ,
        create.kafkaKey(),
        ContractJson.toBytes(create),
        headers);
    awaitBacklogAtLeast(1);
    Run redriven = phubctl("dead-letters", "redrive", "--all");
    assertThat(redriven.code).as(redriven.err).isZero();
    assertThat(redriven.out).contains("by ops-alice");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sut.tenantA.get("/Users/" + userId).status() == 200);
    awaitBacklog(0);
  }

  @Test
  void theJarHasHelpAndFailuresHaveTheirExitCodes() throws Exception {
    // Every subcommand's --help is checked in-process (PhubctlApiTest); here the packaged jar's.
    for (String[] args : new String[][] {{"--help"}, {"dead-letters", "redrive", "--help"}}) {
      Run help = phubctl(args);
      assertThat(help.code).as(String.join(" ", args) + ": " + help.err).isZero();
      assertThat(help.out).contains("Usage: phubctl");
    }
    // Not found, refused and wrong arguments; the admin API unreachable.
    assertThat(phubctl("tenants", "get", "no-such-tenant-" + sut.suffix).code).isEqualTo(1);
    assertThat(phubctl("tenants", "delete", "tenant-a-" + sut.suffix).code)
        .as("a deletion without --yes")
        .isEqualTo(2);
    assertThat(phubctl("tenants", "rate-limit", "x", "--burst", "1").code).isEqualTo(2);
    assertThat(phubctl("tenants", "list", "--output", "yaml").code).isEqualTo(2);
    Map<String, String> wrongToken = new LinkedHashMap<>(env);
    wrongToken.put("PHUB_ADMIN_TOKEN", "not-a-token");
    assertThat(run(wrongToken, "tenants", "list").code).isEqualTo(1);
    Map<String, String> noToken = new LinkedHashMap<>(env);
    noToken.remove("PHUB_ADMIN_TOKEN");
    Run missing = run(noToken, "tenants", "list");
    assertThat(missing.code).isEqualTo(2);
    assertThat(missing.err).contains("PHUB_ADMIN_TOKEN");
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Run down =
        phubctl("--admin-url", "http://127.0.0.1:" + closed + "/admin/v1", "tenants", "list");
    assertThat(down.code).isEqualTo(3);
  }

  private void awaitBacklog(long expected) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> backlog() == expected);
  }

  private void awaitBacklogAtLeast(long expected) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> backlog() >= expected);
  }

  private static double backlog() {
    return Scrape.of(sut.processorService.managementUrl())
        .value("phub_dead_letter_backlog_records", Map.of("topic", Topics.COMMANDS_DLQ))
        .orElse(-1.0);
  }

  private static String user(String userName) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
        + userName
        + "\",\"active\":true}";
  }

  private static Run phubctl(String... args) {
    return run(env, args);
  }

  /** {@code java -jar dead-letters/target/phubctl.jar args} with exactly these variables. */
  private static Run run(Map<String, String> variables, String... args) {
    Path root = Path.of(System.getProperty("phub.root", ".."));
    Path jar = root.resolve("dead-letters/target/phubctl.jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("phubctl-", ".out");
      Path err = Files.createTempFile("phubctl-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().clear();
      builder.environment().putAll(variables);
      Process process = builder.start();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("phubctl " + String.join(" ", args) + " did not end");
      }
      Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Run(int code, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + out + err, e);
      }
    }
  }
}
