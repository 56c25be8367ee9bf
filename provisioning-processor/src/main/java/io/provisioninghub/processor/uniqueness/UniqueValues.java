package io.provisioninghub.processor.uniqueness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.processor.apply.Documents;
import io.provisioninghub.processor.apply.Statements;
import io.provisioninghub.scim.error.ConflictException;
import io.provisioninghub.scim.schema.ResolvedAttribute;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.TenantSchemas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Enforces {@code uniqueness: server} of a tenant's own extension attributes in the processor's
 * transaction (docs/adr/0012), through {@code scim.unique_values}, whose primary key admits one
 * holder per value. The unique attributes come from the schemas the command carries, so a tenant
 * that declared none costs no statement at all.
 *
 * <p>A value a write sets is claimed: if another resource's claim is in the way and that resource
 * still holds the value, the write is 409 {@code uniqueness}; a claim whose holder no longer holds
 * the value (it was deleted or changed while the attribute was not declared unique) is taken over.
 * A value the write keeps unchanged is claimed if nobody has, and never refused: data stored before
 * the attribute was declared unique may hold duplicates, and an unrelated change to one of them
 * must not fail.
 */
@ApplicationScoped
public class UniqueValues {

  /**
   * Claims the unique values {@code after} holds that {@code before} (null for a create) did not,
   * and releases those it no longer holds.
   *
   * @throws ConflictException (as a failed Uni) when another resource holds a value this write sets
   */
  public Uni<Void> claim(
      SqlConnection connection,
      ProvisioningCommand command,
      ResourceKind kind,
      UUID id,
      ObjectNode before,
      ObjectNode after) {
    List<ResolvedAttribute> unique = TenantSchemas.of(command.extensions()).uniqueAttributes(kind);
    Uni<Void> all = Uni.createFrom().voidItem();
    for (ResolvedAttribute attr : unique) {
      String was = before == null ? null : key(before, attr);
      String now = key(after, attr);
      String attribute = attr.canonicalPath().toLowerCase(Locale.ROOT);
      String tenant = command.tenantId();
      String type = kind.resourceTypeName();
      if (was != null && !was.equals(now)) {
        all = all.call(() -> release(connection, tenant, type, attribute, was, id));
      }
      if (now != null) {
        boolean sets = !now.equals(was);
        all = all.call(() -> take(connection, tenant, kind, attr, attribute, now, id, sets));
      }
    }
    return all;
  }

  /** Releases every value a deleted resource held (only if its tenant declares unique ones). */
  public Uni<Void> releaseAll(
      SqlConnection connection, ProvisioningCommand command, ResourceKind kind, UUID id) {
    if (TenantSchemas.of(command.extensions()).uniqueAttributes(kind).isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Statements.run(
            connection,
            "delete from scim.unique_values where tenant_id = $1"
                + " and resource_id = $2 and resource_type = $3",
            command.tenantId(),
            id,
            kind.resourceTypeName())
        .replaceWithVoid();
  }

  private static Uni<Void> release(
      SqlConnection connection,
      String tenant,
      String type,
      String attribute,
      String hash,
      UUID id) {
    return Statements.run(
            connection,
            "delete from scim.unique_values where tenant_id = $1"
                + " and resource_type = $2 and attribute = $3"
                + " and value_hash = $4 and resource_id = $5",
            tenant,
            type,
            attribute,
            hash,
            id)
        .replaceWithVoid();
  }

  private static Uni<Void> take(
      SqlConnection connection,
      String tenant,
      ResourceKind kind,
      ResolvedAttribute attr,
      String attribute,
      String hash,
      UUID id,
      boolean sets) {
    String type = kind.resourceTypeName();
    // The key admits one row: a concurrent transaction claiming the same value waits here for the
    // first one's end, and then sees its row.
    return Statements.run(
            connection,
            "insert into scim.unique_values"
                + " (tenant_id, resource_type, attribute, value_hash, resource_id)"
                + " values ($1, $2, $3, $4, $5)"
                + " on conflict do nothing returning resource_id",
            tenant,
            type,
            attribute,
            hash,
            id)
        .flatMap(
            inserted ->
                inserted.size() == 0
                    ? contested(connection, tenant, kind, attr, attribute, hash, id, sets)
                    : Uni.createFrom().voidItem());
  }

  /** The value is claimed already: by whom, and do they still hold it? */
  private static Uni<Void> contested(
      SqlConnection connection,
      String tenant,
      ResourceKind kind,
      ResolvedAttribute attr,
      String attribute,
      String hash,
      UUID id,
      boolean sets) {
    String type = kind.resourceTypeName();
    String table = kind == ResourceKind.USER ? "scim.users" : "scim.groups";
    // The holder may be a resource an earlier command of this batch wrote: its statements ran
    // already, on this connection.
    return Statements.run(
            connection,
            "select v.resource_id, r.resource::text from scim.unique_values v"
                + " left join "
                + table
                + " r on r.tenant_id = v.tenant_id and r.id = v.resource_id"
                + " where v.tenant_id = $1 and v.resource_type = $2"
                + " and v.attribute = $3 and v.value_hash = $4"
                + " for update of v",
            tenant,
            type,
            attribute,
            hash)
        .flatMap(
            rows -> {
              if (rows.size() == 0) {
                // Released between our insert and this read: claim it again.
                return take(connection, tenant, kind, attr, attribute, hash, id, sets);
              }
              Row first = rows.iterator().next();
              UUID holder = first.getUUID(0);
              String document = first.getString(1);
              if (holder.equals(id)) {
                return Uni.createFrom().voidItem();
              }
              boolean held = document != null && hash.equals(key(Documents.parse(document), attr));
              if (held) {
                if (sets) {
                  throw new ConflictException(
                      "'"
                          + attr.canonicalPath()
                          + "' is unique and another "
                          + kind.resourceTypeName()
                          + " already has this value");
                }
                return Uni.createFrom().voidItem();
              }
              return Statements.run(
                      connection,
                      "update scim.unique_values set resource_id = $1"
                          + " where tenant_id = $2 and resource_type = $3"
                          + " and attribute = $4 and value_hash = $5",
                      id,
                      tenant,
                      type,
                      attribute,
                      hash)
                  .replaceWithVoid();
            });
  }

  /**
   * The claim key of the attribute's value in {@code doc}: SHA-256 (hex) of the value, lower-cased
   * unless it is caseExact; null when the document holds no value. Names are matched
   * case-insensitively, as a document stored before its schema was declared may spell them so.
   */
  static String key(ObjectNode doc, ResolvedAttribute attr) {
    JsonNode ext = field(doc, attr.schemaUrn());
    JsonNode value = ext == null ? null : field(ext, attr.attribute().name());
    if (value == null || !value.isValueNode() || value.isNull()) {
      return null;
    }
    String text = value.asText();
    if (text.isEmpty()) {
      return null;
    }
    if (!attr.attribute().caseExact()) {
      text = text.toLowerCase(Locale.ROOT);
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static JsonNode field(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode exact = node.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
