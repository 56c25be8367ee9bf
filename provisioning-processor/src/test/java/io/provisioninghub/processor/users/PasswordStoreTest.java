package io.provisioninghub.processor.users;

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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor and passwords, against the real broker and database: the gateway's hash (policy
 * {@code hash}) lands in {@code scim.users.password_hash} and nowhere else; no password, hashed or
 * plain, is in the resource, the outcome, the events or {@code scim.processed_commands}; the events
 * say that a password was set. Commands from a gateway that still published the plaintext lose it.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class PasswordStoreTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TENANT = "tenant-passwords";
  private static final String HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

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
  void aHashFromTheGatewayIsStoredInItsOwnColumnOnly() throws Exception {
    String id = UUID.randomUUID().toString();
    ProvisioningCommand create =
        command(id, Operation.CREATE, user("hashed-" + id, null))
            .withPassword(user("hashed-" + id, null), true, HASH);

    ProvisioningOutcome outcome = apply(create);

    assertThat(outcome.httpStatus()).isEqualTo(201);
    assertThat(outcome.resource().toString()).doesNotContain("argon2").doesNotContain("password");
    assertThat(passwordHash(id)).isEqualTo(HASH);
    assertThat(resource(id)).doesNotContain("argon2").doesNotContainIgnoringCase("password");
    assertThat(processed(create.commandId())).doesNotContain("argon2");
    JsonNode event = event(create.commandId() + "-0");
    assertThat(event.get("passwordSet").booleanValue()).isTrue();
    assertThat(event.get("changedAttributes").toString()).contains("\"password\"");
    assertThat(event.toString()).doesNotContain("argon2");
  }

  @Test
  void putAndPatchFollowThePolicyAndAPasswordOnlyPatchIsAnUpdate() throws Exception {
    String id = UUID.randomUUID().toString();
    String userName = "mover-" + id;
    apply(
        command(id, Operation.CREATE, user(userName, null))
            .withPassword(user(userName, null), true, HASH));

    // PUT without a password keeps the stored hash (IdPs send the password only when it changes).
    ProvisioningOutcome put = apply(command(id, Operation.REPLACE, user(userName, "Mover")));
    assertThat(put.version()).isEqualTo(2);
    assertThat(passwordHash(id)).isEqualTo(HASH);

    // A PATCH that only set a password arrives with no operation left, under policy ignore.
    ObjectNode empty =
        json("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[]}");
    ProvisioningCommand reset = command(id, Operation.PATCH, empty).withPassword(empty, true, null);
    ProvisioningOutcome patched = apply(reset);
    assertThat(patched.httpStatus()).isEqualTo(200);
    assertThat(patched.version()).isEqualTo(3);
    assertThat(passwordHash(id)).as("the old hash is no longer the password").isNull();
    JsonNode updated = event(reset.commandId() + "-0");
    assertThat(updated.get("event").asText()).isEqualTo("UserUpdated");
    assertThat(updated.get("passwordSet").booleanValue()).isTrue();
    assertThat(updated.get("changedAttributes").toString()).isEqualTo("[\"password\"]");

    // A remove of the password says so.
    ProvisioningCommand remove =
        command(id, Operation.PATCH, empty).withPassword(empty, false, null);
    apply(remove);
    assertThat(event(remove.commandId() + "-0").get("passwordSet").booleanValue()).isFalse();
  }

  @Test
  void plaintextFromAnOlderGatewayIsNeverStoredOrPublished() throws Exception {
    String id = UUID.randomUUID().toString();
    String plaintext = "Plain-" + UUID.randomUUID();
    ObjectNode body = user("legacy-" + id, null);
    body.put("password", plaintext);
    ProvisioningCommand create = command(id, Operation.CREATE, body);

    ProvisioningOutcome created = apply(create);
    ObjectNode patch =
        json(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"password\",\"value\":\"patched-"
                + plaintext
                + "\"},{\"op\":\"replace\",\"path\":\"title\",\"value\":\"CTO\"}]}");
    ProvisioningCommand patchCommand = command(id, Operation.PATCH, patch);
    ProvisioningOutcome patched = apply(patchCommand);

    for (ProvisioningOutcome o : new ProvisioningOutcome[] {created, patched}) {
      assertThat(o.httpStatus()).isLessThan(300);
      assertThat(ContractJson.toJson(o)).doesNotContain(plaintext);
    }
    assertThat(patched.resource().get("title").asText()).isEqualTo("CTO");
    assertThat(resource(id)).doesNotContain(plaintext).doesNotContainIgnoringCase("password");
    assertThat(passwordHash(id)).isNull();
    assertThat(processed(create.commandId())).doesNotContain(plaintext);
    assertThat(processed(patchCommand.commandId())).doesNotContain(plaintext);
    assertThat(event(create.commandId() + "-0").get("passwordSet").booleanValue()).isTrue();
    assertThat(event(patchCommand.commandId() + "-0").toString()).doesNotContain(plaintext);
  }

  private static ObjectNode user(String userName, String displayName) throws Exception {
    ObjectNode doc =
        json(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + userName
                + "\",\"active\":true}");
    if (displayName != null) {
      doc.put("displayName", displayName);
    }
    return doc;
  }

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

  private static JsonNode event(String ceId) throws Exception {
    ConsumerRecord<String, byte[]> record =
        events.awaitOne(
            r -> {
              var h = r.headers().lastHeader("ce_id");
              return h != null && new String(h.value(), StandardCharsets.UTF_8).equals(ceId);
            },
            WAIT);
    return ContractJson.mapper().readTree(record.value());
  }

  private static ProvisioningCommand command(String id, Operation op, ObjectNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(), TENANT, ResourceType.User, id, op, payload, Instant.now(), null, "test");
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) ContractJson.mapper().readTree(text);
  }

  private static String passwordHash(String id) throws Exception {
    return text("select password_hash from scim.users where tenant_id = ? and id = ?", id);
  }

  private static String resource(String id) throws Exception {
    return text("select resource::text from scim.users where tenant_id = ? and id = ?", id);
  }

  private static String processed(UUID commandId) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "select row_to_json(pc)::text from scim.processed_commands pc"
                    + " where command_id = ?")) {
      s.setObject(1, commandId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("processed_commands row").isTrue();
        return rs.getString(1);
      }
    }
  }

  private static String text(String sql, String id) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, TENANT);
      s.setObject(2, UUID.fromString(id));
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("user row").isTrue();
        return rs.getString(1);
      }
    }
  }
}
