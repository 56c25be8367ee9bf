package io.provisioninghub.graphsync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.provisioninghub.graphsync.graph.GraphClient;
import io.provisioninghub.graphsync.graph.GraphClient.Credentials;
import io.provisioninghub.graphsync.graph.GraphClient.ResyncRequired;
import io.provisioninghub.graphsync.scim.ScimTarget;
import io.provisioninghub.graphsync.scim.ScimTarget.Reply;
import io.provisioninghub.graphsync.settings.SyncSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One round of one tenant: the users delta, then the groups delta, each from its stored delta link
 * (or from the start), every change written through the gateway's SCIM API. A user removed with
 * reason {@code changed} (soft-deleted in Entra, restorable) is deactivated, one removed with
 * reason {@code deleted} is deleted; a disabled account is {@code active: false}. Groups are
 * created or renamed, deleted when removed, and their members added and removed from {@code
 * members@delta}. An expired delta link starts that half again from scratch (a full round), after
 * which objects the tenant had but Graph no longer lists are deactivated (users) or deleted
 * (groups).
 *
 * <p>What one object's write does wrong (a 409 userName held by a user not from Graph, a 400) is
 * counted and logged with the Graph id, and the round goes on; what concerns the whole tenant
 * (Entra refuses the credentials, the gateway refuses the token) ends it. A round ended early
 * stores no delta link for the half it did not finish, so the next round does that half again;
 * every write is idempotent in effect.
 */
public final class SyncRound {

  private static final Logger LOG = Logger.getLogger(SyncRound.class);

  /** What a round needs from its runner: the lease, and where the delta links go. */
  public interface Hooks {
    /** Called after every page; false when the lease was lost and the round must stop. */
    boolean stillLeased();

    /** Stores the delta link of a complete half; false when the lease was lost. */
    boolean storeDeltaLink(boolean users, String link);
  }

  /** The lease on the tenant was lost to another instance: stop without storing anything. */
  public static class LeaseLost extends RuntimeException {
    public LeaseLost() {
      super("the tenant's lease was lost");
    }
  }

  private final SyncSettings settings;
  private final Credentials credentials;
  private final GraphClient graph;
  private final ScimTarget scim;
  private final ObjectMap map;
  private final Hooks hooks;
  private final ExecutorService writers;
  private final int membersPerPatch;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, String> userHashes = new ConcurrentHashMap<>();
  private final Map<String, String> groupHashes = new ConcurrentHashMap<>();
  private boolean full;

  public SyncRound(
      SyncSettings settings,
      Credentials credentials,
      GraphClient graph,
      ScimTarget scim,
      ObjectMap map,
      Hooks hooks,
      ExecutorService writers,
      int membersPerPatch) {
    this.settings = settings;
    this.credentials = credentials;
    this.graph = graph;
    this.scim = scim;
    this.map = map;
    this.hooks = hooks;
    this.writers = writers;
    this.membersPerPatch = membersPerPatch;
  }

  /** Whether any half of this round started from scratch. */
  public boolean full() {
    return full;
  }

  /** What the round did so far, by counter name (usersCreated, membersAdded, failures...). */
  public Map<String, Long> counts() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((k, v) -> snapshot.put(k, v.sum()));
    return snapshot;
  }

  public void run() {
    full = settings.usersDeltaLink() == null || settings.groupsDeltaLink() == null;
    // A suspended tenant's round ends here, before a token or a delta page is asked of Graph; its
    // delta links stay, so the first round after it is resumed goes on from them.
    scim.requireServing(tenant());
    Map<String, String> users = new ConcurrentHashMap<>(map.load(tenant(), ObjectMap.Kind.USER));
    userHashes.putAll(map.loadHashes(tenant(), ObjectMap.Kind.USER));
    groupHashes.putAll(map.loadHashes(tenant(), ObjectMap.Kind.GROUP));
    syncUsers(users);
    syncGroups(users);
  }

  // ---- users ----

  private void syncUsers(Map<String, String> users) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    String link = settings.usersDeltaLink();
    boolean fromScratch = link == null;
    Consumer<List<JsonNode>> apply =
        page -> {
          parallel(page, u -> user(u, users, seen));
          if (!hooks.stillLeased()) {
            throw new LeaseLost();
          }
        };
    String next;
    try {
      next = graph.delta(credentials, "users", link, apply::accept);
    } catch (ResyncRequired expired) {
      LOG.infof("tenant %s: the users delta link expired; full resync", tenant());
      count("usersResyncs");
      full = fromScratch = true;
      seen.clear();
      next = graph.delta(credentials, "users", null, apply::accept);
    }
    if (fromScratch) {
      // Users the tenant has from Graph that a full listing no longer has: gone while we did not
      // look (or out of scope). Deactivated, not deleted: the listing does not say why.
      List<String> missing = users.keySet().stream().filter(id -> !seen.contains(id)).toList();
      parallel(missing, id -> deactivate(id, users.get(id), "usersDeactivated"));
    }
    if (!hooks.storeDeltaLink(true, next)) {
      throw new LeaseLost();
    }
  }

  private void user(JsonNode u, Map<String, String> users, Set<String> seen) {
    String graphId = u.path("id").asText(null);
    if (graphId == null) {
      count("skipped");
      return;
    }
    seen.add(graphId);
    JsonNode removed = u.get("@removed");
    if (removed != null) {
      String scimId = users.get(graphId);
      if (scimId == null) {
        scimId = scim.findByExternalId(tenant(), ScimTarget.Kind.USERS, graphId).orElse(null);
      }
      if (scimId == null) {
        count("skipped");
      } else if ("deleted".equals(removed.path("reason").asText())) {
        Reply reply = scim.delete(tenant(), ScimTarget.Kind.USERS, scimId);
        if (reply.ok() || reply.status() == 404) {
          users.remove(graphId);
          map.remove(tenant(), ObjectMap.Kind.USER, graphId);
          count("usersDeleted");
        } else {
          failed("user", graphId, reply);
        }
      } else {
        deactivate(graphId, scimId, "usersSoftDeleted");
      }
      return;
    }
    if (!u.hasNonNull("userPrincipalName")) {
      // Graph sends every selected property; should it not, change what it sent.
      String scimId = users.get(graphId);
      if (scimId != null && u.has("accountEnabled")) {
        write(
            "user",
            graphId,
            scim.patch(
                tenant(),
                ScimTarget.Kind.USERS,
                scimId,
                UserMapping.replace(
                    "active", BooleanNode.valueOf(u.get("accountEnabled").asBoolean()))),
            "usersUpdated");
      } else {
        count("skipped");
      }
      return;
    }
    if (!settings.userInScope(u.get("userPrincipalName").asText())) {
      String scimId = users.get(graphId);
      if (scimId != null) {
        deactivate(graphId, scimId, "usersOutOfScope");
      } else {
        count("skipped");
      }
      return;
    }
    upsertUser(graphId, UserMapping.user(u), users);
  }

  private void upsertUser(String graphId, ObjectNode doc, Map<String, String> users) {
    String scimId = users.get(graphId);
    String hash = hash(doc.toString());
    if (scimId != null && hash.equals(userHashes.get(graphId))) {
      // Listed again as written last time (a full resync, a change of an unmapped property).
      count("usersUnchanged");
      return;
    }
    if (scimId != null) {
      Reply replaced = scim.replace(tenant(), ScimTarget.Kind.USERS, scimId, doc);
      if (replaced.ok()) {
        written(userHashes, ObjectMap.Kind.USER, graphId, hash);
        count("usersUpdated");
        return;
      }
      if (replaced.status() != 404) {
        failed("user", graphId, replaced);
        return;
      }
      users.remove(graphId);
      map.remove(tenant(), ObjectMap.Kind.USER, graphId);
    }
    Reply created = scim.create(tenant(), ScimTarget.Kind.USERS, doc);
    if (created.status() == 201) {
      remember(users, ObjectMap.Kind.USER, graphId, created.body().get("id").asText(), hash);
      userHashes.put(graphId, hash);
      count("usersCreated");
      return;
    }
    if (created.status() == 409) {
      // Written before (a round that ended early, or a lost map row): ours if its externalId is.
      Optional<String> ours = scim.findByExternalId(tenant(), ScimTarget.Kind.USERS, graphId);
      if (ours.isPresent()) {
        remember(users, ObjectMap.Kind.USER, graphId, ours.get(), null);
        if (write(
            "user",
            graphId,
            scim.replace(tenant(), ScimTarget.Kind.USERS, ours.get(), doc),
            "usersUpdated")) {
          written(userHashes, ObjectMap.Kind.USER, graphId, hash);
        }
        return;
      }
    }
    failed("user", graphId, created);
  }

  private void deactivate(String graphId, String scimId, String counter) {
    Reply reply =
        scim.patch(
            tenant(),
            ScimTarget.Kind.USERS,
            scimId,
            UserMapping.replace("active", BooleanNode.FALSE));
    if (reply.status() == 404) {
      count("skipped");
    } else if (write("user", graphId, reply, counter) && userHashes.containsKey(graphId)) {
      // No longer what Graph's document says: a restored or re-enabled user is written again.
      userHashes.remove(graphId);
      map.setHash(tenant(), ObjectMap.Kind.USER, graphId, null);
    }
  }

  // ---- groups ----

  /** A group as this round's pages described it (one group may span several pages). */
  private static final class GroupDelta {
    JsonNode latest;
    boolean removed;
    final Map<String, Boolean> members = new LinkedHashMap<>();
  }

  private void syncGroups(Map<String, String> users) {
    Map<String, GroupDelta> delta = new LinkedHashMap<>();
    String link = settings.groupsDeltaLink();
    boolean fromScratch = link == null;
    Consumer<List<JsonNode>> collect =
        page -> {
          for (JsonNode g : page) {
            String id = g.path("id").asText(null);
            if (id == null) {
              continue;
            }
            GroupDelta d = delta.computeIfAbsent(id, k -> new GroupDelta());
            d.removed = g.has("@removed");
            if (!d.removed) {
              d.latest = g;
            }
            for (JsonNode m : g.path("members@delta")) {
              if (m.hasNonNull("id")) {
                d.members.put(m.get("id").asText(), !m.has("@removed"));
              }
            }
          }
          if (!hooks.stillLeased()) {
            throw new LeaseLost();
          }
        };
    String next;
    try {
      next = graph.delta(credentials, "groups", link, collect::accept);
    } catch (ResyncRequired expired) {
      LOG.infof("tenant %s: the groups delta link expired; full resync", tenant());
      count("groupsResyncs");
      full = fromScratch = true;
      delta.clear();
      next = graph.delta(credentials, "groups", null, collect::accept);
    }
    Map<String, String> groups = new ConcurrentHashMap<>(map.load(tenant(), ObjectMap.Kind.GROUP));
    Set<String> existedBefore = new HashSet<>(groups.keySet());

    // Removed groups, and (after a full listing) groups Graph no longer lists.
    List<String> gone = new ArrayList<>();
    delta.forEach(
        (id, d) -> {
          if (d.removed) {
            gone.add(id);
          }
        });
    if (fromScratch) {
      groups.keySet().stream().filter(id -> !delta.containsKey(id)).forEach(gone::add);
    }
    parallel(gone, id -> deleteGroup(id, groups));

    // Create or rename first, so that groups nested in groups have their ids for the members.
    List<String> present =
        delta.entrySet().stream()
            .filter(e -> !e.getValue().removed && settings.groupInScope(e.getKey()))
            .map(Map.Entry::getKey)
            .toList();
    parallel(present, id -> upsertGroup(id, delta.get(id).latest, groups));
    boolean listedWhole = fromScratch;
    parallel(
        present,
        id -> {
          if (groups.containsKey(id)) {
            members(
                id,
                groups.get(id),
                delta.get(id),
                users,
                groups,
                listedWhole && existedBefore.contains(id));
          }
        });
    if (!hooks.storeDeltaLink(false, next)) {
      throw new LeaseLost();
    }
  }

  private void deleteGroup(String graphId, Map<String, String> groups) {
    String scimId = groups.get(graphId);
    if (scimId == null) {
      count("skipped");
      return;
    }
    Reply reply = scim.delete(tenant(), ScimTarget.Kind.GROUPS, scimId);
    if (reply.ok() || reply.status() == 404) {
      groups.remove(graphId);
      map.remove(tenant(), ObjectMap.Kind.GROUP, graphId);
      count("groupsDeleted");
    } else {
      failed("group", graphId, reply);
    }
  }

  private void upsertGroup(String graphId, JsonNode g, Map<String, String> groups) {
    String displayName = g.path("displayName").asText("");
    String scimId = groups.get(graphId);
    String hash = hash(displayName);
    if (scimId != null) {
      if (displayName.isBlank() || hash.equals(groupHashes.get(graphId))) {
        // Listed for its members only, or renamed to what it is.
        return;
      }
      Reply renamed =
          scim.patch(
              tenant(),
              ScimTarget.Kind.GROUPS,
              scimId,
              UserMapping.replace("displayName", TextNode.valueOf(displayName)));
      if (renamed.status() != 404) {
        if (write("group", graphId, renamed, "groupsUpdated")) {
          written(groupHashes, ObjectMap.Kind.GROUP, graphId, hash);
        }
        return;
      }
      groups.remove(graphId);
      map.remove(tenant(), ObjectMap.Kind.GROUP, graphId);
    }
    if (displayName.isBlank()) {
      count("skipped");
      return;
    }
    ObjectNode doc = UserMapping.group(graphId, displayName);
    Reply created = scim.create(tenant(), ScimTarget.Kind.GROUPS, doc);
    if (created.status() == 201) {
      remember(groups, ObjectMap.Kind.GROUP, graphId, created.body().get("id").asText(), hash);
      groupHashes.put(graphId, hash);
      count("groupsCreated");
      return;
    }
    if (created.status() == 409) {
      Optional<String> ours = scim.findByExternalId(tenant(), ScimTarget.Kind.GROUPS, graphId);
      if (ours.isPresent()) {
        // Its name is not known to be Graph's: renamed at the next listing.
        remember(groups, ObjectMap.Kind.GROUP, graphId, ours.get(), null);
        count("groupsUpdated");
        return;
      }
    }
    failed("group", graphId, created);
  }

  /**
   * Writes a group's membership changes. After a full listing of a group the tenant already had,
   * the listed members replace the old ones; otherwise they are added and removed as listed.
   */
  private void members(
      String graphId,
      String scimId,
      GroupDelta d,
      Map<String, String> users,
      Map<String, String> groups,
      boolean replaceAll) {
    List<String> add = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    d.members.forEach(
        (memberGraphId, added) -> {
          String member = users.get(memberGraphId);
          if (member == null) {
            member = groups.get(memberGraphId);
          }
          if (member == null) {
            // Out of scope, or not written: nothing to add; nothing of ours to remove.
            count("membersSkipped");
          } else if (added) {
            add.add(member);
          } else {
            remove.add(member);
          }
        });
    boolean first = true;
    if (replaceAll) {
      List<String> chunk = add.subList(0, Math.min(add.size(), membersPerPatch));
      Reply reply =
          scim.patch(tenant(), ScimTarget.Kind.GROUPS, scimId, UserMapping.members(chunk, true));
      if (!write("group", graphId, reply, null)) {
        return;
      }
      counts.computeIfAbsent("membersAdded", k -> new LongAdder()).add(chunk.size());
      first = false;
    }
    for (int i = first ? 0 : membersPerPatch; i < add.size(); i += membersPerPatch) {
      List<String> chunk = add.subList(i, Math.min(add.size(), i + membersPerPatch));
      if (write(
          "group",
          graphId,
          scim.patch(tenant(), ScimTarget.Kind.GROUPS, scimId, UserMapping.members(chunk, false)),
          null)) {
        counts.computeIfAbsent("membersAdded", k -> new LongAdder()).add(chunk.size());
      }
    }
    for (int i = 0; i < remove.size(); i += membersPerPatch) {
      List<String> chunk = remove.subList(i, Math.min(remove.size(), i + membersPerPatch));
      if (write(
          "group",
          graphId,
          scim.patch(tenant(), ScimTarget.Kind.GROUPS, scimId, UserMapping.removeMembers(chunk)),
          null)) {
        counts.computeIfAbsent("membersRemoved", k -> new LongAdder()).add(chunk.size());
      }
    }
  }

  // ---- helpers ----

  private void remember(
      Map<String, String> ids, ObjectMap.Kind kind, String graphId, String scimId, String hash) {
    ids.put(graphId, scimId);
    map.put(tenant(), kind, graphId, scimId, hash);
  }

  private void written(
      Map<String, String> hashes, ObjectMap.Kind kind, String graphId, String hash) {
    hashes.put(graphId, hash);
    map.setHash(tenant(), kind, graphId, hash);
  }

  private static String hash(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts a write's success under {@code counter}, or its failure; answers whether it worked. */
  private boolean write(String what, String graphId, Reply reply, String counter) {
    if (reply.ok()) {
      if (counter != null) {
        count(counter);
      }
      return true;
    }
    failed(what, graphId, reply);
    return false;
  }

  private void failed(String what, String graphId, Reply reply) {
    count("failures");
    // The Graph id and the SCIM error type only: no names, no bodies.
    LOG.warnf(
        "tenant %s: %s %s not written: %d %s",
        tenant(), what, graphId, reply.status(), reply.scimType());
  }

  private void count(String counter) {
    counts.computeIfAbsent(counter, k -> new LongAdder()).increment();
  }

  private String tenant() {
    return settings.tenantId();
  }

  /** Runs the work for every item on the round's writers, and waits for all of it. */
  private <T> void parallel(List<T> items, Consumer<T> work) {
    List<Future<?>> running = new ArrayList<>(items.size());
    for (T item : items) {
      running.add(writers.submit(() -> work.accept(item)));
    }
    RuntimeException failure = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
