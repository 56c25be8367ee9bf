package io.provisioninghub.processor.users;

import io.provisioninghub.processor.apply.Statements;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/** The SQL of {@code scim.users} for the write path, on the transaction's connection. */
public final class UserRows {

  private static final String COLUMNS =
      "tenant_id, id, user_name, external_id, active, display_name, resource::text as resource,"
          + " password_hash, version, created, last_modified";

  /** Bound as text and cast: a String bound straight to jsonb is stored as a JSON string. */
  public static final String INSERT =
      "insert into scim.users (tenant_id, id, user_name, external_id, active, display_name,"
          + " resource, password_hash, version, created, last_modified)"
          + " values ($1, $2, $3, $4, $5, $6, cast($7::text as jsonb), $8, $9, $10, $11)";

  private static final String UPDATE =
      "update scim.users set user_name = $3, external_id = $4, active = $5, display_name = $6,"
          + " resource = cast($7::text as jsonb), password_hash = $8, version = $9,"
          + " last_modified = $10 where tenant_id = $1 and id = $2";

  private UserRows() {}

  /** The tenant's user with this id, or null. */
  public static Uni<UserRecord> find(SqlConnection connection, String tenantId, UUID id) {
    return Statements.first(
        connection,
        "select " + COLUMNS + " from scim.users where tenant_id = $1 and id = $2",
        UserRows::record,
        tenantId,
        id);
  }

  /** Whether another user of the tenant has this userName (case-insensitively). */
  public static Uni<Boolean> nameTaken(
      SqlConnection connection, String tenantId, String userName, UUID self) {
    return Statements.first(
            connection,
            "select 1 from scim.users where tenant_id = $1 and lower(user_name) = lower($2)"
                + " and id <> $3 limit 1",
            row -> Boolean.TRUE,
            tenantId,
            userName,
            self)
        .map(found -> found != null);
  }

  public static Uni<Void> insert(SqlConnection connection, UserRecord row) {
    return connection.preparedQuery(INSERT).execute(insertTuple(row)).replaceWithVoid();
  }

  /** Inserts the rows with one batched statement. */
  public static Uni<Void> insertAll(SqlConnection connection, List<UserRecord> rows) {
    return Statements.batch(connection, INSERT, rows.stream().map(UserRows::insertTuple).toList());
  }

  /** Writes every column but the key and {@code created}. */
  public static Uni<Void> update(SqlConnection connection, UserRecord row) {
    return Statements.run(
            connection,
            UPDATE,
            row.tenantId,
            row.id,
            row.userName,
            row.externalId,
            row.active,
            row.displayName,
            row.resource,
            row.passwordHash,
            row.version,
            row.lastModified)
        .replaceWithVoid();
  }

  public static Uni<Void> delete(SqlConnection connection, UserRecord row) {
    return Statements.run(
            connection,
            "delete from scim.users where tenant_id = $1 and id = $2",
            row.tenantId,
            row.id)
        .replaceWithVoid();
  }

  private static Tuple insertTuple(UserRecord row) {
    return Statements.tuple(
        row.tenantId,
        row.id,
        row.userName,
        row.externalId,
        row.active,
        row.displayName,
        row.resource,
        row.passwordHash,
        row.version,
        row.created,
        row.lastModified);
  }

  private static UserRecord record(Row r) {
    UserRecord row = new UserRecord();
    row.tenantId = r.getString("tenant_id");
    row.id = r.getUUID("id");
    row.userName = r.getString("user_name");
    row.externalId = r.getString("external_id");
    row.active = r.getBoolean("active");
    row.displayName = r.getString("display_name");
    row.resource = r.getString("resource");
    row.passwordHash = r.getString("password_hash");
    row.version = r.getLong("version");
    row.created = r.getOffsetDateTime("created");
    row.lastModified = r.getOffsetDateTime("last_modified");
    return row;
  }
}
