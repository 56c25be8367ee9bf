package io.provisioninghub.gateway.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.auth.Tenant;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.filter.FilterToSql;
import io.provisioninghub.scim.filter.SqlCondition;
import io.provisioninghub.scim.patch.AttributeProjection;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reads users and groups straight from PostgreSQL, always within the caller's tenant, with every
 * value bound as a parameter. A group's members are aggregated to JSON text by the database and
 * spliced into the response, so a group of 100,000 members never becomes 100,000 Java objects.
 */
@ApplicationScoped
public class ScimReads {

  private static final Logger LOG = Logger.getLogger(ScimReads.class);

  /**
   * SQLSTATE classes and codes meaning the store cannot answer now, whatever was asked: connection
   * (08), resources (53), shutdown and recovery (57P), system errors (58), serialization and
   * deadlock (40). A statement timeout is 57014, not among them.
   */
  private static final List<String> UNAVAILABLE = List.of("08", "53", "57P", "58", "40", "XX");

  private final Pool pool;
  private final GatewayConfig config;

  public ScimReads(Pool pool, GatewayConfig config) {
    this.pool = pool;
    this.config = config;
  }

  /** One resource, or empty if the tenant has none with this id. */
  public Uni<Optional<Rendered>> find(
      Tenant tenant,
      ResourceKind kind,
      String id,
      String baseUrl,
      String attributes,
      String excludedAttributes) {
    Optional<UUID> uuid = parseUuid(id);
    if (uuid.isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    boolean withMembers = membersReturned(kind, attributes, excludedAttributes);
    List<Object> params = new ArrayList<>(List.of(tenant.id(), uuid.get()));
    String sql = select(kind, withMembers, params, baseUrl) + " where tenant_id = $1 and id = $2";
    return query(sql, Tuple.from(params), tenant)
        .map(
            rows ->
                rows.isEmpty()
                    ? Optional.<Rendered>empty()
                    : Optional.of(
                        render(
                            kind, rows.get(0), baseUrl, attributes, excludedAttributes, tenant)));
  }

  /** A filtered, sorted page, as a ListResponse body. */
  /**
   * A filtered, sorted page as a ListResponse body: by {@code startIndex}/{@code count}, or, when
   * the client sent a {@code cursor}, keyset on id (RFC 9865), so a page costs the same however
   * deep it is and pages never overlap even while resources are added.
   */
  public Uni<String> list(Tenant tenant, ResourceKind kind, ListQuery q, String baseUrl) {
    if (q.cursorPaging() && q.sortBy() != null) {
      throw new BadRequestException(
          ScimType.invalidValue, "cursor paging returns resources in id order; omit sortBy");
    }
    Optional<UUID> after = q.cursorPaging() ? Cursors.decode(q.cursor()) : Optional.empty();
    SqlCondition condition =
        q.filter() == null
            ? new SqlCondition("TRUE", List.of())
            : FilterToSql.translate(q.filter(), kind, 2, tenant.schemas());
    List<Object> params = new ArrayList<>();
    params.add(tenant.id());
    params.addAll(condition.params());
    String where = " where tenant_id = $1 and (" + condition.sql() + ")";
    Uni<Long> total =
        query("select count(*) from " + table(kind) + where, Tuple.from(params), tenant, q)
            .map(rows -> rows.get(0).getLong(0));
    if (q.count() == 0) {
      return total.map(n -> listResponse(n, q, List.of(), null));
    }

    boolean withMembers = membersReturned(kind, q.attributes(), q.excludedAttributes());
    List<Object> pageParams = new ArrayList<>(params);
    StringBuilder sql = new StringBuilder(select(kind, withMembers, pageParams, baseUrl));
    sql.append(where);
    if (q.cursorPaging()) {
      if (after.isPresent()) {
        pageParams.add(after.get());
        sql.append(" and id > $").append(pageParams.size());
      }
      // One more than asked for tells whether there is a next page.
      pageParams.add(q.count() + 1);
      sql.append(" order by id limit $").append(pageParams.size());
    } else {
      pageParams.add(q.count());
      pageParams.add(q.startIndex() - 1L);
      sql.append(" order by ")
          .append(FilterToSql.orderBy(q.sortBy(), q.sortOrder(), kind, tenant.schemas()))
          .append(" limit $")
          .append(pageParams.size() - 1)
          .append(" offset $")
          .append(pageParams.size());
    }
    Uni<List<Rendered>> page =
        query(sql.toString(), Tuple.from(pageParams), tenant, q)
            .map(
                rows ->
                    rows.stream()
                        .map(
                            r ->
                                render(
                                    kind,
                                    r,
                                    baseUrl,
                                    q.attributes(),
                                    q.excludedAttributes(),
                                    tenant))
                        .toList());
    // The count is a second query; skip it when the first page already holds every match (the
    // common case: Entra's and Okta's `userName eq` lookups find zero or one resource).
    boolean firstPage = q.cursorPaging() ? after.isEmpty() : q.startIndex() == 1;
    return page.flatMap(
        rows -> {
          boolean more = q.cursorPaging() && rows.size() > q.count();
          List<Rendered> shown = more ? rows.subList(0, q.count()) : rows;
          String nextCursor =
              more ? Cursors.encode(UUID.fromString(shown.get(shown.size() - 1).id())) : null;
          List<String> json = shown.stream().map(Rendered::json).toList();
          if (firstPage && rows.size() < q.count()) {
            return Uni.createFrom().item(listResponse(rows.size(), q, json, nextCursor));
          }
          return total.map(n -> listResponse(n, q, json, nextCursor));
        });
  }

  /** A ListResponse; cursor pages carry {@code nextCursor} (while there is more) for startIndex. */
  private static String listResponse(
      long total, ListQuery q, List<String> resources, String nextCursor) {
    StringBuilder json = new StringBuilder(96 + resources.stream().mapToInt(String::length).sum());
    json.append("{\"schemas\":[\"")
        .append(ScimSchemas.LIST_RESPONSE)
        .append("\"],\"totalResults\":")
        .append(total);
    if (!q.cursorPaging()) {
      json.append(",\"startIndex\":").append(q.startIndex());
    }
    json.append(",\"itemsPerPage\":").append(resources.size());
    if (nextCursor != null) {
      json.append(",\"nextCursor\":\"").append(nextCursor).append('"');
    }
    json.append(",\"Resources\":[");
    for (int i = 0; i < resources.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(resources.get(i));
    }
    return json.append("]}").toString();
  }

  /**
   * The select list: the row, and as {@code related} the JSON of a user's groups or a group's
   * members (when returned), built by the database. Adds the base URL parameter only if used.
   */
  private static String select(
      ResourceKind kind, boolean withMembers, List<Object> params, String baseUrl) {
    String columns = "select id, resource::text as resource, version, created, last_modified, ";
    if (kind == ResourceKind.USER) {
      params.add(baseUrl);
      return columns
          + "(select coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name,"
          + " '$ref', $"
          + params.size()
          + " || '/Groups/' || g.id) order by g.id), '[]')::text"
          + " from scim.group_members gm join scim.groups g"
          + " on g.tenant_id = gm.tenant_id and g.id = gm.group_id"
          + " where gm.tenant_id = users.tenant_id and gm.member_id = users.id) as related, "
          + MANAGER_NAME
          + " from scim.users";
    }
    if (!withMembers) {
      return columns + "null::text as related from scim.groups";
    }
    params.add(baseUrl);
    return columns
        + "(select coalesce(json_agg(json_build_object('value', gm.member_id, 'type',"
        + " gm.member_type, '$ref', $"
        + params.size()
        + " || case when gm.member_type = 'Group' then '/Groups/' else '/Users/' end"
        + " || gm.member_id) order by gm.member_id), '[]')::text"
        + " from scim.group_members gm"
        + " where gm.tenant_id = groups.tenant_id and gm.group_id = groups.id) as related"
        + " from scim.groups";
  }

  /**
   * The current displayName of a user's manager (a user of the same tenant), computed on every read
   * so it follows a rename; a stored id that is not a UUID (written before managers were checked)
   * matches no one.
   */
  private static final String MANAGER_NAME =
      "(select m.display_name from scim.users m where m.tenant_id = users.tenant_id and m.id ="
          + " (select case when v ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
          + " then v::uuid end from (select users.resource -> '"
          + ScimSchemas.ENTERPRISE_USER
          + "' -> 'manager' ->> 'value' as v) mv)) as manager_name";

  private static Rendered render(
      ResourceKind kind,
      Row row,
      String baseUrl,
      String attributes,
      String excludedAttributes,
      Tenant tenant) {
    ObjectNode resource = parse(row.getString("resource"));
    String id = row.getUUID("id").toString();
    long version = row.getLong("version");
    ResourceMeta.put(
        resource,
        kind == ResourceKind.USER ? "User" : "Group",
        row.get(OffsetDateTime.class, "created"),
        row.get(OffsetDateTime.class, "last_modified"),
        version);
    ResourceMeta.locate(
        resource, baseUrl + (kind == ResourceKind.USER ? "/Users/" : "/Groups/") + id);
    if (kind == ResourceKind.USER) {
      ResourceMeta.linkManager(resource, baseUrl, row.getString("manager_name"));
    }
    String related = row.getString("related");
    boolean hasRelated = related != null && !related.equals("[]");
    if (kind == ResourceKind.USER && hasRelated) {
      resource.set("groups", parse("{\"g\":" + related + "}").get("g"));
    }
    ObjectNode projected =
        AttributeProjection.apply(resource, attributes, excludedAttributes, kind, tenant.schemas());
    String json = projected.toString();
    if (kind == ResourceKind.GROUP && hasRelated) {
      // Splice the database-built members array in as text: no per-member Java objects.
      json = json.substring(0, json.length() - 1) + ",\"members\":" + related + "}";
    }
    return new Rendered(id, json, version);
  }

  /**
   * Whether another resource of the tenant already holds {@code value} in an attribute its own
   * extension schema declares unique: the gateway's check before a create or replace
   * (docs/adr/0012). It reads through the same filter translation and index as an {@code eq}
   * filter. Two writes racing with the same value can both pass it; see the ADR.
   */
  public Uni<Boolean> heldByAnother(
      Tenant tenant, ResourceKind kind, String resourceId, String attributePath, String value) {
    SqlCondition condition =
        FilterToSql.translate(
            attributePath + " eq " + new com.fasterxml.jackson.databind.node.TextNode(value),
            kind,
            3,
            tenant.schemas());
    List<Object> params = new ArrayList<>();
    params.add(tenant.id());
    params.add(UUID.fromString(resourceId));
    params.addAll(condition.params());
    String sql =
        "select 1 from "
            + table(kind)
            + " where tenant_id = $1 and id <> $2 and ("
            + condition.sql()
            + ") limit 1";
    return query(sql, Tuple.from(params), tenant).map(rows -> !rows.isEmpty());
  }

  private Uni<List<Row>> query(String sql, Tuple params, Tenant tenant) {
    return query(sql, params, tenant, null);
  }

  /**
   * Runs one read. A failure the client caused is its 4xx: the statement timeout (a list that is
   * too expensive to evaluate) and a value PostgreSQL refuses. A store that cannot be reached is
   * 503; any other database error is a bug in the SQL built here (500).
   */
  private Uni<List<Row>> query(String sql, Tuple params, Tenant tenant, ListQuery list) {
    return pool.preparedQuery(sql)
        .execute(params)
        .map(
            rows -> {
              List<Row> out = new ArrayList<>(rows.size());
              rows.forEach(out::add);
              return out;
            })
        .onFailure(f -> !(f instanceof ScimException))
        .transform(e -> readFailure(e, tenant, list));
  }

  private RuntimeException readFailure(Throwable e, Tenant tenant, ListQuery list) {
    String state = e instanceof DatabaseException db ? db.getSqlState() : null;
    boolean timedOut = "57014".equals(state);
    if (state == null
        || UNAVAILABLE.stream().anyMatch(state::startsWith)
        || (timedOut && list == null)) {
      LOG.warnf("read failed for tenant %s: %s", tenant.id(), e.toString());
      return new ServiceUnavailableException(
          "the store is temporarily unavailable", config.retryAfterSeconds(), e);
    }
    if (timedOut) {
      LOG.infof("read for tenant %s cancelled by the statement timeout", tenant.id());
      String limit = "it was cancelled after " + config.readStatementTimeout().toMillis() + " ms";
      return list.filter() != null
          ? new BadRequestException(
              ScimType.invalidFilter,
              "The filter is too expensive to evaluate: "
                  + limit
                  + ". Narrow it: compare userName, externalId, id or displayName with eq, and use"
                  + " fewer co/sw/ew terms",
              e)
          : new BadRequestException(
              ScimType.tooMany,
              "The list request is too expensive to evaluate: "
                  + limit
                  + ". Use a filter, or cursor paging instead of a large startIndex",
              e);
    }
    if (state.equals("22021") || state.equals("22P05")) {
      return new BadRequestException(
          list != null && list.filter() != null ? ScimType.invalidFilter : ScimType.invalidValue,
          "A value in the request contains a character the store cannot hold",
          e);
    }
    LOG.errorf(e, "read failed for tenant %s (SQLSTATE %s)", tenant.id(), state);
    return new IllegalStateException("read failed with SQLSTATE " + state, e);
  }

  /** Whether a group's {@code members} belong in the response under these parameters. */
  static boolean membersReturned(ResourceKind kind, String attributes, String excluded) {
    if (kind != ResourceKind.GROUP) {
      return false;
    }
    if (attributes != null && !attributes.isBlank()) {
      for (String a : attributes.split(",")) {
        String name = lastSegment(a);
        if (name.equals("members") || name.startsWith("members.")) {
          return true;
        }
      }
      return false;
    }
    if (excluded != null) {
      for (String a : excluded.split(",")) {
        if (lastSegment(a).equals("members")) {
          return false;
        }
      }
    }
    return true;
  }

  private static String lastSegment(String attribute) {
    String a = attribute.trim().toLowerCase(Locale.ROOT);
    String prefix = ScimSchemas.CORE_GROUP.toLowerCase(Locale.ROOT) + ":";
    return a.startsWith(prefix) ? a.substring(prefix.length()) : a;
  }

  private static String table(ResourceKind kind) {
    return kind == ResourceKind.USER ? "scim.users" : "scim.groups";
  }

  private static ObjectNode parse(String json) {
    try {
      JsonNode node = ContractJson.mapper().readTree(json);
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<UUID> parseUuid(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
