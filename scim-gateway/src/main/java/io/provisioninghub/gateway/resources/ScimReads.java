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
    String sql = select(kind, withMembers, 3) + " where tenant_id = $1 and id = $2";
    return query(sql, Tuple.of(tenant.id(), uuid.get(), baseUrl), tenant)
        .map(
            rows ->
                rows.isEmpty()
                    ? Optional.<Rendered>empty()
                    : Optional.of(
                        render(kind, rows.get(0), baseUrl, attributes, excludedAttributes)));
  }

  /** A filtered, sorted page, as a ListResponse body. */
  public Uni<String> list(Tenant tenant, ResourceKind kind, ListQuery q, String baseUrl) {
    if (q.cursorPaging()) {
      return listByCursor(tenant, kind, q, baseUrl);
    }
    SqlCondition condition =
        q.filter() == null
            ? new SqlCondition("TRUE", List.of())
            : FilterToSql.translate(q.filter(), kind, 2);
    String orderBy = FilterToSql.orderBy(q.sortBy(), q.sortOrder(), kind);
    List<Object> params = new ArrayList<>();
    params.add(tenant.id());
    params.addAll(condition.params());
    String table = table(kind);
    String where = " where tenant_id = $1 and (" + condition.sql() + ")";
    Uni<Long> total =
        query("select count(*) from " + table + where, Tuple.from(params), tenant)
            .map(rows -> rows.get(0).getLong(0));
    if (q.count() == 0) {
      return total.map(n -> listResponse(n, q.startIndex(), List.of()));
    }
    boolean withMembers = membersReturned(kind, q.attributes(), q.excludedAttributes());
    int baseParam = params.size() + 1;
    List<Object> pageParams = new ArrayList<>(params);
    pageParams.add(baseUrl);
    pageParams.add(q.count());
    pageParams.add(q.startIndex() - 1L);
    String sql =
        select(kind, withMembers, baseParam)
            + where
            + " order by "
            + orderBy
            + " limit $"
            + (baseParam + 1)
            + " offset $"
            + (baseParam + 2);
    Uni<List<String>> page =
        query(sql, Tuple.from(pageParams), tenant)
            .map(
                rows ->
                    rows.stream()
                        .map(
                            r ->
                                render(kind, r, baseUrl, q.attributes(), q.excludedAttributes())
                                    .json())
                        .toList());
    return Uni.combine()
        .all()
        .unis(total, page)
        .asTuple()
        .map(t -> listResponse(t.getItem1(), q.startIndex(), t.getItem2()));
  }

  /**
   * Cursor paging (RFC 9865): keyset on id, so a page costs the same however deep it is and pages
   * never overlap even while resources are added. The cursor is the opaque, encoded last id.
   */
  private Uni<String> listByCursor(Tenant tenant, ResourceKind kind, ListQuery q, String baseUrl) {
    if (q.sortBy() != null) {
      throw new BadRequestException(
          ScimType.invalidValue, "cursor paging returns resources in id order; omit sortBy");
    }
    Optional<UUID> after = Cursors.decode(q.cursor());
    SqlCondition condition =
        q.filter() == null
            ? new SqlCondition("TRUE", List.of())
            : FilterToSql.translate(q.filter(), kind, 2);
    List<Object> params = new ArrayList<>();
    params.add(tenant.id());
    params.addAll(condition.params());
    String where = " where tenant_id = $1 and (" + condition.sql() + ")";
    Uni<Long> total =
        query("select count(*) from " + table(kind) + where, Tuple.from(params), tenant)
            .map(rows -> rows.get(0).getLong(0));
    boolean withMembers = membersReturned(kind, q.attributes(), q.excludedAttributes());
    int baseParam = params.size() + 1;
    List<Object> pageParams = new ArrayList<>(params);
    pageParams.add(baseUrl);
    StringBuilder sql = new StringBuilder(select(kind, withMembers, baseParam)).append(where);
    int next = baseParam + 1;
    if (after.isPresent()) {
      sql.append(" and id > $").append(next++);
      pageParams.add(after.get());
    }
    sql.append(" order by id limit $").append(next);
    pageParams.add(q.count() + 1);
    Uni<List<Rendered>> page =
        query(sql.toString(), Tuple.from(pageParams), tenant)
            .map(
                rows ->
                    rows.stream()
                        .map(r -> render(kind, r, baseUrl, q.attributes(), q.excludedAttributes()))
                        .toList());
    return Uni.combine()
        .all()
        .unis(total, page)
        .asTuple()
        .map(
            t -> {
              List<Rendered> rows = t.getItem2();
              boolean more = rows.size() > q.count();
              List<Rendered> shown = more ? rows.subList(0, q.count()) : rows;
              String nextCursor =
                  more ? Cursors.encode(UUID.fromString(shown.get(shown.size() - 1).id())) : null;
              return cursorResponse(
                  t.getItem1(), shown.stream().map(Rendered::json).toList(), nextCursor);
            });
  }

  private static String cursorResponse(long total, List<String> resources, String nextCursor) {
    String indexed = listResponse(total, 1, resources);
    String withoutStart = indexed.replace(",\"startIndex\":1,", ",");
    if (nextCursor == null) {
      return withoutStart;
    }
    return withoutStart.substring(0, withoutStart.length() - 1)
        + ",\"nextCursor\":\""
        + nextCursor
        + "\"}";
  }

  private static String listResponse(long total, int startIndex, List<String> resources) {
    StringBuilder json = new StringBuilder(64 + resources.stream().mapToInt(String::length).sum());
    json.append("{\"schemas\":[\"")
        .append(ScimSchemas.LIST_RESPONSE)
        .append("\"],\"totalResults\":")
        .append(total)
        .append(",\"startIndex\":")
        .append(startIndex)
        .append(",\"itemsPerPage\":")
        .append(resources.size())
        .append(",\"Resources\":[");
    for (int i = 0; i < resources.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(resources.get(i));
    }
    return json.append("]}").toString();
  }

  private static String select(ResourceKind kind, boolean withMembers, int baseUrlParam) {
    if (kind == ResourceKind.USER) {
      return "select id, resource::text as resource, version, created, last_modified,"
          + " (select coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name,"
          + " '$ref', $"
          + baseUrlParam
          + " || '/Groups/' || g.id) order by g.id), '[]')::text"
          + " from scim.group_members gm join scim.groups g"
          + " on g.tenant_id = gm.tenant_id and g.id = gm.group_id"
          + " where gm.tenant_id = users.tenant_id and gm.member_id = users.id) as related"
          + " from scim.users";
    }
    String members =
        withMembers
            ? "(select coalesce(json_agg(json_build_object('value', gm.member_id, 'type',"
                + " gm.member_type, '$ref', $"
                + baseUrlParam
                + " || case when gm.member_type = 'Group' then '/Groups/' else '/Users/' end"
                + " || gm.member_id) order by gm.member_id), '[]')::text"
                + " from scim.group_members gm"
                + " where gm.tenant_id = groups.tenant_id and gm.group_id = groups.id)"
            : "case when $" + baseUrlParam + "::text is null then null else null end";
    return "select id, resource::text as resource, version, created, last_modified, "
        + members
        + " as related from scim.groups";
  }

  private static Rendered render(
      ResourceKind kind, Row row, String baseUrl, String attributes, String excludedAttributes) {
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
    String related = row.getString("related");
    boolean hasRelated = related != null && !related.equals("[]");
    if (kind == ResourceKind.USER && hasRelated) {
      resource.set("groups", parse("{\"g\":" + related + "}").get("g"));
    }
    ObjectNode projected =
        AttributeProjection.apply(resource, attributes, excludedAttributes, kind);
    String json = projected.toString();
    if (kind == ResourceKind.GROUP && hasRelated) {
      // Splice the database-built members array in as text: no per-member Java objects.
      json = json.substring(0, json.length() - 1) + ",\"members\":" + related + "}";
    }
    return new Rendered(id, json, version);
  }

  private Uni<List<Row>> query(String sql, Tuple params, Tenant tenant) {
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
              LOG.warnf("read failed for tenant %s: %s", tenant.id(), e.toString());
              return new ServiceUnavailableException(
                  "the store is temporarily unavailable", config.retryAfterSeconds(), e);
            });
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
