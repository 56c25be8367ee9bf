package io.provisioninghub.processor.apply;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The SQL of {@code scim.processed_commands} for the write path (the dedupe rows). */
public final class ProcessedCommands {

  private static final String COLUMNS =
      "command_id, tenant_id, status, http_status, scim_type, resource_type, resource_id,"
          + " version, event_ids, unsent_events::text as unsent_events, processed_at";

  /** Events bound as text and cast: a String bound straight to jsonb is a JSON string. */
  private static final String INSERT =
      "insert into scim.processed_commands (command_id, tenant_id, status, http_status, scim_type,"
          + " resource_type, resource_id, version, event_ids, unsent_events, processed_at)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, cast($10::text as jsonb), $11)";

  private ProcessedCommands() {}

  /** The dedupe row of a command, or null if it was not applied before. */
  public static Uni<ProcessedCommand> find(SqlConnection connection, UUID commandId) {
    return Statements.first(
        connection,
        "select " + COLUMNS + " from scim.processed_commands where command_id = $1",
        ProcessedCommands::record,
        commandId);
  }

  /** The dedupe rows of those of these commands that were applied before. */
  public static Uni<List<ProcessedCommand>> findAll(
      SqlConnection connection, Collection<UUID> commandIds) {
    return Statements.list(
        connection,
        "select " + COLUMNS + " from scim.processed_commands where command_id = any($1)",
        ProcessedCommands::record,
        (Object) commandIds.toArray(UUID[]::new));
  }

  public static Uni<Void> insert(SqlConnection connection, ProcessedCommand done) {
    return connection.preparedQuery(INSERT).execute(tuple(done)).replaceWithVoid();
  }

  /** Inserts the rows with one batched statement. */
  public static Uni<Void> insertAll(SqlConnection connection, List<ProcessedCommand> rows) {
    return Statements.batch(
        connection, INSERT, rows.stream().map(ProcessedCommands::tuple).toList());
  }

  private static Tuple tuple(ProcessedCommand done) {
    return Tuple.tuple()
        .addUUID(done.commandId)
        .addString(done.tenantId)
        .addString(done.status)
        .addInteger(done.httpStatus)
        .addString(done.scimType)
        .addString(done.resourceType)
        .addString(done.resourceId)
        .addLong(done.version)
        .addArrayOfString(done.eventIds)
        .addString(done.unsentEvents)
        .addOffsetDateTime(done.processedAt);
  }

  private static ProcessedCommand record(Row row) {
    ProcessedCommand done = new ProcessedCommand();
    done.commandId = row.getUUID("command_id");
    done.tenantId = row.getString("tenant_id");
    done.status = row.getString("status");
    done.httpStatus = row.getInteger("http_status");
    done.scimType = row.getString("scim_type");
    done.resourceType = row.getString("resource_type");
    done.resourceId = row.getString("resource_id");
    done.version = row.getLong("version");
    done.eventIds = row.getArrayOfStrings("event_ids");
    done.unsentEvents = row.getString("unsent_events");
    done.processedAt = row.getOffsetDateTime("processed_at");
    return done;
  }
}
