package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.processor.metrics.ApplyMetrics;
import io.provisioninghub.support.consumer.SetAsideRecords;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The processor against the real broker and database: apply once, outcomes, failures, DLQ. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class CommandConsumerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  static TopicProbe outcomes;
  static TopicProbe deadLetters;

  @Inject MeterRegistry registry;

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
  void createIsCommittedAndAnswered() throws Exception {
    ProvisioningCommand create = createUser("tenant-a", "Alice@Contoso.com");

    send(create);
    ProvisioningOutcome outcome = awaitOutcomes(create, 1).get(0);

    assertThat(outcome.status()).isEqualTo(OutcomeStatus.APPLIED);
    assertThat(outcome.httpStatus()).isEqualTo(201);
    assertThat(outcome.version()).isEqualTo(1);
    assertThat(outcome.resource().get("id").asText()).isEqualTo(create.resourceId());
    assertThat(outcome.resource().get("userName").asText()).isEqualTo("Alice@Contoso.com");
    assertThat(outcome.resource().at("/meta/resourceType").asText()).isEqualTo("User");
    assertThat(outcome.resource().at("/meta/version").asText()).isEqualTo("W/\"1\"");
    assertThat(userRows("tenant-a", create.resourceId())).isEqualTo(1);
  }

  @Test
  void redeliveredCommandIsAppliedOnceAndAnsweredTheSame() throws Exception {
    ProvisioningCommand create = createUser("tenant-a", "twice-" + UUID.randomUUID());

    send(create);
    send(create);

    assertAnsweredTwiceAppliedOnce(create);
  }

  /** The same command twice in one poll (one record batch): applied once, answered the same. */
  @Test
  void commandRepeatedWithinOneBatchIsAppliedOnce() throws Exception {
    ProvisioningCommand create = createUser("tenant-a", "repeated-" + UUID.randomUUID());
    Map.Entry<String, byte[]> record = Map.entry(create.kafkaKey(), ContractJson.toBytes(create));

    TopicProbe.sendTogether(bootstrap(), Topics.COMMANDS, List.of(record, record));

    assertAnsweredTwiceAppliedOnce(create);
  }

  /** Two identical 201 answers, one user row, one processed_commands row. */
  private static void assertAnsweredTwiceAppliedOnce(ProvisioningCommand create) throws Exception {
    List<ProvisioningOutcome> answers = awaitOutcomes(create, 2);
    assertThat(answers.get(0)).isEqualTo(answers.get(1));
    assertThat(answers.get(0).httpStatus()).isEqualTo(201);
    assertThat(userRows("tenant-a", create.resourceId())).isEqualTo(1);
    assertThat(
            count(
                "select count(*) from scim.processed_commands where command_id = ?",
                create.commandId()))
        .isEqualTo(1);
  }

  @Test
  void userNameIsUniquePerTenantIgnoringCase() throws Exception {
    String name = "bob-" + UUID.randomUUID() + "@contoso.com";
    ProvisioningCommand first = createUser("tenant-a", name);
    ProvisioningCommand sameNameOtherCase = createUser("tenant-a", name.toUpperCase());
    ProvisioningCommand otherTenant = createUser("tenant-b", name);

    send(first);
    assertThat(awaitOutcomes(first, 1).get(0).httpStatus()).isEqualTo(201);
    send(sameNameOtherCase);
    send(otherTenant);

    ProvisioningOutcome conflict = awaitOutcomes(sameNameOtherCase, 1).get(0);
    assertThat(conflict.httpStatus()).isEqualTo(409);
    assertThat(conflict.scimType()).isEqualTo("uniqueness");
    assertThat(conflict.status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(conflict.resource()).isNull();
    assertThat(userRows("tenant-a", sameNameOtherCase.resourceId())).isZero();
    assertThat(awaitOutcomes(otherTenant, 1).get(0).httpStatus()).isEqualTo(201);
  }

  @Test
  void failedCommandDoesNotStopTheConsumer() throws Exception {
    ProvisioningCommand noUserName =
        command("tenant-a", Operation.CREATE, ContractJson.mapper().createObjectNode());
    ProvisioningCommand next = createUser("tenant-a", "after-failure-" + UUID.randomUUID());

    send(noUserName);
    send(next);

    assertThat(awaitOutcomes(noUserName, 1).get(0).httpStatus()).isEqualTo(400);
    assertThat(awaitOutcomes(next, 1).get(0).httpStatus()).isEqualTo(201);
  }

  /**
   * Commands that arrive together are applied as a batch in one transaction; when one of them is
   * refused the batch is applied command by command. Either way every command gets its own answer,
   * the commands of one resource apply in order, and each is recorded once.
   */
  @Test
  void commandsArrivingTogetherAreEachAnsweredAndAppliedInOrder() throws Exception {
    String tenant = "batch-" + UUID.randomUUID();
    ProvisioningCommand create = createUser(tenant, "carol@" + tenant);
    ProvisioningCommand rename = follow(create, Operation.PATCH, patch("displayName", "\"Carol\""));
    ProvisioningCommand disable = follow(create, Operation.PATCH, patch("active", "false"));
    ProvisioningCommand noUserName =
        command(tenant, Operation.CREATE, ContractJson.mapper().createObjectNode());
    ProvisioningCommand missing =
        follow(createUser(tenant, "nobody"), Operation.PATCH, patch("active", "false"));
    ProvisioningCommand createOther = createUser(tenant, "dave@" + tenant);
    ProvisioningCommand deleteOther = follow(createOther, Operation.DELETE, null);
    List<ProvisioningCommand> all =
        List.of(create, rename, disable, noUserName, missing, createOther, deleteOther);
    double beyondOneBefore = recordsBeyondOnePerPoll();

    sendTogether(all, ProvisioningCommand::kafkaKey);

    assertThat(awaitOutcomes(create, 1).get(0).httpStatus()).isEqualTo(201);
    ProvisioningOutcome renamed = awaitOutcomes(rename, 1).get(0);
    assertThat(renamed.httpStatus()).isEqualTo(200);
    assertThat(renamed.version()).isEqualTo(2);
    ProvisioningOutcome disabled = awaitOutcomes(disable, 1).get(0);
    assertThat(disabled.version()).isEqualTo(3);
    assertThat(disabled.resource().get("active").asBoolean()).isFalse();
    assertThat(disabled.resource().get("displayName").asText()).isEqualTo("Carol");
    assertThat(awaitOutcomes(noUserName, 1).get(0).httpStatus()).isEqualTo(400);
    assertThat(awaitOutcomes(missing, 1).get(0).httpStatus()).isEqualTo(404);
    assertThat(awaitOutcomes(createOther, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(awaitOutcomes(deleteOther, 1).get(0).httpStatus()).isEqualTo(204);

    assertThat(userRows(tenant, create.resourceId())).isEqualTo(1);
    assertThat(userRows(tenant, createOther.resourceId())).isZero();
    assertThat(count("select count(*) from scim.processed_commands where tenant_id = ?", tenant))
        .isEqualTo(all.size());
    // The three commands of the first user share a partition and one record batch: at least one
    // poll handed the consumer more than one record.
    assertThat(recordsBeyondOnePerPoll()).isGreaterThan(beyondOneBefore);
  }

  /**
   * In a batch, a userName change is checked against the names the batch itself wrote before it
   * (still pending until the check flushes them), and a command that keeps its userName skips the
   * check. Erin takes the name Frank gave up earlier in the same batch; later, Frank cannot take it
   * back.
   */
  @Test
  void userNameChangesInABatchSeeTheNamesTheBatchWroteBefore() throws Exception {
    String tenant = "rename-" + UUID.randomUUID();
    ProvisioningCommand erin = createUser(tenant, "erin@" + tenant);
    ProvisioningCommand frank = createUser(tenant, "frank@" + tenant);
    ProvisioningCommand frankDisplayName =
        follow(frank, Operation.PATCH, patch("displayName", "\"Frank\""));
    ProvisioningCommand frankRenamed =
        follow(frank, Operation.PATCH, patch("userName", "\"frank.new@" + tenant + "\""));
    ProvisioningCommand erinTakesFranksOldName =
        follow(erin, Operation.PATCH, patch("userName", "\"Frank@" + tenant + "\""));
    List<ProvisioningCommand> together =
        List.of(erin, frank, frankDisplayName, frankRenamed, erinTakesFranksOldName);
    double beyondOneBefore = recordsBeyondOnePerPoll();

    // One key for all five: one partition, so they arrive in this order and in few polls.
    sendTogether(together, c -> erin.kafkaKey());

    assertThat(awaitOutcomes(erin, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(awaitOutcomes(frank, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(awaitOutcomes(frankDisplayName, 1).get(0).version()).isEqualTo(2);
    ProvisioningOutcome renamed = awaitOutcomes(frankRenamed, 1).get(0);
    assertThat(renamed.httpStatus()).isEqualTo(200);
    assertThat(renamed.version()).isEqualTo(3);
    ProvisioningOutcome taken = awaitOutcomes(erinTakesFranksOldName, 1).get(0);
    assertThat(taken.httpStatus()).as(taken.toString()).isEqualTo(200);
    assertThat(taken.resource().get("userName").asText()).isEqualTo("Frank@" + tenant);
    assertThat(recordsBeyondOnePerPoll()).isGreaterThan(beyondOneBefore);

    ProvisioningCommand frankTakesItBack =
        follow(frank, Operation.PATCH, patch("userName", "\"FRANK@" + tenant + "\""));
    send(frankTakesItBack);
    ProvisioningOutcome refused = awaitOutcomes(frankTakesItBack, 1).get(0);
    assertThat(refused.httpStatus()).isEqualTo(409);
    assertThat(refused.scimType()).isEqualTo("uniqueness");
  }

  @Test
  void poisonRecordIsDeadLetteredWithItsReasonAndTheConsumerGoesOn() throws Exception {
    String key = "tenant-a/User/" + UUID.randomUUID();
    ProvisioningCommand next = createUser("tenant-a", "after-poison-" + UUID.randomUUID());
    double setAsideBefore = setAside("unreadable");

    TopicProbe.send(
        bootstrap(), Topics.COMMANDS, key, "{not json".getBytes(StandardCharsets.UTF_8), null);
    send(next);

    ConsumerRecord<String, byte[]> dead = deadLetters.awaitOne(r -> key.equals(r.key()), WAIT);
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    assertThat(header(dead, "dead-letter-reason")).contains("not JSON");
    assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topics.COMMANDS);
    assertThat(dead.headers().lastHeader("dead-letter-offset")).isNotNull();
    assertThat(awaitOutcomes(next, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(setAside("unreadable")).isEqualTo(setAsideBefore + 1);
  }

  /** The meters exist once the consumer handled its first batch; before that, nothing counted. */
  private double setAside(String reason) {
    var counter =
        registry
            .find(SetAsideRecords.NAME)
            .tag("consumer", "processor")
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double retries() {
    var counter = registry.find(ApplyMetrics.RETRIES).counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * PostgreSQL refuses U+0000 in text (SQL state 22021) on every attempt: the command is answered
   * 400 invalidValue at once (the gateway answers its client in milliseconds, not 503 after its
   * wait), recorded like any outcome so a redelivery answers the same, not dead-lettered, and the
   * consumer goes on.
   */
  @Test
  void nulInPayloadIsAnswered400NotRetried() throws Exception {
    ProvisioningCommand nul = createUser("tenant-a", "nul\u0000" + UUID.randomUUID());
    ProvisioningCommand next = createUser("tenant-a", "after-nul-" + UUID.randomUUID());
    double retriesBefore = retries();

    Instant sent = Instant.now();
    send(nul);
    ProvisioningOutcome refused =
        outcomeOf(
            outcomes.awaitOne(
                r -> outcomeOf(r).commandId().equals(nul.commandId()), Duration.ofSeconds(5)));
    assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(5));
    send(next);

    assertThat(refused.httpStatus()).isEqualTo(400);
    assertThat(refused.scimType()).isEqualTo("invalidValue");
    assertThat(refused.status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(refused.detail()).contains("U+0000").doesNotContain("\u0000");
    assertThat(refused.resource()).isNull();
    assertThat(awaitOutcomes(next, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(userRows("tenant-a", nul.resourceId())).isZero();
    assertThat(
            count(
                "select count(*) from scim.processed_commands where command_id = ?",
                nul.commandId()))
        .isEqualTo(1);
    assertThat(retries()).isEqualTo(retriesBefore);
    assertThat(deadLetters.records(r -> nul.kafkaKey().equals(r.key()))).isEmpty();

    // A redelivery is answered from processed_commands, the same 400; the row keeps no detail
    // (a detail may quote the client's values), so the repeated answer says so.
    send(nul);
    ProvisioningOutcome again = awaitOutcomes(nul, 2).get(1);
    assertThat(again.httpStatus()).isEqualTo(400);
    assertThat(again.scimType()).isEqualTo("invalidValue");
    assertThat(again.status()).isEqualTo(OutcomeStatus.FAILED);
    assertThat(again.appliedAt()).isEqualTo(refused.appliedAt());
    assertThat(again.detail())
        .isEqualTo(ProvisioningOutcome.replayedRefusalDetail(400, "invalidValue"));
  }

  /** In a batch the refusal rolls the batch back; applied one by one, every command is answered. */
  @Test
  void nulInABatchIsAnswered400AndTheOthersApplied() throws Exception {
    String tenant = "nul-batch-" + UUID.randomUUID();
    ProvisioningCommand before = createUser(tenant, "before@" + tenant);
    ProvisioningCommand nul = createUser(tenant, "nul\u0000@" + tenant);
    ProvisioningCommand after = createUser(tenant, "after@" + tenant);

    sendTogether(List.of(before, nul, after), c -> before.kafkaKey());

    assertThat(awaitOutcomes(before, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(awaitOutcomes(nul, 1).get(0).httpStatus()).isEqualTo(400);
    assertThat(awaitOutcomes(after, 1).get(0).httpStatus()).isEqualTo(201);
    assertThat(count("select count(*) from scim.processed_commands where tenant_id = ?", tenant))
        .isEqualTo(3);
  }

  /** A body nested deeper than any SCIM document is refused before anything walks it. */
  @Test
  void deeplyNestedPayloadIsAnswered400() throws Exception {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.put("userName", "deep-" + UUID.randomUUID());
    ObjectNode level = payload.putObject("urn:example:deep");
    for (int i = 0; i < 500; i++) {
      level = level.putObject("x");
    }
    ProvisioningCommand deep = command("tenant-a", Operation.CREATE, payload);
    ProvisioningCommand next = createUser("tenant-a", "after-deep-" + UUID.randomUUID());

    send(deep);
    send(next);

    ProvisioningOutcome refused = awaitOutcomes(deep, 1).get(0);
    assertThat(refused.httpStatus()).isEqualTo(400);
    assertThat(refused.scimType()).isEqualTo("invalidValue");
    assertThat(refused.detail()).contains("deeper than");
    assertThat(awaitOutcomes(next, 1).get(0).httpStatus()).isEqualTo(201);
  }

  /** Grows whenever a poll hands the consumer more than one record. */
  private double recordsBeyondOnePerPoll() {
    DistributionSummary batches = registry.get(ApplyMetrics.BATCH).summary();
    return batches.totalAmount() - batches.count();
  }

  /** Sends the commands through one lingering producer, so they reach the broker together. */
  private static void sendTogether(
      List<ProvisioningCommand> commands, Function<ProvisioningCommand, String> key) {
    TopicProbe.sendTogether(
        bootstrap(),
        Topics.COMMANDS,
        commands.stream().map(c -> Map.entry(key.apply(c), ContractJson.toBytes(c))).toList());
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static ProvisioningCommand createUser(String tenant, String userName) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    payload.put("userName", userName);
    payload.put("active", true);
    return command(tenant, Operation.CREATE, payload);
  }

  private static ObjectNode patch(String path, String jsonValue) throws Exception {
    return (ObjectNode)
        ContractJson.mapper()
            .readTree(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\""
                    + path
                    + "\",\"value\":"
                    + jsonValue
                    + "}]}");
  }

  /** A later command on the same resource as {@code first}. */
  private static ProvisioningCommand follow(
      ProvisioningCommand first, Operation op, ObjectNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        first.tenantId(),
        ResourceType.User,
        first.resourceId(),
        op,
        payload,
        Instant.now(),
        null,
        "test");
  }

  private static ProvisioningCommand command(String tenant, Operation op, ObjectNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        tenant,
        ResourceType.User,
        UUID.randomUUID().toString(),
        op,
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
    return outcomes
        .await(r -> outcomeOf(r).commandId().equals(command.commandId()), count, WAIT)
        .stream()
        .map(CommandConsumerTest::outcomeOf)
        .toList();
  }

  private static ProvisioningOutcome outcomeOf(ConsumerRecord<String, byte[]> record) {
    return ContractJson.outcome(record.value());
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }

  private static long userRows(String tenant, String id) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from scim.users where tenant_id = ? and id = ?")) {
      s.setString(1, tenant);
      s.setObject(2, UUID.fromString(id));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
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
}
