package io.provisioninghub.graphsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.graphsync.scim.ScimTarget;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the gateway in graph-sync's tests: users and groups per tenant in memory, userName and
 * displayName unique per tenant (409), and the PATCHes the sync sends (replace active or
 * displayName; add, replace and remove members). The real gateway is in the system tests.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryScim implements ScimTarget {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MEMBER = Pattern.compile("value eq \"([^\"]+)\"");

  /** tenant → kind → id → resource (groups keep their members in a set beside). */
  final Map<String, Map<Kind, Map<String, ObjectNode>>> data = new ConcurrentHashMap<>();

  final Map<String, Map<String, Set<String>>> members = new ConcurrentHashMap<>();
  final AtomicInteger writes = new AtomicInteger();

  /** Tenants this stand-in refuses as the gateway refuses a suspended one. */
  private final Set<String> suspended = ConcurrentHashMap.newKeySet();

  /** Refuses (true) or serves again (false) a tenant; a method, so it reaches the bean. */
  void suspend(String tenant, boolean refused) {
    if (refused) {
      suspended.add(tenant);
    } else {
      suspended.remove(tenant);
    }
  }

  Map<String, ObjectNode> of(String tenant, Kind kind) {
    return data.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
  }

  Set<String> membersOf(String tenant, String groupId) {
    return members
        .computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(groupId, g -> ConcurrentHashMap.newKeySet());
  }

  Optional<ObjectNode> byExternalId(String tenant, Kind kind, String externalId) {
    return of(tenant, kind).values().stream()
        .filter(r -> externalId.equals(r.path("externalId").asText()))
        .findFirst();
  }

  @Override
  public void requireServing(String tenantId) {
    if (suspended.contains(tenantId)) {
      throw new IllegalStateException(
          "the gateway answered 403 this tenant is suspended; contact the provider");
    }
  }

  @Override
  public Optional<String> findByExternalId(String tenantId, Kind kind, String externalId) {
    return byExternalId(tenantId, kind, externalId).map(r -> r.get("id").asText());
  }

  @Override
  public synchronized Reply create(String tenantId, Kind kind, ObjectNode resource) {
    writes.incrementAndGet();
    String unique = kind == Kind.USERS ? "userName" : "displayName";
    String value = resource.path(unique).asText();
    boolean taken =
        of(tenantId, kind).values().stream()
            .anyMatch(r -> r.path(unique).asText().equalsIgnoreCase(value));
    if (taken) {
      return error(409, "uniqueness");
    }
    ObjectNode stored = resource.deepCopy();
    String id = UUID.randomUUID().toString();
    stored.put("id", id);
    of(tenantId, kind).put(id, stored);
    return new Reply(201, stored.deepCopy());
  }

  @Override
  public synchronized Reply replace(String tenantId, Kind kind, String id, ObjectNode resource) {
    writes.incrementAndGet();
    if (!of(tenantId, kind).containsKey(id)) {
      return error(404, "");
    }
    ObjectNode stored = resource.deepCopy();
    stored.put("id", id);
    of(tenantId, kind).put(id, stored);
    return new Reply(200, stored.deepCopy());
  }

  @Override
  public synchronized Reply patch(String tenantId, Kind kind, String id, ObjectNode patchOp) {
    writes.incrementAndGet();
    ObjectNode stored = of(tenantId, kind).get(id);
    if (stored == null) {
      return error(404, "");
    }
    for (JsonNode op : patchOp.path("Operations")) {
      String path = op.path("path").asText();
      String verb = op.path("op").asText();
      if (path.equals("members")) {
        Set<String> set = membersOf(tenantId, id);
        Set<String> given = new LinkedHashSet<>();
        op.path("value").forEach(m -> given.add(m.get("value").asText()));
        for (String m : given) {
          if (!of(tenantId, Kind.USERS).containsKey(m)
              && !of(tenantId, Kind.GROUPS).containsKey(m)) {
            return error(400, "invalidValue");
          }
        }
        if (verb.equals("replace")) {
          set.clear();
        }
        set.addAll(given);
      } else if (path.startsWith("members[") && verb.equals("remove")) {
        Matcher m = MEMBER.matcher(path);
        while (m.find()) {
          membersOf(tenantId, id).remove(m.group(1));
        }
      } else if (verb.equals("replace")) {
        stored.set(path, op.get("value"));
      } else {
        return error(400, "invalidPath");
      }
    }
    return new Reply(200, stored.deepCopy());
  }

  @Override
  public synchronized Reply delete(String tenantId, Kind kind, String id) {
    writes.incrementAndGet();
    if (of(tenantId, kind).remove(id) == null) {
      return error(404, "");
    }
    if (kind == Kind.USERS) {
      members.getOrDefault(tenantId, Map.of()).values().forEach(s -> s.remove(id));
    } else {
      membersOf(tenantId, id).clear();
    }
    return new Reply(204, JSON.createObjectNode());
  }

  private static Reply error(int status, String scimType) {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", Integer.toString(status));
    if (!scimType.isEmpty()) {
      body.put("scimType", scimType);
    }
    return new Reply(status, body);
  }
}
