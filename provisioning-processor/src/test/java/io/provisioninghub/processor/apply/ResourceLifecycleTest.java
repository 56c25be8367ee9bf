package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PATCH, PUT, DELETE, groups, membership and domain events against the real broker and database.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class ResourceLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TENANT = "tenant-life";

  static TopicProbe outcomes;
  static TopicProbe events;

  @BeforeAll
  static void openProbes() {
    String bootstrap = Infrastructure.shared().kafka().bootstrapServers();
    outcomes = TopicProbe.open(bootstrap, Topics.OUTCOMES);
    events = TopicProbe.open(bootstrap, Topics.EVENTS);
  }

  @AfterAll
  static void closeProbes() {
    outcomes.close();
    events.close();
  }

  @Test
  void entraDisableIsAPatchThatBumpsTheVersionAndEmitsDeactivated() throws Exception {
    String userId = createUser("leaver-" + UUID.randomUUID());
    ProvisioningCommand disable =
        command(
            ResourceType.User,
            userId,
            Operation.PATCH,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}"),
            1L);

    ProvisioningOutcome outcome = apply(disable);

    assertThat(outcome.httpStatus()).isEqualTo(200);
    assertThat(outcome.version()).isEqualTo(2);
    assertThat(outcome.resource().get("active").isBoolean()).isTrue();
    assertThat(outcome.resource().get("active").booleanValue()).isFalse();
    ConsumerRecord<String, byte[]> event =
        events.awaitOne(r -> header(r, "ce_id").equals(disable.commandId() + "-0"), WAIT);
    assertThat(header(event, "ce_type")).isEqualTo("io.provisioninghub.user.deactivated.v1");
    assertThat(header(event, "ce_subject")).isEqualTo(userId);
    assertThat(event.key()).isEqualTo(TENANT + "/" + userId);
    JsonNode data = ContractJson.mapper().readTree(event.value());
    assertThat(data.get("version").asLong()).isEqualTo(2);
    assertThat(data.get("changedAttributes").toString()).contains("active");
  }

  @Test
  void ifMatchOnAStaleVersionIs412AndChangesNothing() throws Exception {
    String userId = createUser("stale-" + UUID.randomUUID());
    ProvisioningCommand stale =
        command(
            ResourceType.User,
            userId,
            Operation.PATCH,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"X\"}]}"),
            7L);

    assertThat(apply(stale).httpStatus()).isEqualTo(412);
    assertThat(count("select version from scim.users where id = ?", UUID.fromString(userId)))
        .isEqualTo(1);
  }

  @Test
  void groupMembershipIsASetAndDeletingAUserRemovesItsMemberships() throws Exception {
    String alice = createUser("alice-" + UUID.randomUUID());
    String bob = createUser("bob-" + UUID.randomUUID());
    String groupId = UUID.randomUUID().toString();
    ProvisioningOutcome created =
        apply(
            command(
                ResourceType.Group,
                groupId,
                Operation.CREATE,
                json(
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\","
                        + "\"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group\"],"
                        + "\"displayName\":\"Sales "
                        + groupId
                        + "\",\"members\":[{\"value\":\""
                        + alice
                        + "\"}]}"),
                null));
    assertThat(created.httpStatus()).isEqualTo(201);
    assertThat(created.resource().get("members")).hasSize(1);

    ProvisioningCommand addTwice = addMembers(groupId, alice, bob);
    assertThat(apply(addTwice).httpStatus()).isEqualTo(204);
    assertThat(members(groupId)).isEqualTo(2);
    ConsumerRecord<String, byte[]> added =
        events.awaitOne(r -> header(r, "ce_id").equals(addTwice.commandId() + "-0"), WAIT);
    assertThat(header(added, "ce_type")).isEqualTo("io.provisioninghub.group.membership.added.v1");
    assertThat(new String(added.value(), StandardCharsets.UTF_8))
        .contains(bob)
        .doesNotContain(alice);

    ProvisioningCommand removeAlice =
        command(
            ResourceType.Group,
            groupId,
            Operation.PATCH,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"Remove\",\"path\":\"members[value eq \\\""
                    + alice
                    + "\\\"]\"}]}"),
            null);
    assertThat(apply(removeAlice).httpStatus()).isEqualTo(204);
    assertThat(members(groupId)).isEqualTo(1);

    ProvisioningCommand deleteBob = command(ResourceType.User, bob, Operation.DELETE, null, null);
    assertThat(apply(deleteBob).httpStatus()).isEqualTo(204);
    assertThat(members(groupId)).isZero();
    assertThat(count("select count(*) from scim.users where id = ?", UUID.fromString(bob)))
        .isZero();
  }

  @Test
  void addingAnUnknownMemberIs400AndAddsNobody() throws Exception {
    String alice = createUser("carol-" + UUID.randomUUID());
    String groupId = UUID.randomUUID().toString();
    apply(
        command(
            ResourceType.Group,
            groupId,
            Operation.CREATE,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"G "
                    + groupId
                    + "\"}"),
            null));

    ProvisioningOutcome outcome = apply(addMembers(groupId, alice, UUID.randomUUID().toString()));

    assertThat(outcome.httpStatus()).isEqualTo(400);
    assertThat(outcome.scimType()).isEqualTo("invalidValue");
    assertThat(members(groupId)).isZero();
  }

  @Test
  void redeliveredPatchAppliesOnceAndPublishesItsEventOnce() throws Exception {
    String userId = createUser("dup-" + UUID.randomUUID());
    ProvisioningCommand patch =
        command(
            ResourceType.User,
            userId,
            Operation.PATCH,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"name.givenName\":\"Dee\"}}]}"),
            null);

    send(patch);
    send(patch);
    List<ProvisioningOutcome> answers =
        outcomes.await(r -> outcomeOf(r).commandId().equals(patch.commandId()), 2, WAIT).stream()
            .map(ResourceLifecycleTest::outcomeOf)
            .toList();

    assertThat(answers.get(0)).isEqualTo(answers.get(1));
    assertThat(answers.get(0).version()).isEqualTo(2);
    // The event was confirmed by the broker the first time, so the redelivery sends it no more
    // (an unconfirmed one would go again with the same id: ProcessedCommandsTest).
    java.util.function.Predicate<ConsumerRecord<String, byte[]>> ofPatch =
        r -> header(r, "ce_id").startsWith(patch.commandId().toString());
    events.await(ofPatch, 1, WAIT);
    org.awaitility.Awaitility.await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> events.records(ofPatch).size() == 1);
    assertThat(events.records(ofPatch))
        .extracting(r -> header(r, "ce_id"))
        .containsExactly(patch.commandId() + "-0");
  }

  private String createUser(String userName) throws Exception {
    String id = UUID.randomUUID().toString();
    ProvisioningOutcome outcome =
        apply(
            command(
                ResourceType.User,
                id,
                Operation.CREATE,
                json(
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                        + userName
                        + "\",\"active\":true}"),
                null));
    assertThat(outcome.httpStatus()).isEqualTo(201);
    return id;
  }

  private static ProvisioningCommand addMembers(String groupId, String... ids) throws Exception {
    StringBuilder values = new StringBuilder();
    for (String id : ids) {
      values
          .append(values.length() == 0 ? "" : ",")
          .append("{\"value\":\"")
          .append(id)
          .append("\"}");
    }
    return command(
        ResourceType.Group,
        groupId,
        Operation.PATCH,
        json(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":["
                + values
                + "]}]}"),
        null);
  }

  private static ProvisioningOutcome apply(ProvisioningCommand command) {
    send(command);
    return outcomeOf(
        outcomes.awaitOne(r -> outcomeOf(r).commandId().equals(command.commandId()), WAIT));
  }

  private static void send(ProvisioningCommand command) {
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
  }

  private static ProvisioningCommand command(
      ResourceType type, String id, Operation op, ObjectNode payload, Long expectedVersion) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        TENANT,
        type,
        id,
        op,
        payload,
        Instant.now(),
        null,
        "test",
        expectedVersion);
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) ContractJson.mapper().readTree(text);
  }

  private static ProvisioningOutcome outcomeOf(ConsumerRecord<String, byte[]> record) {
    return ContractJson.outcome(record.value());
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static long members(String groupId) throws Exception {
    return count(
        "select count(*) from scim.group_members where tenant_id = '"
            + TENANT
            + "' and group_id = ?",
        UUID.fromString(groupId));
  }

  private static long count(String sql, Object param) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, param);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
