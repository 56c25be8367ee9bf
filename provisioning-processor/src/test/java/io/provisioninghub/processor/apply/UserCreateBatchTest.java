package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.processor.users.UserCommands.PreparedCreate;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statement path for batches of user creates, against the real database and broker: it stores
 * exactly what the ORM path stores for the same create, and the batches it must not apply alone (a
 * repeat, a taken userName, a deleted tenant) get the same answers as before.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class UserCreateBatchTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TENANT = "tenant-create-batch";
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

  static TopicProbe outcomes;

  @Inject UserCreateBatch batch;

  @BeforeAll
  static void openProbes() {
    outcomes = TopicProbe.open(bootstrap(), Topics.OUTCOMES);
  }

  @AfterAll
  static void closeProbes() {
    outcomes.close();
  }

  @Test
  void aBatchOfCreatesStoresWhatTheSessionPathStores() throws Exception {
    // Through the broker alone: a batch of one, applied in the ORM session.
    ProvisioningCommand lone = create(TENANT, "lone-" + UUID.randomUUID(), true, null);
    send(lone);
    assertThat(awaitOutcomes(lone, 1).get(0).httpStatus()).isEqualTo(201);

    List<ProvisioningCommand> creates =
        List.of(
            create(TENANT, "first-" + UUID.randomUUID(), true, null),
            create(TENANT, "second-" + UUID.randomUUID(), false, HASH),
            create(TENANT, "third-" + UUID.randomUUID(), true, null));
    Optional<List<PreparedCreate>> prepared = batch.prepare(creates);
    assertThat(prepared).as("a batch of plain creates takes the statement path").isPresent();
    List<Applied> applied =
        batch.apply(creates, prepared.get(), i -> {}).await().atMost(WAIT).orElseThrow();

    assertThat(applied).hasSize(3);
    for (int i = 0; i < creates.size(); i++) {
      ProvisioningCommand command = creates.get(i);
      ProvisioningOutcome outcome = applied.get(i).outcome();
      assertThat(outcome.status()).isEqualTo(OutcomeStatus.APPLIED);
      assertThat(outcome.httpStatus()).isEqualTo(201);
      assertThat(outcome.version()).isEqualTo(1);
      assertThat(outcome.resource().get("id").asText()).isEqualTo(command.resourceId());
      assertThat(outcome.resource().get("userName").asText())
          .isEqualTo(command.payload().get("userName").asText());
      assertThat(outcome.resource().has("password")).isFalse();
      assertThat(applied.get(i).events()).hasSize(1);
      assertThat(applied.get(i).events().get(0).type()).endsWith("user.created.v1");
    }

    // Column for column as the session wrote the lone create, the document a JSON object.
    Map<String, Object> loneRow = userRow(lone);
    Map<String, Object> firstRow = userRow(creates.get(0));
    assertThat(firstRow.get("resource_type")).isEqualTo("object");
    assertThat(without(firstRow, "user_name", "resource", "created", "last_modified"))
        .isEqualTo(without(loneRow, "user_name", "resource", "created", "last_modified"));
    assertThat(document(firstRow, creates.get(0))).isEqualTo(document(loneRow, lone));
    Map<String, Object> secondRow = userRow(creates.get(1));
    assertThat(secondRow.get("active")).isEqualTo(false);
    assertThat(secondRow.get("password_hash")).isEqualTo(HASH);
    assertThat(firstRow.get("password_hash")).isNull();

    Map<String, Object> loneDedupe = dedupeRow(lone);
    Map<String, Object> firstDedupe = dedupeRow(creates.get(0));
    String[] own = {"resource_id", "event_ids", "unsent_events", "unsent_type", "processed_at"};
    assertThat(without(firstDedupe, own)).isEqualTo(without(loneDedupe, own));
    assertThat(firstDedupe.get("resource_id")).isEqualTo(creates.get(0).resourceId());
    assertThat(firstDedupe.get("event_ids")).isEqualTo("{" + creates.get(0).commandId() + "-0}");
    // Not published here (no consumer sent them): the events wait in the outbox, as JSON.
    assertThat(firstDedupe.get("unsent_type")).isEqualTo("array");
    // The answer's time is the stored one, so a repeated answer says the same.
    assertThat(((Timestamp) firstDedupe.get("processed_at")).toInstant())
        .isEqualTo(applied.get(0).outcome().appliedAt());
  }

  @Test
  void aCommandAppliedBeforeLeavesTheBatchToTheSessionPathAndWritesNothing() throws Exception {
    ProvisioningCommand earlier = create(TENANT, "earlier-" + UUID.randomUUID(), true, null);
    send(earlier);
    assertThat(awaitOutcomes(earlier, 1).get(0).httpStatus()).isEqualTo(201);
    ProvisioningCommand fresh = create(TENANT, "fresh-" + UUID.randomUUID(), true, null);
    List<ProvisioningCommand> commands = List.of(fresh, earlier);

    Optional<List<Applied>> applied =
        batch.apply(commands, batch.prepare(commands).orElseThrow(), i -> {}).await().atMost(WAIT);

    assertThat(applied).isEmpty();
    assertThat(userRows(fresh)).isZero();
  }

  @Test
  void aRepeatInABatchOfCreatesIsAppliedOnceAndAnsweredTheSame() throws Exception {
    ProvisioningCommand earlier = create(TENANT, "again-" + UUID.randomUUID(), true, null);
    send(earlier);
    ProvisioningOutcome first = awaitOutcomes(earlier, 1).get(0);
    ProvisioningCommand before = create(TENANT, "before-" + UUID.randomUUID(), true, null);
    ProvisioningCommand after = create(TENANT, "after-" + UUID.randomUUID(), true, null);

    sendTogether(List.of(before, earlier, after));

    assertThat(awaitOutcomes(earlier, 2).get(1)).isEqualTo(first);
    assertThat(awaitOutcomes(before, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(awaitOutcomes(after, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(userRows(earlier)).isEqualTo(1);
  }

  @Test
  void aTakenUserNameInABatchOfCreatesRefusesOnlyThatCreate() throws Exception {
    String name = "taken-" + UUID.randomUUID();
    ProvisioningCommand holder = create(TENANT, name, true, null);
    send(holder);
    assertThat(awaitOutcomes(holder, 1).get(0).httpStatus()).isEqualTo(201);
    ProvisioningCommand before = create(TENANT, "ok1-" + UUID.randomUUID(), true, null);
    ProvisioningCommand sameName = create(TENANT, name.toUpperCase(), true, null);
    ProvisioningCommand after = create(TENANT, "ok2-" + UUID.randomUUID(), true, null);

    sendTogether(List.of(before, sameName, after));

    ProvisioningOutcome refused = awaitOutcomes(sameName, 1).get(0);
    assertThat(refused.httpStatus()).isEqualTo(409);
    assertThat(refused.scimType()).isEqualTo("uniqueness");
    assertThat(userRows(sameName)).isZero();
    assertThat(awaitOutcomes(before, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(awaitOutcomes(after, 1).get(0).httpStatus()).isEqualTo(201);
  }

  @Test
  void createsOfADeletedTenantInABatchAreRefusedAndWriteNothing() throws Exception {
    String deleted = "tenant-deleted-" + UUID.randomUUID();
    Instant life = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
    markPurged(deleted, life);
    ProvisioningCommand refused = create(deleted, "gone-" + UUID.randomUUID(), true, null, life);
    ProvisioningCommand live = create(TENANT, "live-" + UUID.randomUUID(), true, null);
    List<ProvisioningCommand> commands = List.of(refused, live);

    List<Applied> applied =
        batch
            .apply(commands, batch.prepare(commands).orElseThrow(), i -> {})
            .await()
            .atMost(WAIT)
            .orElseThrow();

    assertThat(applied.get(0).outcome().httpStatus()).isEqualTo(403);
    assertThat(applied.get(0).events()).isEmpty();
    assertThat(applied.get(1).outcome().httpStatus()).isEqualTo(201);
    assertThat(userRows(refused)).isZero();
    assertThat(count("select count(*) from scim.processed_commands where tenant_id = ?", deleted))
        .isZero();
    assertThat(userRows(live)).isEqualTo(1);
  }

  @Test
  void batchesTheStatementPathDoesNotTake() {
    ProvisioningCommand plain = create(TENANT, "plain-" + UUID.randomUUID(), true, null);
    ObjectNode withManager = plain.payload().deepCopy();
    withManager
        .putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        .putObject("manager")
        .put("value", UUID.randomUUID().toString());
    ProvisioningCommand managed = create(TENANT, withManager, null, Instant.now());
    ProvisioningCommand patch =
        new ProvisioningCommand(
            UUID.randomUUID(),
            TENANT,
            ResourceType.User,
            plain.resourceId(),
            Operation.PATCH,
            plain.payload(),
            Instant.now(),
            null,
            "test");

    assertThat(batch.prepare(List.of(plain, managed))).as("a manager to look up").isEmpty();
    assertThat(batch.prepare(List.of(plain, patch))).as("another operation").isEmpty();
    assertThat(batch.prepare(List.of(plain, plain))).as("a command twice").isEmpty();
    assertThat(batch.prepare(List.of(plain))).isPresent();
  }

  private static ProvisioningCommand create(
      String tenant, String userName, boolean active, String passwordHash) {
    return create(tenant, userName, active, passwordHash, Instant.now());
  }

  private static ProvisioningCommand create(
      String tenant, String userName, boolean active, String passwordHash, Instant tenantLife) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    payload.put("userName", userName);
    payload.put("externalId", "ext-" + userName);
    payload.put("displayName", "Name of " + userName);
    payload.put("active", active);
    payload.putArray("emails").addObject().put("value", userName + "@contoso.com");
    return create(tenant, payload, passwordHash, tenantLife);
  }

  private static ProvisioningCommand create(
      String tenant, ObjectNode payload, String passwordHash, Instant tenantLife) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        tenant,
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.CREATE,
        payload,
        Instant.now(),
        null,
        "test",
        null,
        passwordHash == null ? null : true,
        passwordHash,
        tenantLife,
        null);
  }

  /** The lone create's document, as the first one's: the same shape, other values. */
  private static ObjectNode document(Map<String, Object> row, ProvisioningCommand command)
      throws Exception {
    ObjectNode doc = (ObjectNode) ContractJson.mapper().readTree((String) row.get("resource"));
    assertThat(doc.get("id").asText()).isEqualTo(command.resourceId());
    String userName = command.payload().get("userName").asText();
    assertThat(doc.get("userName").asText()).isEqualTo(userName);
    assertThat(doc.get("externalId").asText()).isEqualTo("ext-" + userName);
    assertThat(doc.get("displayName").asText()).isEqualTo("Name of " + userName);
    assertThat(doc.at("/emails/0/value").asText()).isEqualTo(userName + "@contoso.com");
    doc.put("id", "x").put("userName", "x").put("externalId", "x").put("displayName", "x");
    ((ObjectNode) doc.at("/emails/0")).put("value", "x");
    return doc;
  }

  private static Map<String, Object> without(Map<String, Object> row, String... columns) {
    Map<String, Object> copy = new LinkedHashMap<>(row);
    for (String column : columns) {
      copy.remove(column);
    }
    copy.remove("id");
    copy.remove("command_id");
    copy.remove("external_id");
    copy.remove("display_name");
    copy.remove("password_hash");
    return copy;
  }

  private static Map<String, Object> userRow(ProvisioningCommand command) throws Exception {
    return row(
        "select tenant_id, id, user_name, external_id, active, display_name, resource::text as"
            + " resource, jsonb_typeof(resource) as resource_type, password_hash, version,"
            + " created, last_modified, created = last_modified as same_time"
            + " from scim.users where tenant_id = ? and id = ?",
        command.tenantId(),
        UUID.fromString(command.resourceId()));
  }

  private static Map<String, Object> dedupeRow(ProvisioningCommand command) throws Exception {
    return row(
        "select command_id, tenant_id, status, http_status, scim_type, resource_type,"
            + " resource_id, version, event_ids::text as event_ids, unsent_events::text as"
            + " unsent_events, jsonb_typeof(unsent_events) as unsent_type, processed_at"
            + " from scim.processed_commands where command_id = ?",
        command.commandId());
  }

  private static Map<String, Object> row(String sql, Object... params) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("a row for %s", List.of(params)).isTrue();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        return row;
      }
    }
  }

  private static void markPurged(String tenant, Instant life) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into scim.tenant_purges (tenant_id, tenant_created_at,"
                    + " deletion_requested_at, state, started_at, purged_at)"
                    + " values (?, ?, now(), 'PURGED', now(), now())")) {
      s.setString(1, tenant);
      s.setTimestamp(2, Timestamp.from(life));
      s.executeUpdate();
    }
  }

  private static long userRows(ProvisioningCommand command) throws Exception {
    return count(
        "select count(*) from scim.users where id = ?", UUID.fromString(command.resourceId()));
  }

  private static long count(String sql, Object param) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, param);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void send(ProvisioningCommand command) {
    TopicProbe.send(
        bootstrap(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
  }

  private static void sendTogether(List<ProvisioningCommand> commands) {
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (ProvisioningCommand command : commands) {
      records.add(Map.entry(command.kafkaKey(), ContractJson.toBytes(command)));
    }
    TopicProbe.sendTogether(bootstrap(), Topics.COMMANDS, records);
  }

  private static List<ProvisioningOutcome> awaitOutcomes(ProvisioningCommand command, int count) {
    return outcomes
        .await(
            r -> ContractJson.outcome(r.value()).commandId().equals(command.commandId()),
            count,
            WAIT)
        .stream()
        .map(r -> ContractJson.outcome(r.value()))
        .toList();
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }
}
