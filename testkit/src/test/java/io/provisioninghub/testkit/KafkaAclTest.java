package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secured broker as production runs it: SCRAM-SHA-512 logins and the ACL matrix of {@link
 * KafkaAcls}. Only the registry may write tenant state and only the gateway (and the operators'
 * dead-letters principal) commands; every other principal is refused by the broker itself.
 */
class KafkaAclTest {

  private static KafkaBroker broker;
  private static final Map<String, String> PASSWORDS = new java.util.HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory("phub-testkit-acl-");
    broker = KafkaBroker.startSecured(work.resolve("kafka"), work.resolve("kafka.log"));
    for (String principal : KafkaAcls.PRINCIPALS) {
      String password = UUID.randomUUID().toString();
      broker.createUser(principal, password);
      PASSWORDS.put(principal, password);
    }
    broker.createUser("intruder", "intruder-password");
    PASSWORDS.put("intruder", "intruder-password");
    broker.grant(KafkaAcls.matrix());
    broker.ensureTopics(Infrastructure.TOPICS, Infrastructure.COMPACTED_TOPICS);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void onlyTheRegistryWritesTenantState() {
    send(KafkaAcls.REGISTRY, Topics.TENANTS);
    for (String other :
        new String[] {
          KafkaAcls.GATEWAY,
          KafkaAcls.PROCESSOR,
          KafkaAcls.AUDIT,
          KafkaAcls.GRAPH_SYNC,
          KafkaAcls.SAML_JIT,
          "intruder"
        }) {
      assertThatThrownBy(() -> send(other, Topics.TENANTS))
          .as(other + " writing " + Topics.TENANTS)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void onlyTheGatewayAndTheDeadLetterOperatorsWriteCommands() {
    send(KafkaAcls.GATEWAY, Topics.COMMANDS);
    send(KafkaAcls.DEAD_LETTERS, Topics.COMMANDS);
    // graph-sync and saml-jit write through the gateway's SCIM API, never to the topic.
    for (String other :
        new String[] {
          KafkaAcls.PROCESSOR,
          KafkaAcls.AUDIT,
          KafkaAcls.REGISTRY,
          KafkaAcls.GRAPH_SYNC,
          KafkaAcls.SAML_JIT,
          "intruder"
        }) {
      assertThatThrownBy(() -> send(other, Topics.COMMANDS))
          .as(other + " writing " + Topics.COMMANDS)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void eachServiceReadsWhatItNeedsAndNoMore() {
    String marker = "acl-" + UUID.randomUUID();
    sendValue(KafkaAcls.REGISTRY, Topics.TENANTS, marker);
    // The gateway serves tenants; graph-sync and saml-jit forget deleted ones.
    for (String reader :
        new String[] {KafkaAcls.GATEWAY, KafkaAcls.GRAPH_SYNC, KafkaAcls.SAML_JIT}) {
      try (TopicProbe view = TopicProbe.open(config(reader), Topics.TENANTS)) {
        view.awaitOne(
            r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).equals(marker),
            Duration.ofSeconds(20));
      }
    }
    assertThatThrownBy(() -> TopicProbe.open(config(KafkaAcls.AUDIT), Topics.TENANTS).close())
        .isInstanceOf(TopicAuthorizationException.class);
    for (String outsider : new String[] {KafkaAcls.GRAPH_SYNC, KafkaAcls.SAML_JIT}) {
      assertThatThrownBy(() -> TopicProbe.open(config(outsider), Topics.COMMANDS).close())
          .as(outsider + " reading " + Topics.COMMANDS)
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aWrongPasswordIsNotLetIn() {
    Map<String, String> wrong = broker.clientConfig(KafkaAcls.REGISTRY, "not-the-password");
    assertThatThrownBy(() -> TopicProbe.send(wrong, Topics.TENANTS, "k", new byte[] {1}, null))
        .hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void theMatrixGrantsNoTransactionalIdAndNoClusterRight() {
    assertThat(KafkaAcls.matrix())
        .allSatisfy(
            acl ->
                assertThat(acl.pattern().resourceType())
                    .isIn(
                        org.apache.kafka.common.resource.ResourceType.TOPIC,
                        org.apache.kafka.common.resource.ResourceType.GROUP));
  }

  private static void send(String principal, String topic) {
    sendValue(principal, topic, "probe");
  }

  private static void sendValue(String principal, String topic, String value) {
    TopicProbe.send(
        config(principal), topic, "acl-test", value.getBytes(StandardCharsets.UTF_8), null);
  }

  private static Map<String, String> config(String principal) {
    return broker.clientConfig(principal, PASSWORDS.get(principal));
  }
}
