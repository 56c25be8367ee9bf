package io.provisioninghub.processor.uniqueness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.processor.apply.Documents;
import io.provisioninghub.processor.apply.Sessions;
import io.provisioninghub.scim.error.ConflictException;
import io.provisioninghub.scim.schema.ResolvedAttribute;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.TenantSchemas;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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
        all = all.call(() -> release(tenant, type, attribute, was, id));
      }
      if (now != null) {
        boolean sets = !now.equals(was);
        all = all.call(() -> take(tenant, kind, attr, attribute, now, id, sets));
      }
    }
    return all;
  }

  /** Releases every value a deleted resource held (only if its tenant declares unique ones). */
  public Uni<Void> releaseAll(ProvisioningCommand command, ResourceKind kind, UUID id) {
    if (TenantSchemas.of(command.extensions()).uniqueAttributes(kind).isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Panache.getSession()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "delete from scim.unique_values where tenant_id = :tenant"
                            + " and resource_id = :id and resource_type = :type")
                    .setParameter("tenant", command.tenantId())
                    .setParameter("id", id)
                    .setParameter("type", kind.resourceTypeName())
                    .executeUpdate())
        .replaceWithVoid();
  }

  private static Uni<Void> release(
      String tenant, String type, String attribute, String hash, UUID id) {
    return Panache.getSession()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "delete from scim.unique_values where tenant_id = :tenant"
                            + " and resource_type = :type and attribute = :attribute"
                            + " and value_hash = :hash and resource_id = :id")
                    .setParameter("tenant", tenant)
                    .setParameter("type", type)
                    .setParameter("attribute", attribute)
                    .setParameter("hash", hash)
                    .setParameter("id", id)
                    .executeUpdate())
        .replaceWithVoid();
  }

  private static Uni<Void> take(
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
    return Panache.getSession()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "insert into scim.unique_values"
                            + " (tenant_id, resource_type, attribute, value_hash, resource_id)"
                            + " values (:tenant, :type, :attribute, :hash, :id)"
                            + " on conflict do nothing returning resource_id",
                        UUID.class)
                    .setParameter("tenant", tenant)
                    .setParameter("type", type)
                    .setParameter("attribute", attribute)
                    .setParameter("hash", hash)
                    .setParameter("id", id)
                    .getResultList())
        .flatMap(
            inserted ->
                inserted.isEmpty()
                    ? contested(tenant, kind, attr, attribute, hash, id, sets)
                    : Uni.createFrom().voidItem());
  }

  /** The value is claimed already: by whom, and do they still hold it? */
  private static Uni<Void> contested(
      String tenant,
      ResourceKind kind,
      ResolvedAttribute attr,
      String attribute,
      String hash,
      UUID id,
      boolean sets) {
    String type = kind.resourceTypeName();
    String table = kind == ResourceKind.USER ? "scim.users" : "scim.groups";
    // Flushed: the holder may be a resource an earlier command of this batch wrote.
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "select v.resource_id, r.resource::text from scim.unique_values v"
                            + " left join "
                            + table
                            + " r on r.tenant_id = v.tenant_id and r.id = v.resource_id"
                            + " where v.tenant_id = :tenant and v.resource_type = :type"
                            + " and v.attribute = :attribute and v.value_hash = :hash"
                            + " for update of v",
                        Object[].class)
                    .setParameter("tenant", tenant)
                    .setParameter("type", type)
                    .setParameter("attribute", attribute)
                    .setParameter("hash", hash)
                    .getResultList()
                    .flatMap(
                        rows -> {
                          if (rows.isEmpty()) {
                            // Released between our insert and this read: claim it again.
                            return take(tenant, kind, attr, attribute, hash, id, sets);
                          }
                          UUID holder = (UUID) rows.get(0)[0];
                          String document = (String) rows.get(0)[1];
                          if (holder.equals(id)) {
                            return Uni.createFrom().voidItem();
                          }
                          boolean held =
                              document != null && hash.equals(key(Documents.parse(document), attr));
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
                          return s.createNativeQuery(
                                  "update scim.unique_values set resource_id = :id"
                                      + " where tenant_id = :tenant and resource_type = :type"
                                      + " and attribute = :attribute and value_hash = :hash")
                              .setParameter("id", id)
                              .setParameter("tenant", tenant)
                              .setParameter("type", type)
                              .setParameter("attribute", attribute)
                              .setParameter("hash", hash)
                              .executeUpdate()
                              .replaceWithVoid();
                        }));
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
