package io.provisioninghub.gateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The SQL of the application read API, on the gateway's read pool, always within one tenant and
 * with every value bound. Pages are keyset pages (never OFFSET): by id, so a list walked while
 * writes go on returns every resource that existed throughout exactly once; by (lastModified, id)
 * with {@code updatedSince}, so a resource changed during the walk moves to its end and is seen
 * again rather than missed; by {@code seq} for the events feed.
 */
@ApplicationScoped
public class AppReads {

  private static final Logger LOG = Logger.getLogger(AppReads.class);
  private static final UUID FIRST = new UUID(0, 0);

  /** Users or groups. */
  enum Kind {
    USERS("scim.users", "User"),
    GROUPS("scim.groups", "Group");

    final String table;
    final String resourceType;

    Kind(String table, String resourceType) {
      this.table = table;
      this.resourceType = resourceType;
    }
  }

  private final Pool pool;
  private final GatewayConfig config;

  public AppReads(Pool pool, GatewayConfig config) {
    this.pool = pool;
    this.config = config;
  }

  Uni<AppPage> list(
      String tenant, Kind kind, Optional<OffsetDateTime> updatedSince, String cursor, int limit) {
    Instant asOf = Instant.now();
    List<Object> params = new ArrayList<>(List.of(tenant));
    StringBuilder sql =
        new StringBuilder("select id, resource::text as resource, version, created, last_modified")
            .append(" from ")
            .append(kind.table)
            .append(" where tenant_id = $1");
    if (updatedSince.isPresent()) {
      AppCursor from =
          cursor == null
              ? AppCursor.ofModified(updatedSince.get(), FIRST)
              : AppCursor.decode(cursor, "m");
      params.add(from.modified());
      params.add(from.id());
      sql.append(" and (last_modified, id) > ($2, $3) order by last_modified, id");
    } else {
      if (cursor != null) {
        params.add(AppCursor.decode(cursor, "i").id());
        sql.append(" and id > $2");
      }
      sql.append(" order by id");
    }
    params.add(limit + 1);
    sql.append(" limit $").append(params.size());
    return query(sql.toString(), Tuple.from(params), tenant)
        .map(
            rows -> {
              boolean more = rows.size() > limit;
              List<Row> shown = more ? rows.subList(0, limit) : rows;
              List<JsonNode> items = shown.stream().map(r -> render(kind, r)).toList();
              String next = null;
              if (more) {
                Row last = shown.get(shown.size() - 1);
                next =
                    (updatedSince.isPresent()
                            ? AppCursor.ofModified(
                                last.get(OffsetDateTime.class, "last_modified"), last.getUUID("id"))
                            : AppCursor.ofId(last.getUUID("id")))
                        .encode();
              }
              return new AppPage(items, next, more, asOf);
            });
  }

  Uni<JsonNode> get(String tenant, Kind kind, UUID id) {
    return query(
            "select id, resource::text as resource, version, created, last_modified from "
                + kind.table
                + " where tenant_id = $1 and id = $2",
            Tuple.of(tenant, id),
            tenant)
        .map(
            rows -> {
              if (rows.isEmpty()) {
                throw notFound(kind, id);
              }
              return render(kind, rows.get(0));
            });
  }

  /** A user's groups ({@code id}, {@code displayName}) in group id order. */
  Uni<AppPage> groupsOf(String tenant, UUID user, String cursor, int limit) {
    List<Object> params = new ArrayList<>(List.of(tenant, user));
    StringBuilder sql =
        new StringBuilder(
            "select g.id, g.display_name from scim.group_members gm join scim.groups g"
                + " on g.tenant_id = gm.tenant_id and g.id = gm.group_id"
                + " where gm.tenant_id = $1 and gm.member_id = $2");
    if (cursor != null) {
      params.add(AppCursor.decode(cursor, "i").id());
      sql.append(" and gm.group_id > $3");
    }
    params.add(limit + 1);
    sql.append(" order by gm.group_id limit $").append(params.size());
    return exists(tenant, Kind.USERS, user)
        .chain(() -> query(sql.toString(), Tuple.from(params), tenant))
        .map(
            rows ->
                page(
                    rows,
                    limit,
                    r -> {
                      ObjectNode item = ContractJson.mapper().createObjectNode();
                      item.put("id", r.getUUID("id").toString());
                      item.put("displayName", r.getString("display_name"));
                      return item;
                    }));
  }

  /** A group's members ({@code id}, {@code type}) in member id order. */
  Uni<AppPage> membersOf(String tenant, UUID group, String cursor, int limit) {
    List<Object> params = new ArrayList<>(List.of(tenant, group));
    StringBuilder sql =
        new StringBuilder(
            "select member_id as id, member_type from scim.group_members"
                + " where tenant_id = $1 and group_id = $2");
    if (cursor != null) {
      params.add(AppCursor.decode(cursor, "i").id());
      sql.append(" and member_id > $3");
    }
    params.add(limit + 1);
    sql.append(" order by member_id limit $").append(params.size());
    return exists(tenant, Kind.GROUPS, group)
        .chain(() -> query(sql.toString(), Tuple.from(params), tenant))
        .map(
            rows ->
                page(
                    rows,
                    limit,
                    r -> {
                      ObjectNode item = ContractJson.mapper().createObjectNode();
                      item.put("id", r.getUUID("id").toString());
                      item.put("type", r.getString("member_type"));
                      return item;
                    }));
  }

  /**
   * The tenant's events after the cursor (from the oldest kept without one), as CloudEvents in
   * structured JSON. The next cursor is always given: where to poll from next, also when this page
   * is empty. A cursor below the retention horizon ({@code scim.event_feed_horizon}, the highest
   * seq retention deleted) is 410: events after it may have been deleted, and the application must
   * resynchronise from the lists. Another tenant's purge does not move the horizon.
   */
  Uni<AppPage> events(String tenant, String cursor, int limit) {
    Instant asOf = Instant.now();
    long after = cursor == null ? 0 : AppCursor.decode(cursor, "e").seq();
    Uni<Void> check =
        cursor == null
            ? Uni.createFrom().voidItem()
            : query("select seq from scim.event_feed_horizon where id = 1", Tuple.tuple(), tenant)
                .map(
                    rows -> {
                      if (!rows.isEmpty() && after < rows.get(0).getLong(0)) {
                        throw new CursorExpiredException();
                      }
                      return null;
                    });
    return check
        .chain(
            () ->
                query(
                    "select seq, event_id, type, subject, time, data::text as data"
                        + " from scim.event_feed where tenant_id = $1 and seq > $2"
                        + " order by seq limit $3",
                    Tuple.of(tenant, after, limit + 1),
                    tenant))
        .map(
            rows -> {
              boolean more = rows.size() > limit;
              List<Row> shown = more ? rows.subList(0, limit) : rows;
              List<JsonNode> items = new ArrayList<>(shown.size());
              for (Row r : shown) {
                ObjectNode event = ContractJson.mapper().createObjectNode();
                event.put("specversion", "1.0");
                event.put("id", r.getString("event_id"));
                event.put("type", r.getString("type"));
                event.put("source", "/provisioninghub/tenants/" + tenant);
                event.put("subject", r.getString("subject"));
                event.put("time", r.get(OffsetDateTime.class, "time").toInstant().toString());
                event.put("datacontenttype", "application/json");
                event.set("data", parse(r.getString("data")));
                items.add(event);
              }
              long last = shown.isEmpty() ? after : shown.get(shown.size() - 1).getLong("seq");
              return new AppPage(items, AppCursor.ofSeq(last).encode(), more, asOf);
            });
  }

  private Uni<Void> exists(String tenant, Kind kind, UUID id) {
    return query(
            "select 1 from " + kind.table + " where tenant_id = $1 and id = $2",
            Tuple.of(tenant, id),
            tenant)
        .map(
            rows -> {
              if (rows.isEmpty()) {
                throw notFound(kind, id);
              }
              return null;
            });
  }

  private static AppPage page(
      List<Row> rows, int limit, java.util.function.Function<Row, JsonNode> item) {
    boolean more = rows.size() > limit;
    List<Row> shown = more ? rows.subList(0, limit) : rows;
    String next = more ? AppCursor.ofId(shown.get(shown.size() - 1).getUUID("id")).encode() : null;
    return new AppPage(shown.stream().map(item).toList(), next, more, Instant.now());
  }

  private static JsonNode render(Kind kind, Row row) {
    ObjectNode resource = parse(row.getString("resource"));
    ResourceMeta.put(
        resource,
        kind.resourceType,
        row.get(OffsetDateTime.class, "created"),
        row.get(OffsetDateTime.class, "last_modified"),
        row.getLong("version"));
    return resource;
  }

  private static ResourceNotFoundException notFound(Kind kind, UUID id) {
    return new ResourceNotFoundException(
        (kind == Kind.USERS ? "no user " : "no group ") + id + " in this tenant");
  }

  private Uni<List<Row>> query(String sql, Tuple params, String tenant) {
    return pool.preparedQuery(sql)
        .execute(params)
        .map(
            rows -> {
              List<Row> out = new ArrayList<>(rows.size());
              rows.forEach(out::add);
              return out;
            })
        .onFailure(f -> !(f instanceof ScimException))
        .transform(
            e -> {
              LOG.warnf("application read failed for tenant %s: %s", tenant, e.toString());
              return new ServiceUnavailableException(
                  "the store is temporarily unavailable", config.retryAfterSeconds(), e);
            });
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) ContractJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 410: the feed no longer holds everything after this cursor. */
  static final class CursorExpiredException extends ScimException {
    CursorExpiredException() {
      super(
          410,
          null,
          "events after this cursor are older than the feed keeps (phub.processor.event-feed"
              + ".retention); resynchronise with the users and groups lists, then follow the feed"
              + " from a new cursor");
    }
  }
}
