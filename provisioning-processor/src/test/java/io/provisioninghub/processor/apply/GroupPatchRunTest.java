package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consecutive member changes to one group arriving together are applied as one set operation, and
 * answer exactly as the same changes applied one at a time: the same statuses, versions, events and
 * final membership.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class GroupPatchRunTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TENANT = "tenant-group-runs";

  static TopicProbe outcomes;
  static TopicProbe events;

  @BeforeAll
  static void openProbes() {
    outcomes = TopicProbe.open(bootstrap(), Topics.OUTCOMES);
    events = TopicProbe.open(bootstrap(), Topics.EVENTS);
  }

  @AfterAll
  static void closeProbes() {
    outcomes.close();
    events.close();
  }

  @Test
  void memberChangesTogetherAnswerAsTheSameChangesOneAtATime() throws Exception {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      users.add(
          apply(createUser("run-member-" + i + "-" + UUID.randomUUID()))
              .resource()
              .get("id")
              .asText());
    }
    String alone = createGroup("alone-" + UUID.randomUUID());
    String together = createGroup("together-" + UUID.randomUUID());
    // u0 is a member of both before; then: add u1, add u2, remove u1, add u1 and u3 and u0 (a
    // member already), remove u0 and add it back in one PATCH (which changes nothing), remove u2
    // and an id that never was.
    apply(patch(alone, List.of(users.get(0)), List.of()));
    apply(patch(together, List.of(users.get(0)), List.of()));
    Function<String, List<ProvisioningCommand>> changes =
        group ->
            List.of(
                patch(group, List.of(users.get(1)), List.of()),
                patch(group, List.of(users.get(2)), List.of()),
                patch(group, List.of(), List.of(users.get(1))),
                patch(group, List.of(users.get(1), users.get(3), users.get(0)), List.of()),
                patch(group, List.of(users.get(0)), List.of(users.get(0))),
                patch(group, List.of(), List.of(users.get(2), UUID.randomUUID().toString())));
    List<ProvisioningCommand> oneAtATime = changes.apply(alone);
    List<ProvisioningCommand> run = changes.apply(together);
    assertThat(CommandApplier.groupPatchesUntil(run, 0, c -> false))
        .as("the changes form one run")
        .isEqualTo(run.size());

    List<ProvisioningOutcome> aloneAnswers = new ArrayList<>();
    for (ProvisioningCommand command : oneAtATime) {
      aloneAnswers.add(apply(command));
    }
    sendTogether(run);
    List<ProvisioningOutcome> runAnswers = new ArrayList<>();
    for (ProvisioningCommand command : run) {
      runAnswers.add(awaitOutcome(command));
    }

    assertThat(runAnswers.stream().map(o -> o.httpStatus() + " v" + o.version()).toList())
        .isEqualTo(aloneAnswers.stream().map(o -> o.httpStatus() + " v" + o.version()).toList())
        .containsExactly("204 v3", "204 v4", "204 v5", "204 v6", "204 v6", "204 v7");
    assertThat(members(together)).isEqualTo(members(alone));
    assertThat(members(together))
        .containsExactlyInAnyOrder(users.get(0), users.get(1), users.get(3));
    assertThat(version(together)).isEqualTo(version(alone)).isEqualTo(7);
    for (int i = 0; i < run.size(); i++) {
      if (i == 4) {
        continue; // no change, no event: checked below, once the last change's event is in
      }
      assertThat(eventOf(run.get(i), together))
          .as("the event of change %d", i)
          .isEqualTo(eventOf(oneAtATime.get(i), alone));
    }
    String noChange = run.get(4).commandId() + "-";
    assertThat(events.records(r -> header(r, "ce_id").startsWith(noChange))).isEmpty();
  }

  @Test
  void anUnknownMemberInARunRefusesOnlyThatChange() throws Exception {
    String member =
        apply(createUser("run-known-" + UUID.randomUUID())).resource().get("id").asText();
    String group = createGroup("unknown-member-" + UUID.randomUUID());
    ProvisioningCommand before = patch(group, List.of(member), List.of());
    ProvisioningCommand unknown = patch(group, List.of(UUID.randomUUID().toString()), List.of());
    ProvisioningCommand after = patch(group, List.of(), List.of(member));

    sendTogether(List.of(before, unknown, after));

    assertThat(awaitOutcome(before).httpStatus()).isEqualTo(204);
    ProvisioningOutcome refused = awaitOutcome(unknown);
    assertThat(refused.httpStatus()).isEqualTo(400);
    assertThat(refused.scimType()).isEqualTo("invalidValue");
    assertThat(awaitOutcome(after).httpStatus()).isEqualTo(204);
    assertThat(members(group)).isEmpty();
    assertThat(version(group)).isEqualTo(3);
  }

  /** The command's one event as type, version and members (sorted). */
  private static String eventOf(ProvisioningCommand command, String group) throws Exception {
    String ceId = command.commandId() + "-0";
    ConsumerRecord<String, byte[]> event =
        events.awaitOne(r -> ceId.equals(header(r, "ce_id")), WAIT);
    JsonNode data = ContractJson.mapper().readTree(event.value());
    assertThat(data.get("resourceId").asText()).isEqualTo(group);
    return header(event, "ce_type")
        + " v"
        + data.get("version").asLong()
        + " "
        + new TreeSet<>(ContractJson.mapper().convertValue(data.get("memberIds"), List.class));
  }

  private static String createGroup(String name) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
    payload.put("displayName", name);
    ProvisioningOutcome created =
        apply(command(ResourceType.Group, UUID.randomUUID().toString(), Operation.CREATE, payload));
    assertThat(created.httpStatus()).isEqualTo(201);
    return created.resource().get("id").asText();
  }

  private static ProvisioningCommand createUser(String userName) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    payload.put("userName", userName);
    return command(ResourceType.User, UUID.randomUUID().toString(), Operation.CREATE, payload);
  }

  /** An Entra-shaped member PATCH: its removals, then its additions. */
  private static ProvisioningCommand patch(String group, List<String> add, List<String> remove) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
    ArrayNode ops = payload.putArray("Operations");
    if (!remove.isEmpty()) {
      ArrayNode values =
          ops.addObject().put("op", "Remove").put("path", "members").putArray("value");
      remove.forEach(id -> values.addObject().put("value", id));
    }
    if (!add.isEmpty()) {
      ArrayNode values = ops.addObject().put("op", "Add").put("path", "members").putArray("value");
      add.forEach(id -> values.addObject().put("value", id));
    }
    return command(ResourceType.Group, group, Operation.PATCH, payload);
  }

  private static ProvisioningCommand command(
      ResourceType type, String id, Operation op, ObjectNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(), TENANT, type, id, op, payload, Instant.now(), null, "test");
  }

  private static ProvisioningOutcome apply(ProvisioningCommand command) {
    TopicProbe.send(
        bootstrap(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
    return awaitOutcome(command);
  }

  private static void sendTogether(List<ProvisioningCommand> commands) {
    TopicProbe.sendTogether(
        bootstrap(),
        Topics.COMMANDS,
        commands.stream().map(c -> Map.entry(c.kafkaKey(), ContractJson.toBytes(c))).toList());
  }

  private static ProvisioningOutcome awaitOutcome(ProvisioningCommand command) {
    return ContractJson.outcome(
        outcomes
            .awaitOne(
                r -> ContractJson.outcome(r.value()).commandId().equals(command.commandId()), WAIT)
            .value());
  }

  private static List<String> members(String group) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "select member_id from scim.group_members where tenant_id = ? and group_id = ?"
                    + " order by member_id")) {
      s.setString(1, TENANT);
      s.setObject(2, UUID.fromString(group));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static long version(String group) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement("select version from scim.groups where tenant_id = ? and id = ?")) {
      s.setString(1, TENANT);
      s.setObject(2, UUID.fromString(group));
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }
}
