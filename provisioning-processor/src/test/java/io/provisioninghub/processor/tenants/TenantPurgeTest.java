package io.provisioninghub.processor.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ExtensionSchema;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantExtensions;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TenantDeletionRecords;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a tenant, against the real broker and database: a DELETING snapshot on tenants.v1 makes
 * the processor remove every scim.* row of that tenant (and of no other), report it on
 * tenants.purges.v1, and refuse the deleted tenant's commands for good, while a tenant created
 * again with the same id starts empty and is served.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class TenantPurgeTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> TABLES =
      List.of(
          "users",
          "groups",
          "group_members",
          "unique_values",
          "event_feed",
          "processed_commands",
          "rate_limit_buckets");

  /** A tenant schema with a unique attribute, so that users claim values in unique_values. */
  private static final String HR = "urn:test:params:scim:schemas:extension:hr:2.0:User";

  private static final TenantExtensions EXTENSIONS =
      new TenantExtensions(
          List.of(
              new ExtensionSchema(
                  HR,
                  ResourceType.User,
                  "HR",
                  null,
                  List.of(
                      new ExtensionSchema.Attribute(
                          "employeeNumber",
                          "string",
                          null,
                          null,
                          null,
                          null,
                          null,
                          "server",
                          null)))),
          false);

  static TopicProbe outcomes;
  static TopicProbe purges;

  @BeforeAll
  static void openProbes() {
    outcomes = TopicProbe.open(bootstrap(), Topics.OUTCOMES);
    purges = TopicProbe.open(bootstrap(), Topics.TENANT_PURGES);
  }

  @AfterAll
  static void closeProbes() {
    outcomes.close();
    purges.close();
  }

  @Inject MeterRegistry registry;

  /**
   * Whoever can write tenants.v1 but is not the registry cannot erase a tenant: an unsigned
   * deletion, one signed by an unknown key, and a real signature replayed under another tenant are
   * all set aside, and every row stays.
   */
  @Test
  void aDeletionTheRegistryDidNotSignPurgesNothing() throws Exception {
    String tenant = "forged-" + UUID.randomUUID();
    Instant life = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
    provision(tenant, life, 2);
    // The events feed is filled by its own consumer: the counts before are taken once it holds
    // every event published, or a late feed row would look like a change the forged record made.
    awaitFeed(tenant);
    Map<String, Long> before = rows(tenant);
    double setAside = badSignatures();

    int forged = TenantDeletionRecords.publishForged(TenantDeletionRecords.deleting(tenant, life));

    await().atMost(WAIT).until(() -> badSignatures() >= setAside + forged);
    assertThat(rows(tenant)).isEqualTo(before);
    assertThat(purges.records(r -> tenant.equals(r.key()))).isEmpty();
  }

  private double badSignatures() {
    var counter =
        registry
            .find(SetAsideRecords.NAME)
            .tag("consumer", "tenant-deletions")
            .tag("reason", "bad_signature")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void purgeRemovesEveryRowOfTheTenantAndNoOther() throws Exception {
    String deleted = "purged-" + UUID.randomUUID();
    String other = "kept-" + UUID.randomUUID();
    Instant firstLife = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
    provision(deleted, firstLife, 3);
    provision(other, Instant.now().truncatedTo(ChronoUnit.MICROS), 2);
    // The events feed is filled by its own consumer: wait until it holds every event published.
    awaitFeed(deleted);
    awaitFeed(other);
    Map<String, Long> otherBefore = rows(other);
    Map<String, Long> deletedBefore = rows(deleted);
    assertThat(deletedBefore).allSatisfy((table, count) -> assertThat(count).isPositive());

    Instant requested = Instant.now().truncatedTo(ChronoUnit.MICROS);
    TenantDeletionRecords.publishSigned(
        TenantDeletionRecords.deleting(deleted, firstLife, requested));

    TenantPurged report =
        ContractJson.tenantPurged(
            purges.awaitOne(r -> deleted.equals(r.key()) && r.value() != null, WAIT).value());
    assertThat(report.tenantCreatedAt()).isEqualTo(firstLife);
    assertThat(rows(deleted)).allSatisfy((table, count) -> assertThat(count).isZero());
    assertThat(report.rowsDeleted())
        .isEqualTo(deletedBefore.values().stream().mapToLong(Long::longValue).sum());
    assertThat(rows(other)).isEqualTo(otherBefore);

    // A command of the deleted tenant still in flight is refused and brings nothing back, with or
    // without the tenant's creation time (a command written before commands carried it).
    ProvisioningCommand late = createUser(deleted, firstLife, "late@" + deleted);
    ProvisioningCommand legacy =
        new ProvisioningCommand(
            UUID.randomUUID(),
            deleted,
            ResourceType.User,
            UUID.randomUUID().toString(),
            Operation.CREATE,
            userPayload("legacy@" + deleted),
            requested,
            null,
            "test");
    send(late);
    send(legacy);
    assertThat(awaitOutcome(late).httpStatus()).isEqualTo(403);
    assertThat(awaitOutcome(legacy).httpStatus()).isEqualTo(403);
    assertThat(rows(deleted)).allSatisfy((table, count) -> assertThat(count).isZero());

    // The same id created again is a new tenant: served, and it starts empty.
    Instant secondLife = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ProvisioningCommand fresh = createUser(deleted, secondLife, "late@" + deleted);
    send(fresh);
    ProvisioningOutcome created = awaitOutcome(fresh);
    assertThat(created.httpStatus()).isEqualTo(201);
    assertThat(rows(deleted).get("users")).isEqualTo(1);
  }

  @Test
  void aDeletionSeenAgainIsReportedAgainWithoutPurgingTheNextTenant() throws Exception {
    String tenant = "again-" + UUID.randomUUID();
    Instant firstLife = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
    provision(tenant, firstLife, 1);
    TenantSnapshot deleting = TenantDeletionRecords.deleting(tenant, firstLife);
    TenantDeletionRecords.publishSigned(deleting);
    purges.awaitOne(r -> tenant.equals(r.key()), WAIT);

    Instant secondLife = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ProvisioningCommand fresh = createUser(tenant, secondLife, "second@" + tenant);
    send(fresh);
    assertThat(awaitOutcome(fresh).httpStatus()).isEqualTo(201);

    // The old deletion read again (a consumer that starts over) only reports again.
    TenantDeletionRecords.publishSigned(deleting);
    purges.await(r -> tenant.equals(r.key()), 2, WAIT);
    assertThat(rows(tenant).get("users")).isEqualTo(1);
  }

  /** {@code users} users in one group, all of one tenant life. */
  private static void provision(String tenant, Instant createdAt, int users) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < users; i++) {
      ProvisioningCommand create = createUser(tenant, createdAt, "user" + i + "@" + tenant);
      send(create);
      assertThat(awaitOutcome(create).httpStatus()).isEqualTo(201);
      ids.add(create.resourceId());
    }
    ObjectNode group = ContractJson.mapper().createObjectNode();
    group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
    group.put("displayName", "Group of " + tenant);
    var members = group.putArray("members");
    ids.forEach(id -> members.addObject().put("value", id));
    ProvisioningCommand createGroup =
        new ProvisioningCommand(
            UUID.randomUUID(),
            tenant,
            ResourceType.Group,
            UUID.randomUUID().toString(),
            Operation.CREATE,
            group,
            Instant.now(),
            null,
            "test",
            null,
            createdAt);
    send(createGroup);
    assertThat(awaitOutcome(createGroup).httpStatus()).isEqualTo(201);
    // The bucket a gateway with the shared rate limit keeps for the tenant (ADR 0013).
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement("select * from scim.take_rate_limit_tokens(?, 50, 500, 1)")) {
      s.setString(1, tenant);
      s.executeQuery().close();
    }
  }

  private static ProvisioningCommand createUser(String tenant, Instant createdAt, String userName) {
    return new ProvisioningCommand(
            UUID.randomUUID(),
            tenant,
            ResourceType.User,
            UUID.randomUUID().toString(),
            Operation.CREATE,
            userPayload(userName),
            Instant.now(),
            null,
            "test",
            null,
            createdAt)
        .withExtensions(EXTENSIONS);
  }

  private static ObjectNode userPayload(String userName) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User").add(HR);
    payload.put("userName", userName);
    payload.putObject(HR).put("employeeNumber", userName);
    payload.putArray("emails").addObject().put("value", userName).put("primary", true);
    return payload;
  }

  private static void send(ProvisioningCommand command) {
    TopicProbe.send(
        bootstrap(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
  }

  private static ProvisioningOutcome awaitOutcome(ProvisioningCommand command) {
    return ContractJson.outcome(
        outcomes
            .awaitOne(
                r -> ContractJson.outcome(r.value()).commandId().equals(command.commandId()), WAIT)
            .value());
  }

  /** Until the events feed holds as many of the tenant's events as its commands published. */
  private static void awaitFeed(String tenant) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> {
              try (Connection c = Infrastructure.shared().postgres().connect();
                  PreparedStatement s =
                      c.prepareStatement(
                          "select (select coalesce(sum(cardinality(event_ids)), 0)"
                              + " from scim.processed_commands where tenant_id = ?),"
                              + " (select count(*) from scim.event_feed where tenant_id = ?)")) {
                s.setString(1, tenant);
                s.setString(2, tenant);
                try (ResultSet rs = s.executeQuery()) {
                  rs.next();
                  return rs.getLong(1) > 0 && rs.getLong(1) == rs.getLong(2);
                }
              }
            });
  }

  /** The tenant's row count in each scim table. */
  private static Map<String, Long> rows(String tenant) throws Exception {
    return TenantDeletionRecords.rows("scim", TABLES, tenant);
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }
}
