package io.provisioninghub.gateway.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The outcome the processor stored for a command, in the same transaction as the change ({@code
 * scim.processed_commands}): what its reply carried, or would have carried. The row keeps only the
 * status, SCIM error type, resource id and version (no body, no detail: docs/security.md), so a
 * success's body is read from {@code scim.users}/{@code scim.groups} as it is now, in the same
 * statement, and a refusal gets a fixed detail. Read only for a tenant's own command.
 */
@ApplicationScoped
public class StoredOutcomes {

  private static final Logger LOG = Logger.getLogger(StoredOutcomes.class);

  /** The resource id as a uuid only when it is one: a cast of anything else would fail the read. */
  private static final String RESOURCE_UUID =
      "(case when pc.resource_id ~ '^[0-9a-fA-F-]{36}$' then pc.resource_id::uuid end)";

  private static final String SQL =
      "select pc.status, pc.http_status, pc.scim_type, pc.resource_type, pc.version,"
          + " pc.processed_at,"
          + " coalesce(u.resource, g.resource)::text as resource,"
          + " coalesce(u.created, g.created) as created,"
          + " coalesce(u.last_modified, g.last_modified) as last_modified,"
          + " coalesce(u.version, g.version) as current_version,"
          + " (select json_agg(gm.member_id order by gm.member_id)::text from scim.group_members gm"
          + "   where g.id is not null and gm.tenant_id = g.tenant_id and gm.group_id = g.id)"
          + " as members"
          + " from scim.processed_commands pc"
          + " left join scim.users u on pc.resource_type = 'User' and pc.status = 'APPLIED'"
          + "   and u.tenant_id = pc.tenant_id and u.id = "
          + RESOURCE_UUID
          + " left join scim.groups g on pc.resource_type = 'Group' and pc.status = 'APPLIED'"
          + "   and g.tenant_id = pc.tenant_id and g.id = "
          + RESOURCE_UUID
          + " where pc.command_id = $1 and pc.tenant_id = $2";

  private final Pool pool;

  public StoredOutcomes(Pool pool) {
    this.pool = pool;
  }

  /** The stored outcome, or empty when the command is not applied yet or the store cannot say. */
  public Uni<Optional<ProvisioningOutcome>> find(String tenantId, UUID commandId) {
    return pool.preparedQuery(SQL)
        .execute(Tuple.of(commandId, tenantId))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              return it.hasNext()
                  ? Optional.of(outcome(commandId, tenantId, it.next()))
                  : Optional.<ProvisioningOutcome>empty();
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.debugf("cannot read the stored outcome of %s: %s", commandId, failure);
              return Optional.empty();
            });
  }

  private static ProvisioningOutcome outcome(UUID commandId, String tenantId, Row row) {
    OutcomeStatus status = OutcomeStatus.valueOf(row.getString("status"));
    int httpStatus = row.getInteger("http_status");
    String scimType = row.getString("scim_type");
    ObjectNode resource = null;
    String stored = row.getString("resource");
    // The body as the processor would have sent it; none for a 204, or if deleted since.
    if (status == OutcomeStatus.APPLIED && httpStatus != 204 && stored != null) {
      resource = (ObjectNode) tree(stored);
      String members = row.getString("members");
      if (members != null) {
        ArrayNode array = resource.putArray("members");
        tree(members).forEach(m -> array.addObject().put("value", m.asText()));
      }
      ResourceMeta.put(
          resource,
          row.getString("resource_type"),
          row.get(OffsetDateTime.class, "created"),
          row.get(OffsetDateTime.class, "last_modified"),
          row.getLong("current_version"));
    }
    return new ProvisioningOutcome(
        commandId,
        tenantId,
        status,
        httpStatus,
        scimType,
        status == OutcomeStatus.APPLIED
            ? null
            : ProvisioningOutcome.replayedRefusalDetail(httpStatus, scimType),
        resource,
        row.getLong("version"),
        row.get(OffsetDateTime.class, "processed_at").toInstant());
  }

  private static JsonNode tree(String json) {
    try {
      return ContractJson.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON unreadable", e);
    }
  }
}
