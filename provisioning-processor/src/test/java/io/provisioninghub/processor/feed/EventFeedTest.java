package io.provisioninghub.processor.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The events feed on the real broker and database: every event the processor publishes lands in
 * {@code scim.event_feed} once, in the order of its resource, scoped to its tenant; a redelivered
 * event is dropped by its id; a record that is not an event is set aside without stopping the feed;
 * retention deletes what is older than its period.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class EventFeedTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject EventFeedRetention retention;

  @Test
  void everyPublishedEventIsInItsTenantsFeedOnceAndInOrder() throws Exception {
    String tenant = "feed-" + UUID.randomUUID();
    String other = "feed-other-" + UUID.randomUUID();
    String user = UUID.randomUUID().toString();
    List<ProvisioningCommand> commands = new ArrayList<>();
    commands.add(command(tenant, user, Operation.CREATE, "{\"userName\":\"f-" + user + "\"}"));
    commands.add(
        command(
            tenant,
            user,
            Operation.PATCH,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Boss\"}]}"));
    commands.add(command(tenant, user, Operation.DELETE, null));
    commands.add(
        command(
            other,
            UUID.randomUUID().toString(),
            Operation.CREATE,
            "{\"userName\":\"o-" + user + "\"}"));
    // Something on the topic that is not an event of ours: set aside, the feed goes on.
    send(
        "garbage-without-tenant", "not json".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
    for (ProvisioningCommand c : commands) {
      send(c.kafkaKey(), ContractJson.toBytes(c), new RecordHeaders(), Topics.COMMANDS);
    }

    List<String> expected =
        List.of(
            commands.get(0).commandId() + "-0",
            commands.get(1).commandId() + "-0",
            commands.get(2).commandId() + "-0");
    await().atMost(WAIT).until(() -> feed(tenant).size() == 3);
    List<String[]> rows = feed(tenant);
    assertThat(rows.stream().map(r -> r[0]).toList()).containsExactlyElementsOf(expected);
    assertThat(rows.stream().map(r -> r[1]).toList())
        .containsExactly(
            "io.provisioninghub.user.created.v1",
            "io.provisioninghub.user.updated.v1",
            "io.provisioninghub.user.deleted.v1");
    assertThat(ContractJson.mapper().readTree(rows.get(1)[2]).at("/changes/title").asText())
        .isEqualTo("Boss");
    await().atMost(WAIT).until(() -> feed(other).size() == 1);

    // The same event again (a redelivery after a crash): still one row.
    byte[] data = rows.get(0)[2].getBytes(StandardCharsets.UTF_8);
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_id", expected.get(0).getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", "io.provisioninghub.user.created.v1".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_subject", user.getBytes(StandardCharsets.UTF_8));
    send(tenant + "/" + user, data, headers);
    String marker = UUID.randomUUID().toString();
    ProvisioningCommand after =
        command(tenant, marker, Operation.CREATE, "{\"userName\":\"m-" + marker + "\"}");
    send(after.kafkaKey(), ContractJson.toBytes(after), new RecordHeaders(), Topics.COMMANDS);
    await().atMost(WAIT).until(() -> feed(tenant).size() == 4);
    assertThat(feed(tenant).get(3)[0]).isEqualTo(after.commandId() + "-0");
  }

  @Test
  void anEventTheDatabaseRefusesIsSetAsideAndTheFeedGoesOn() throws Exception {
    String tenant = "feed-poison-" + UUID.randomUUID();
    String resource = UUID.randomUUID().toString();
    // Valid JSON that jsonb cannot hold (U+0000), as nothing but a forged record could carry.
    String poison = UUID.randomUUID() + "-0";
    send(
        tenant + "/" + resource,
        "{\"tenantId\":\"x\",\"userName\":\"a\\u0000b\"}".getBytes(StandardCharsets.UTF_8),
        ceHeaders(poison, resource));
    String good = UUID.randomUUID() + "-0";
    send(
        tenant + "/" + resource,
        "{\"tenantId\":\"x\",\"userName\":\"ab\"}".getBytes(StandardCharsets.UTF_8),
        ceHeaders(good, resource));
    await().atMost(WAIT).until(() -> feed(tenant).size() == 1);
    assertThat(feed(tenant).get(0)[0]).isEqualTo(good);
  }

  private static RecordHeaders ceHeaders(String id, String subject) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", "io.provisioninghub.user.created.v1".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_subject", subject.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  @Test
  void retentionDeletesWhatIsOlderThanItsPeriod() throws Exception {
    String tenant = "feed-old-" + UUID.randomUUID();
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into scim.event_feed (tenant_id, event_id, type, subject, time, data,"
                    + " stored_at) values (?, ?, 't', 's', now(), '{}', now() - ?::interval)")) {
      for (String[] row : new String[][] {{"old", "8 days"}, {"new", "1 day"}}) {
        s.setString(1, tenant);
        s.setString(2, tenant + "-" + row[0]);
        s.setString(3, row[1]);
        s.executeUpdate();
      }
    }
    long oldSeq = seqOf(tenant + "-old");
    retention.purge(Instant.now()).await().atMost(WAIT);
    assertThat(feed(tenant).stream().map(r -> r[0]).toList()).containsExactly(tenant + "-new");
    // The horizon tells readers how far retention went: at least the deleted row's seq.
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement("select seq from scim.event_feed_horizon where id = 1");
        ResultSet rs = s.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(oldSeq).isLessThan(seqOf(tenant + "-new"));
    }
  }

  private static ProvisioningCommand command(String tenant, String id, Operation op, String payload)
      throws Exception {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        tenant,
        ResourceType.User,
        id,
        op,
        payload == null ? null : ContractJson.mapper().readTree(payload),
        Instant.now(),
        null,
        "test",
        null);
  }

  private static void send(String key, byte[] value, RecordHeaders headers) {
    send(key, value, headers, Topics.EVENTS);
  }

  private static void send(String key, byte[] value, RecordHeaders headers, String topic) {
    TopicProbe.send(Infrastructure.shared().kafka().bootstrapServers(), topic, key, value, headers);
  }

  private static long seqOf(String eventId) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement("select seq from scim.event_feed where event_id = ?")) {
      s.setString(1, eventId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The tenant's feed in seq order: event id, type, data. */
  private static List<String[]> feed(String tenant) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "select event_id, type, data::text from scim.event_feed where tenant_id = ?"
                    + " order by seq")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
    }
    return rows;
  }
}
