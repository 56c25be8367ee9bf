package io.provisioninghub.processor.groups;

import io.provisioninghub.processor.apply.Statements;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.UUID;

/** The SQL of {@code scim.groups} for the write path, on the transaction's connection. */
final class GroupRows {

  private static final String COLUMNS =
      "tenant_id, id, external_id, display_name, resource::text as resource, version, created,"
          + " last_modified";

  private GroupRows() {}

  /** The tenant's group with this id, or null. */
  static Uni<GroupRecord> find(SqlConnection connection, String tenantId, UUID id) {
    return Statements.first(
        connection,
        "select " + COLUMNS + " from scim.groups where tenant_id = $1 and id = $2",
        GroupRows::record,
        tenantId,
        id);
  }

  /**
   * Whether a group of the tenant other than {@code self} (null: any group) has this displayName
   * (case-insensitively).
   */
  static Uni<Boolean> nameTaken(
      SqlConnection connection, String tenantId, String displayName, UUID self) {
    return (self == null
            ? Statements.first(
                connection,
                "select 1 from scim.groups where tenant_id = $1"
                    + " and lower(display_name) = lower($2) limit 1",
                row -> Boolean.TRUE,
                tenantId,
                displayName)
            : Statements.first(
                connection,
                "select 1 from scim.groups where tenant_id = $1"
                    + " and lower(display_name) = lower($2) and id <> $3 limit 1",
                row -> Boolean.TRUE,
                tenantId,
                displayName,
                self))
        .map(found -> found != null);
  }

  /** Bound as text and cast: a String bound straight to jsonb is stored as a JSON string. */
  static Uni<Void> insert(SqlConnection connection, GroupRecord row) {
    return Statements.run(
            connection,
            "insert into scim.groups (tenant_id, id, external_id, display_name, resource, version,"
                + " created, last_modified)"
                + " values ($1, $2, $3, $4, cast($5::text as jsonb), $6, $7, $8)",
            row.tenantId,
            row.id,
            row.externalId,
            row.displayName,
            row.resource,
            row.version,
            row.created,
            row.lastModified)
        .replaceWithVoid();
  }

  /** Writes every column but the key and {@code created}. */
  static Uni<Void> update(SqlConnection connection, GroupRecord row) {
    return Statements.run(
            connection,
            "update scim.groups set external_id = $3, display_name = $4,"
                + " resource = cast($5::text as jsonb), version = $6, last_modified = $7"
                + " where tenant_id = $1 and id = $2",
            row.tenantId,
            row.id,
            row.externalId,
            row.displayName,
            row.resource,
            row.version,
            row.lastModified)
        .replaceWithVoid();
  }

  static Uni<Void> delete(SqlConnection connection, GroupRecord row) {
    return Statements.run(
            connection,
            "delete from scim.groups where tenant_id = $1 and id = $2",
            row.tenantId,
            row.id)
        .replaceWithVoid();
  }

  private static GroupRecord record(Row r) {
    GroupRecord row = new GroupRecord();
    row.tenantId = r.getString("tenant_id");
    row.id = r.getUUID("id");
    row.externalId = r.getString("external_id");
    row.displayName = r.getString("display_name");
    row.resource = r.getString("resource");
    row.version = r.getLong("version");
    row.created = r.getOffsetDateTime("created");
    row.lastModified = r.getOffsetDateTime("last_modified");
    return row;
  }
}
