package io.provisioninghub.audit.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.provisioninghub.audit.redaction.RedactionPolicy;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.RejectedRequest;
import io.provisioninghub.support.consumer.StorableText;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Stores a batch in one transaction. Each command and each outcome is an upsert on the command id
 * that only touches its own half of the row, so the result does not depend on which arrives first
 * or how often. An outcome never changes a row of another tenant.
 */
@ApplicationScoped
public class OperationWriter {

  private static final String UPSERT_COMMAND =
      """
      insert into audit.operations as o (command_id, tenant_id, received_at, has_command,
          scim_operation, operation, resource_type, resource_id, target_user_name,
          target_display_name, target_external_id, status, changed_attributes,
          client_request_id, source, request_body, trace_id)
      values (?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?::jsonb, ?)
      on conflict (command_id) do update set
          received_at = excluded.received_at,
          has_command = true,
          scim_operation = excluded.scim_operation,
          operation = excluded.operation,
          resource_type = excluded.resource_type,
          resource_id = excluded.resource_id,
          target_user_name = coalesce(excluded.target_user_name, o.target_user_name),
          target_display_name = coalesce(excluded.target_display_name, o.target_display_name),
          target_external_id = coalesce(excluded.target_external_id, o.target_external_id),
          changed_attributes = excluded.changed_attributes,
          client_request_id = excluded.client_request_id,
          source = excluded.source,
          request_body = excluded.request_body,
          trace_id = coalesce(excluded.trace_id, o.trace_id),
          duration_ms = case when o.applied_at is null then null
              else (extract(epoch from (o.applied_at - excluded.received_at)) * 1000)::bigint end,
          updated_at = now()
      where o.tenant_id = excluded.tenant_id
      """;

  // The command's values win over the outcome's (coalesce order), whichever came first.
  private static final String UPSERT_OUTCOME =
      """
      insert into audit.operations as o (command_id, tenant_id, received_at, applied_at,
          has_outcome, resource_type, resource_id, target_user_name, target_display_name,
          target_external_id, status, http_status, scim_type, reason, resource_version,
          scim_operation, operation, client_request_id, source, trace_id)
      values (?, ?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (command_id) do update set
          scim_operation = coalesce(o.scim_operation, excluded.scim_operation),
          operation = coalesce(o.operation, excluded.operation),
          client_request_id = coalesce(o.client_request_id, excluded.client_request_id),
          source = coalesce(o.source, excluded.source),
          trace_id = coalesce(o.trace_id, excluded.trace_id),
          applied_at = excluded.applied_at,
          has_outcome = true,
          resource_type = coalesce(o.resource_type, excluded.resource_type),
          resource_id = coalesce(o.resource_id, excluded.resource_id),
          target_user_name = coalesce(o.target_user_name, excluded.target_user_name),
          target_display_name = coalesce(o.target_display_name, excluded.target_display_name),
          target_external_id = coalesce(o.target_external_id, excluded.target_external_id),
          status = excluded.status,
          http_status = excluded.http_status,
          scim_type = excluded.scim_type,
          reason = excluded.reason,
          resource_version = excluded.resource_version,
          duration_ms = case when o.has_command
              then (extract(epoch from (excluded.applied_at - o.received_at)) * 1000)::bigint
              else null end,
          updated_at = now()
      where o.tenant_id = excluded.tenant_id
      """;

  // Runs after the command upsert of the same batch, so the row exists. An outcome, whenever it
  // comes, decides the status; until then a dead-lettered command is a failure, not pending.
  private static final String MARK_DEAD_LETTERED =
      """
      update audit.operations as o set
          dead_lettered = true,
          status = case when o.has_outcome then o.status else 'failure' end,
          reason = case when o.has_outcome then o.reason else ? end,
          updated_at = now()
      where o.command_id = ? and o.tenant_id = ?
      """;

  /**
   * What support reads for a dead-lettered command; the processor's own message stays in its log.
   */
  static final String DEAD_LETTER_REASON =
      "the provisioning processor could not apply this request and set it aside; the identity"
          + " provider got no answer";

  private static final String INSERT_SKIPPED =
      """
      insert into audit.skipped_records (topic, partition, "offset", reason)
      values (?, ?, ?, ?) on conflict do nothing
      """;

  private static final Logger LOG = Logger.getLogger(OperationWriter.class);

  private final AgroalDataSource dataSource;
  private final RedactionPolicy redaction;

  public OperationWriter(AgroalDataSource dataSource, RedactionPolicy redaction) {
    this.dataSource = dataSource;
    this.redaction = redaction;
  }

  /**
   * Writes every item of the batch, or none. Items go in command-id order, which makes deadlocks
   * between instances writing overlapping batches rare; the consumer retries those that happen.
   */
  public void write(List<IngestItem> batch) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    List<IngestItem> items = new ArrayList<>(batch);
    items.sort(
        Comparator.comparing(
            IngestItem::commandId, Comparator.nullsLast(Comparator.naturalOrder())));
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement commands = connection.prepareStatement(UPSERT_COMMAND);
          PreparedStatement outcomes = connection.prepareStatement(UPSERT_OUTCOME);
          PreparedStatement deadLetters = connection.prepareStatement(MARK_DEAD_LETTERED);
          PreparedStatement skipped = connection.prepareStatement(INSERT_SKIPPED)) {
        // The two upserts touch disjoint columns (the shared ones merge with coalesce), so their
        // relative order does not matter and each kind can go as one JDBC batch.
        List<UUID> commandIds = new ArrayList<>();
        List<UUID> outcomeIds = new ArrayList<>();
        for (IngestItem item : items) {
          if (item instanceof IngestItem.CommandSeen c) {
            bindCommand(connection, commands, c.command(), c.source().traceId());
            commands.addBatch();
            commandIds.add(c.command().commandId());
          } else if (item instanceof IngestItem.OutcomeSeen o) {
            bindOutcome(outcomes, o.outcome(), o.source().traceId());
            outcomes.addBatch();
            outcomeIds.add(o.outcome().commandId());
          } else if (item instanceof IngestItem.DeadLettered d) {
            bindCommand(connection, commands, d.command(), d.source().traceId());
            commands.addBatch();
            commandIds.add(d.command().commandId());
            deadLetters.setString(1, DEAD_LETTER_REASON);
            deadLetters.setObject(2, d.command().commandId());
            deadLetters.setString(3, StorableText.of(d.command().tenantId()));
            deadLetters.addBatch();
          } else if (item instanceof IngestItem.Skipped s) {
            skipped.setString(1, s.source().topic());
            skipped.setInt(2, s.source().partition());
            skipped.setLong(3, s.source().offset());
            skipped.setString(4, s.reason());
            skipped.addBatch();
          }
        }
        reportIgnored("command", commandIds, commands.executeBatch());
        reportIgnored("outcome", outcomeIds, outcomes.executeBatch());
        deadLetters.executeBatch();
        skipped.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /** An upsert that changed nothing met a row of another tenant under the same command id. */
  private static void reportIgnored(String kind, List<UUID> ids, int[] counts) {
    for (int i = 0; i < counts.length && i < ids.size(); i++) {
      if (counts[i] == 0) {
        LOG.warnf(
            "ignored %s %s: its command id belongs to another tenant's operation",
            kind, ids.get(i));
      }
    }
  }

  private void bindCommand(
      Connection connection, PreparedStatement st, ProvisioningCommand c, String traceId)
      throws SQLException {
    setText(st, 15, traceId);
    CommandFacts facts = CommandFacts.of(c);
    st.setObject(1, c.commandId());
    setText(st, 2, c.tenantId());
    st.setObject(3, timestamp(c.receivedAt()));
    setText(st, 4, c.operation().name());
    setText(st, 5, facts.operation().wireName());
    setText(st, 6, c.resourceType().name());
    setText(st, 7, c.resourceId());
    setText(st, 8, facts.target().userName());
    setText(st, 9, facts.target().displayName());
    setText(st, 10, facts.target().externalId());
    st.setArray(
        11,
        connection.createArrayOf(
            "text", facts.changedAttributes().stream().map(StorableText::of).toArray()));
    setText(st, 12, c.clientRequestId());
    setText(st, 13, c.source());
    JsonNode body = redaction.redact(c.operation(), c.payload());
    if (body == null) {
      st.setNull(14, Types.VARCHAR);
    } else {
      setText(st, 14, json(body));
    }
  }

  private static void bindOutcome(PreparedStatement st, ProvisioningOutcome o, String traceId)
      throws SQLException {
    setText(st, 19, traceId);
    CommandFacts.Target target = CommandFacts.Target.of(o.resource());
    JsonNode meta = o.resource() == null ? null : o.resource().get("meta");
    RejectedRequest rejected = o.rejectedRequest();
    st.setObject(1, o.commandId());
    setText(st, 2, o.tenantId());
    st.setObject(
        3,
        timestamp(
            rejected != null && rejected.receivedAt() != null
                ? rejected.receivedAt()
                : o.appliedAt()));
    st.setObject(4, timestamp(o.appliedAt()));
    String resourceType =
        meta != null && meta.hasNonNull("resourceType") ? meta.get("resourceType").asText() : null;
    if (resourceType == null && rejected != null) {
      // A refused request names User or Group only; the path also tells a discovery document or
      // the bulk endpoint apart, which the recommended action depends on.
      resourceType =
          rejected.resourceType() != null
              ? rejected.resourceType().name()
              : RequestedResource.typeOf(rejected.path());
    }
    setText(st, 5, resourceType);
    String resourceId =
        o.resource() != null && o.resource().hasNonNull("id")
            ? o.resource().get("id").asText()
            : null;
    if (resourceId == null && rejected != null) {
      resourceId = rejected.resourceId();
    }
    setText(st, 6, resourceId);
    // A gateway rejection carries what the request asked for; an outcome of a command leaves these
    // to the command's row half.
    st.setString(
        15, rejected == null || rejected.operation() == null ? null : rejected.operation().name());
    st.setString(
        16,
        rejected == null
            ? null
            : rejected.operation() == null
                ? AuditOperation.READ.wireName()
                : AuditOperation.valueOf(rejected.operation().name()).wireName());
    setText(st, 17, rejected == null ? null : rejected.clientRequestId());
    setText(st, 18, rejected == null ? null : "gateway");
    setText(st, 7, target.userName());
    setText(st, 8, target.displayName());
    setText(st, 9, target.externalId());
    setText(st, 10, AuditStatus.of(o.status()).wireName());
    st.setInt(11, o.httpStatus());
    setText(st, 12, o.scimType());
    setText(st, 13, o.detail());
    if (o.resource() == null) {
      st.setNull(14, Types.BIGINT);
    } else {
      st.setLong(14, o.version());
    }
  }

  /**
   * Every string a record brings is bound storable: U+0000 or a lone surrogate (which PostgreSQL
   * refuses) becomes U+FFFD, so such a command is still audited instead of skipped.
   */
  private static void setText(PreparedStatement st, int index, String value) throws SQLException {
    st.setString(index, StorableText.of(value));
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static String json(JsonNode node) {
    try {
      return ContractJson.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }
}
