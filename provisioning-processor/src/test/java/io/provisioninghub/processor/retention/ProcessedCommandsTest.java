package io.provisioninghub.processor.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code scim.processed_commands} on the real database: it keeps what dedupe and replay need and
 * nothing personal, its event payloads only until they are sent, and the retention job removes rows
 * older than the window and no newer ones.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class ProcessedCommandsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  static TopicProbe outcomes;
  static TopicProbe events;

  @Inject ProcessedCommandRetention retention;

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
  void theRowHoldsNoBodyNoDetailAndNoPersonalData() throws Exception {
    String tenant = "slim-" + UUID.randomUUID();
    String userName = "jane.doe." + UUID.randomUUID() + "@contoso.com";
    ProvisioningCommand create = createUser(tenant, userName);
    send(create);
    assertThat(awaitOutcomes(create, 1).get(0).httpStatus()).isEqualTo(201);
    ProvisioningCommand taken = createUser(tenant, userName.toUpperCase());
    send(taken);
    ProvisioningOutcome conflict = awaitOutcomes(taken, 1).get(0);
    assertThat(conflict.httpStatus()).isEqualTo(409);
    assertThat(conflict.detail()).containsIgnoringCase(userName); // the live answer quotes it

    // Once the broker has the events, their payloads leave the row; only their ids stay.
    await()
        .atMost(WAIT)
        .until(
            () ->
                text(
                        "select unsent_events::text from scim.processed_commands where command_id = ?",
                        create.commandId())
                    == null);
    for (ProvisioningCommand command : List.of(create, taken)) {
      String row =
          text(
              "select row_to_json(pc)::text from scim.processed_commands pc where command_id = ?",
              command.commandId());
      assertThat(row).isNotNull();
      assertThat(row.toLowerCase()).doesNotContain(userName.toLowerCase()).doesNotContain("jane");
      assertThat(row).doesNotContain("\"outcome\"").doesNotContain("\"events\"");
    }
    assertThat(
            text(
                "select array_to_string(event_ids, ',') from scim.processed_commands"
                    + " where command_id = ?",
                create.commandId()))
        .isEqualTo(create.commandId() + "-0");
  }

  @Test
  void aDuplicateGetsTheSameAnswerWithTheBodyReadFromTheStore() throws Exception {
    String tenant = "dup-" + UUID.randomUUID();
    ProvisioningCommand create = createUser(tenant, "dup@" + tenant);
    send(create);
    ProvisioningOutcome first = awaitOutcomes(create, 1).get(0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                text(
                        "select unsent_events::text from scim.processed_commands where command_id = ?",
                        create.commandId())
                    == null);

    send(create);
    ProvisioningOutcome again = awaitOutcomes(create, 2).get(1);

    assertThat(again).isEqualTo(first);
    assertThat(again.resource().get("userName").asText()).isEqualTo("dup@" + tenant);
    // Its events were confirmed sent: a duplicate sends none again.
    assertThat(eventsOf(create)).hasSize(1);
  }

  @Test
  void eventsNotConfirmedAreRepublishedWithTheSameIds() throws Exception {
    String tenant = "outbox-" + UUID.randomUUID();
    ProvisioningCommand create = createUser(tenant, "outbox@" + tenant);
    send(create);
    awaitOutcomes(create, 1);
    List<ConsumerRecord<String, byte[]>> sent = events.await(r -> ofCommand(r, create), 1, WAIT);
    await()
        .atMost(WAIT)
        .until(
            () ->
                text(
                        "select unsent_events::text from scim.processed_commands where command_id = ?",
                        create.commandId())
                    == null);
    // As if the processor had stopped after the commit and before the broker confirmed the
    // events: they are still in the row when the command comes again.
    String payload = new String(sent.get(0).value(), StandardCharsets.UTF_8);
    execute(
        "update scim.processed_commands set unsent_events = jsonb_build_array(?::jsonb)"
            + " where command_id = ?",
        payload,
        create.commandId());

    send(create);

    List<ConsumerRecord<String, byte[]>> both = events.await(r -> ofCommand(r, create), 2, WAIT);
    assertThat(ceId(both.get(1))).isEqualTo(ceId(both.get(0))).isEqualTo(create.commandId() + "-0");
    await()
        .atMost(WAIT)
        .until(
            () ->
                text(
                        "select unsent_events::text from scim.processed_commands where command_id = ?",
                        create.commandId())
                    == null);
  }

  @Test
  void retentionDeletesRowsOlderThanTheWindowAndKeepsNewerOnes() throws Exception {
    String tenant = "retention-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID old = insertRow(tenant, now.minus(Duration.ofDays(15)));
    UUID edge = insertRow(tenant, now.minus(Duration.ofDays(13)));
    UUID recent = insertRow(tenant, now.minus(Duration.ofMinutes(1)));

    long deleted = retention.purge(now).await().atMost(WAIT);

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(exists(old)).isFalse();
    assertThat(exists(edge)).isTrue();
    assertThat(exists(recent)).isTrue();
  }

  private static UUID insertRow(String tenant, Instant at) throws Exception {
    UUID id = UUID.randomUUID();
    execute(
        "insert into scim.processed_commands (command_id, tenant_id, status, http_status,"
            + " processed_at) values (?, ?, 'APPLIED', 204, ?::timestamptz)",
        id,
        tenant,
        at.toString());
    return id;
  }

  private static boolean exists(UUID commandId) throws Exception {
    return text("select 'x' from scim.processed_commands where command_id = ?", commandId) != null;
  }

  private static boolean ofCommand(ConsumerRecord<String, byte[]> record, ProvisioningCommand c) {
    String id = ceId(record);
    return id != null && id.startsWith(c.commandId().toString());
  }

  private static String ceId(ConsumerRecord<String, byte[]> record) {
    var header = record.headers().lastHeader("ce_id");
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<ConsumerRecord<String, byte[]>> eventsOf(ProvisioningCommand c) {
    return events.records(r -> ofCommand(r, c));
  }

  private static ProvisioningCommand createUser(String tenant, String userName) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    payload.put("userName", userName);
    payload.put("displayName", "Jane Doe");
    payload.putArray("emails").addObject().put("value", userName).put("primary", true);
    return new ProvisioningCommand(
        UUID.randomUUID(),
        tenant,
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.CREATE,
        payload,
        Instant.now(),
        null,
        "test");
  }

  private static void send(ProvisioningCommand command) {
    TopicProbe.send(
        bootstrap(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
  }

  private static List<ProvisioningOutcome> awaitOutcomes(ProvisioningCommand command, int count) {
    List<ProvisioningOutcome> found = new ArrayList<>();
    outcomes
        .await(
            r -> ContractJson.outcome(r.value()).commandId().equals(command.commandId()),
            count,
            WAIT)
        .forEach(r -> found.add(ContractJson.outcome(r.value())));
    return found;
  }

  private static String text(String sql, Object param) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, param);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void execute(String sql, Object... params) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.executeUpdate();
    }
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }
}
