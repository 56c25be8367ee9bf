package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several consumers in one processor apply commands of different resources at the same time. Every
 * command must be applied (none dead-lettered, none answered 5xx) and the store must end in the
 * state the commands describe. (Written when the processor used Hibernate Reactive, whose sessions
 * concurrent deletes once used across event loops, HR000069; each transaction now holds its own
 * connection of the reactive client.)
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@TestProfile(ParallelConsumersTest.FourConsumers.class)
class ParallelConsumersTest {

  /** Four consumers in this processor, whatever the default. */
  public static class FourConsumers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("phub.processor.consumers", "4");
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int USERS = 100;

  static TopicProbe outcomes;
  static TopicProbe deadLetters;

  @ConfigProperty(name = "mp.messaging.incoming.commands.concurrency")
  int consumers;

  @BeforeAll
  static void openProbes() {
    String bootstrap = Infrastructure.shared().kafka().bootstrapServers();
    outcomes = TopicProbe.open(bootstrap, Topics.OUTCOMES);
    deadLetters = TopicProbe.open(bootstrap, Topics.COMMANDS_DLQ);
  }

  @AfterAll
  static void closeProbes() {
    outcomes.close();
    deadLetters.close();
  }

  @Test
  void concurrentWritesOfManyResourcesAreAllApplied() throws Exception {
    assertThat(consumers).as("this test needs parallel consumers").isGreaterThan(1);
    String tenant = "parallel-" + UUID.randomUUID();

    List<ProvisioningCommand> creates = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      ObjectNode user = ContractJson.mapper().createObjectNode();
      user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
      user.put("userName", "user-" + i + "@" + tenant);
      user.put("active", true);
      creates.add(command(tenant, ResourceType.User, UUID.randomUUID().toString(), user));
    }
    assertAllAnswered(sendAll(creates), 201);

    ObjectNode group = ContractJson.mapper().createObjectNode();
    group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
    group.put("displayName", "Everyone " + tenant);
    ArrayNode members = group.putArray("members");
    creates.forEach(c -> members.addObject().put("value", c.resourceId()));
    String groupId = UUID.randomUUID().toString();
    assertAllAnswered(sendAll(List.of(command(tenant, ResourceType.Group, groupId, group))), 201);

    // Deactivate every user, then delete every user (which also removes its membership), all
    // at once: commands of different users run in parallel on different consumers.
    List<ProvisioningCommand> deactivations = new ArrayList<>();
    List<ProvisioningCommand> deletes = new ArrayList<>();
    for (ProvisioningCommand create : creates) {
      ObjectNode patch =
          (ObjectNode)
              ContractJson.mapper()
                  .readTree(
                      "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                          + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\","
                          + "\"value\":\"False\"}]}");
      deactivations.add(
          new ProvisioningCommand(
              UUID.randomUUID(),
              tenant,
              ResourceType.User,
              create.resourceId(),
              Operation.PATCH,
              patch,
              Instant.now(),
              null,
              "test",
              null));
      deletes.add(
          new ProvisioningCommand(
              UUID.randomUUID(),
              tenant,
              ResourceType.User,
              create.resourceId(),
              Operation.DELETE,
              null,
              Instant.now(),
              null,
              "test",
              null));
    }
    List<ProvisioningCommand> both = new ArrayList<>(deactivations);
    both.addAll(deletes);
    List<ProvisioningOutcome> answers = sendAll(both);
    assertAllAnswered(
        answers.stream().filter(o -> isIn(o, deactivations)).toList(), 200, deactivations.size());
    assertAllAnswered(answers.stream().filter(o -> isIn(o, deletes)).toList(), 204, deletes.size());

    Set<UUID> ids = both.stream().map(ProvisioningCommand::commandId).collect(Collectors.toSet());
    assertThat(deadLetters.records().stream().map(r -> r.key()).filter(k -> k != null))
        .noneMatch(k -> k.startsWith(tenant + "/"));
    assertThat(ids).hasSize(2 * USERS);
    assertThat(count("select count(*) from scim.users where tenant_id = ?", tenant)).isZero();
    assertThat(count("select count(*) from scim.group_members where tenant_id = ?", tenant))
        .isZero();
    assertThat(count("select count(*) from scim.processed_commands where tenant_id = ?", tenant))
        .isEqualTo(3L * USERS + 1);
  }

  private static boolean isIn(ProvisioningOutcome outcome, List<ProvisioningCommand> commands) {
    return commands.stream().anyMatch(c -> c.commandId().equals(outcome.commandId()));
  }

  private static void assertAllAnswered(List<ProvisioningOutcome> answers, int status) {
    assertAllAnswered(answers, status, answers.size());
  }

  private static void assertAllAnswered(
      List<ProvisioningOutcome> answers, int status, int expected) {
    assertThat(answers).hasSize(expected);
    assertThat(answers)
        .allSatisfy(
            o -> {
              assertThat(o.status()).isEqualTo(OutcomeStatus.APPLIED);
              assertThat(o.httpStatus()).isEqualTo(status);
            });
  }

  private static List<ProvisioningOutcome> sendAll(List<ProvisioningCommand> commands) {
    Map<UUID, ProvisioningCommand> byId =
        commands.stream()
            .collect(Collectors.toMap(ProvisioningCommand::commandId, Function.identity()));
    String bootstrap = Infrastructure.shared().kafka().bootstrapServers();
    for (ProvisioningCommand c : commands) {
      TopicProbe.send(
          bootstrap, Topics.COMMANDS, c.kafkaKey(), ContractJson.toBytes(c), new RecordHeaders());
    }
    return outcomes
        .await(r -> byId.containsKey(outcomeOf(r).commandId()), commands.size(), WAIT)
        .stream()
        .map(ParallelConsumersTest::outcomeOf)
        .toList();
  }

  private static ProvisioningCommand command(
      String tenant, ResourceType type, String id, ObjectNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        tenant,
        type,
        id,
        Operation.CREATE,
        payload,
        Instant.now(),
        null,
        "test",
        null);
  }

  private static ProvisioningOutcome outcomeOf(ConsumerRecord<String, byte[]> record) {
    return ContractJson.outcome(record.value());
  }

  private static long count(String sql, String tenant) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
