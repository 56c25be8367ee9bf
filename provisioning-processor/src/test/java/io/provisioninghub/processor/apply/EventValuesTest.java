package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantExtensions;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.contracts.events.EventSchemas;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events carry the new values of what changed (issue 17): on the real broker and database, the
 * {@code changes} of every user and group event, removals as null, never a password, and the
 * tenant's event redaction honoured; every event's data valid against its published schema.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class EventValuesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TENANT = "tenant-event-values";
  private static final String ENTERPRISE =
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

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
  void aJoinerAndAMoverCarryTheirNewValuesAndNeverThePassword() throws Exception {
    String id = UUID.randomUUID().toString();
    ProvisioningCommand create =
        command(
            ResourceType.User,
            id,
            Operation.CREATE,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\""
                    + ENTERPRISE
                    + "\"],\"userName\":\"mover-"
                    + id
                    + "@contoso.com\",\"title\":\"Engineer\","
                    + "\"emails\":[{\"value\":\"m@contoso.com\",\"type\":\"work\"}],"
                    + "\""
                    + ENTERPRISE
                    + "\":{\"department\":\"R&D\",\"costCenter\":\"42\"}}"),
            null,
            null);
    // As the gateway sends a create with a password: the plaintext gone, only its hash.
    create =
        create.withPassword(create.payload(), true, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
    assertThat(apply(create).httpStatus()).isEqualTo(201);

    JsonNode created = data(events(create, 1).get(0));
    assertThat(created.get("event").asText()).isEqualTo("UserCreated");
    assertThat(created.get("changes").get("userName").asText())
        .isEqualTo("mover-" + id + "@contoso.com");
    assertThat(created.get("changes").get("title").asText()).isEqualTo("Engineer");
    assertThat(created.get("changes").get("emails").get(0).get("value").asText())
        .isEqualTo("m@contoso.com");
    assertThat(created.get("changes").get(ENTERPRISE + ":department").asText()).isEqualTo("R&D");
    assertThat(created.get("changedAttributes").toString()).contains("\"password\"");
    assertThat(created.get("changes").has("password")).isFalse();
    assertThat(created.toString()).doesNotContain("argon2").doesNotContain("aGFzaA");

    // A mover who is also disabled: department replaced, title removed, active false.
    ProvisioningCommand move =
        command(
            ResourceType.User,
            id,
            Operation.PATCH,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                    + "{\"op\":\"Replace\",\"path\":\""
                    + ENTERPRISE
                    + ":department\",\"value\":\"Sales\"},"
                    + "{\"op\":\"Remove\",\"path\":\"title\"},"
                    + "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}"),
            1L,
            null);
    assertThat(apply(move).httpStatus()).isEqualTo(200);
    List<ConsumerRecord<String, byte[]>> moved = events(move, 2);
    JsonNode updated = data(moved.get(0));
    JsonNode deactivated = data(moved.get(1));
    assertThat(updated.get("event").asText()).isEqualTo("UserUpdated");
    assertThat(deactivated.get("event").asText()).isEqualTo("UserDeactivated");
    for (JsonNode event : List.of(updated, deactivated)) {
      JsonNode changes = event.get("changes");
      assertThat(event.get("version").asLong()).isEqualTo(2);
      assertThat(changes.get(ENTERPRISE + ":department").asText()).isEqualTo("Sales");
      assertThat(changes.has("title")).isTrue();
      assertThat(changes.get("title").isNull()).isTrue();
      assertThat(changes.get("active").booleanValue()).isFalse();
      // Only what changed: the unchanged cost center and e-mail are not repeated.
      assertThat(changes.has(ENTERPRISE + ":costCenter")).isFalse();
      assertThat(changes.has("emails")).isFalse();
      List<String> names = new ArrayList<>();
      changes.fieldNames().forEachRemaining(names::add);
      assertThat(names)
          .containsExactlyInAnyOrderElementsOf(
              ContractJson.mapper().convertValue(event.get("changedAttributes"), List.class));
    }
  }

  @Test
  void theTenantsRedactedAttributesAreNamedButTheirValuesLeftOut() throws Exception {
    TenantExtensions redacting =
        new TenantExtensions(List.of(), false, List.of("Emails", ENTERPRISE));
    String id = UUID.randomUUID().toString();
    ProvisioningCommand create =
        command(
            ResourceType.User,
            id,
            Operation.CREATE,
            json(
                "{\"userName\":\"quiet-"
                    + id
                    + "\",\"emails\":[{\"value\":\"q@contoso.com\"}],\"displayName\":\"Q\","
                    + "\""
                    + ENTERPRISE
                    + "\":{\"employeeNumber\":\"E-7\"}}"),
            null,
            redacting);
    assertThat(apply(create).httpStatus()).isEqualTo(201);
    JsonNode created = data(events(create, 1).get(0));
    assertThat(created.get("changedAttributes").toString())
        .contains("\"emails\"")
        .contains(ENTERPRISE + ":employeeNumber");
    assertThat(created.get("changes").get("displayName").asText()).isEqualTo("Q");
    assertThat(created.get("changes").has("emails")).isFalse();
    assertThat(created.get("changes").has(ENTERPRISE + ":employeeNumber")).isFalse();
    assertThat(created.toString()).doesNotContain("q@contoso.com").doesNotContain("E-7");
  }

  @Test
  void groupEventsCarryTheirAttributesAndMembershipEventsTheMemberIds() throws Exception {
    String member = UUID.randomUUID().toString();
    assertThat(
            apply(
                    command(
                        ResourceType.User,
                        member,
                        Operation.CREATE,
                        json("{\"userName\":\"member-" + member + "\"}"),
                        null,
                        null))
                .httpStatus())
        .isEqualTo(201);
    String group = UUID.randomUUID().toString();
    ProvisioningCommand create =
        command(
            ResourceType.Group,
            group,
            Operation.CREATE,
            json(
                "{\"displayName\":\"Sales "
                    + group
                    + "\",\"externalId\":\"g-1\",\"members\":[{\"value\":\""
                    + member
                    + "\"}]}"),
            null,
            null);
    assertThat(apply(create).httpStatus()).isEqualTo(201);
    List<ConsumerRecord<String, byte[]>> published = events(create, 2);
    JsonNode created = data(published.get(0));
    JsonNode added = data(published.get(1));
    assertThat(created.get("changes").get("displayName").asText()).isEqualTo("Sales " + group);
    assertThat(created.get("changes").get("externalId").asText()).isEqualTo("g-1");
    assertThat(created.get("changes").has("members")).isFalse();
    assertThat(added.get("event").asText()).isEqualTo("MembershipAdded");
    assertThat(added.get("memberIds").toString()).contains(member);
    assertThat(added.has("changes")).isFalse();

    ProvisioningCommand rename =
        command(
            ResourceType.Group,
            group,
            Operation.PATCH,
            json(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                    + "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Sales EMEA "
                    + group
                    + "\"}]}"),
            null,
            null);
    assertThat(apply(rename).httpStatus()).isIn(200, 204);
    JsonNode updated = data(events(rename, 1).get(0));
    assertThat(updated.get("event").asText()).isEqualTo("GroupUpdated");
    assertThat(updated.get("changes").toString())
        .isEqualTo("{\"displayName\":\"Sales EMEA " + group + "\"}");
  }

  private static List<ConsumerRecord<String, byte[]>> events(
      ProvisioningCommand command, int count) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String ceId = command.commandId() + "-" + i;
      out.add(events.awaitOne(r -> header(r, "ce_id").equals(ceId), WAIT));
    }
    return out;
  }

  /** The event's data, checked against the published schema of its ce_type. */
  private static JsonNode data(ConsumerRecord<String, byte[]> record) throws Exception {
    JsonNode data = ContractJson.mapper().readTree(record.value());
    String type = header(record, "ce_type");
    assertThat(SCHEMAS.getSchema(EventSchemas.of(type)).validate(data)).as(type).isEmpty();
    return data;
  }

  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static ProvisioningOutcome apply(ProvisioningCommand command) {
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
    return ContractJson.outcome(
        outcomes
            .awaitOne(
                r -> ContractJson.outcome(r.value()).commandId().equals(command.commandId()), WAIT)
            .value());
  }

  private static ProvisioningCommand command(
      ResourceType type,
      String id,
      Operation op,
      ObjectNode payload,
      Long expectedVersion,
      TenantExtensions extensions) {
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
            expectedVersion)
        .withExtensions(extensions);
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) ContractJson.mapper().readTree(text);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
