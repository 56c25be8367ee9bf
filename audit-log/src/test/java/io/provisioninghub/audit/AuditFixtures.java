package io.provisioninghub.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.TopicProbe;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Commands, outcomes, tokens and topic access shared by the audit-log tests. */
public final class AuditFixtures {

  public static final String ISSUER = "provisioninghub-support";

  /** The audience the support API requires (mp.jwt.verify.audiences). */
  public static final String AUDIENCE = "provisioninghub-support-api";

  private AuditFixtures() {}

  public static String tenant() {
    return "tenant-" + UUID.randomUUID();
  }

  public static JsonNode json(String text) {
    try {
      return ContractJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Microsecond precision, as PostgreSQL stores it. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  public static ProvisioningCommand command(
      String tenant, Operation operation, String resourceId, JsonNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        tenant,
        ResourceType.User,
        resourceId,
        operation,
        payload,
        now(),
        "req-" + UUID.randomUUID(),
        "scim");
  }

  public static ProvisioningCommand createUser(String tenant, String userName) {
    return command(
        tenant,
        Operation.CREATE,
        UUID.randomUUID().toString(),
        json(
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + userName
                + "\",\"externalId\":\"ext-"
                + userName
                + "\",\"active\":true,\"password\":\"Sup3rS3cret!\","
                + "\"emails\":[{\"type\":\"work\",\"value\":\""
                + userName
                + "\",\"primary\":true}],"
                + "\"name\":{\"givenName\":\"Alice\",\"familyName\":\"Liddell\"}}"));
  }

  public static ProvisioningOutcome failed(
      ProvisioningCommand command, int http, String scimType, String detail) {
    return ProvisioningOutcome.failed(
        command, http, scimType, detail, command.receivedAt().plusMillis(42));
  }

  public static ProvisioningOutcome applied(ProvisioningCommand command, JsonNode resource) {
    return ProvisioningOutcome.applied(
        command, 201, resource, 1, command.receivedAt().plusMillis(7));
  }

  /** A gateway-side rejection: an outcome whose command was never published. */
  public static ProvisioningOutcome rejected(
      String tenant, int http, String scimType, String detail) {
    return new ProvisioningOutcome(
        UUID.randomUUID(), tenant, OutcomeStatus.REJECTED, http, scimType, detail, null, 0, now());
  }

  public static void send(ProvisioningCommand command) {
    TopicProbe.send(
        bootstrap(), Topics.COMMANDS, command.kafkaKey(), ContractJson.toBytes(command), null);
  }

  public static void send(ProvisioningOutcome outcome) {
    TopicProbe.send(
        bootstrap(), Topics.OUTCOMES, outcome.tenantId(), ContractJson.toBytes(outcome), null);
  }

  public static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }

  /** A complete row written straight to the table, for query tests that need exact times. */
  public static void insertRow(
      javax.sql.DataSource dataSource,
      String tenant,
      UUID id,
      Instant receivedAt,
      String status,
      Integer http,
      String scimType,
      String userName)
      throws java.sql.SQLException {
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.PreparedStatement st =
            c.prepareStatement(
                "insert into audit.operations (command_id, tenant_id, received_at, applied_at,"
                    + " has_command, has_outcome, scim_operation, operation, resource_type,"
                    + " resource_id, target_user_name, status, http_status, scim_type, reason)"
                    + " values (?, ?, ?, ?, true, ?, 'CREATE', 'create', 'User', ?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, id);
      st.setString(2, tenant);
      st.setObject(3, receivedAt.atOffset(java.time.ZoneOffset.UTC));
      st.setObject(
          4, http == null ? null : receivedAt.plusMillis(5).atOffset(java.time.ZoneOffset.UTC));
      st.setBoolean(5, http != null);
      st.setString(6, UUID.randomUUID().toString());
      st.setString(7, userName);
      st.setString(8, status);
      st.setObject(9, http, java.sql.Types.INTEGER);
      st.setString(10, scimType);
      st.setString(11, http == null || http < 300 ? null : "reason " + http);
      st.executeUpdate();
    }
  }

  /** A support token for every tenant (role support-all-tenants). */
  public static String supportToken() {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("support-agent")
        .groups(java.util.Set.of("support", "support-all-tenants"))
        .expiresIn(300)
        .sign();
  }

  public static String tokenWithoutSupportRole() {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("someone")
        .groups("provisioning-admin")
        .expiresIn(300)
        .sign();
  }
}
