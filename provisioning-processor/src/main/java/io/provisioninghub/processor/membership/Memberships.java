package io.provisioninghub.processor.membership;

import io.provisioninghub.processor.apply.Sessions;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Group membership as set operations on {@code scim.group_members}, in the caller's transaction.
 * Each statement touches only the members named, through the primary key, so its cost does not
 * depend on the group's size.
 */
@ApplicationScoped
public class Memberships {

  /** Largest number of ids bound in one statement (PostgreSQL allows 65535 parameters). */
  private static final int CHUNK = 5_000;

  /**
   * Adds members that exist in the tenant (users or groups); re-adding is a no-op. Fails with
   * invalidValue, changing nothing, if any id is not a user or group of the tenant.
   *
   * @return the ids that were not members before
   */
  public Uni<List<UUID>> add(String tenantId, UUID groupId, Collection<String> memberIds) {
    List<UUID> ids = ids(memberIds);
    if (ids.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    if (ids.contains(groupId)) {
      throw new BadRequestException(ScimType.invalidValue, "a group cannot be a member of itself");
    }
    return chunked(ids, chunk -> insert(tenantId, groupId, chunk));
  }

  /** Removes the named members; ids that are not members are ignored. Returns those removed. */
  public Uni<List<UUID>> remove(String tenantId, UUID groupId, Collection<String> memberIds) {
    List<UUID> ids = ids(memberIds);
    if (ids.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return chunked(ids, chunk -> delete(tenantId, groupId, chunk));
  }

  /** Removes every member of a group. Returns those removed. */
  public Uni<List<UUID>> removeAll(String tenantId, UUID groupId) {
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "delete from scim.group_members where tenant_id = :tenant"
                            + " and group_id = :group returning member_id",
                        UUID.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("group", groupId)
                    .getResultList());
  }

  /** The current member ids of a group. Only for full replacement (PUT), which is O(members). */
  public Uni<List<UUID>> members(String tenantId, UUID groupId) {
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "select member_id from scim.group_members where tenant_id = :tenant"
                            + " and group_id = :group",
                        UUID.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("group", groupId)
                    .getResultList());
  }

  /** Removes a deleted user or group from every group it belonged to. */
  public Uni<Integer> removeMemberEverywhere(String tenantId, UUID memberId) {
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "delete from scim.group_members where tenant_id = :tenant"
                            + " and member_id = :member")
                    .setParameter("tenant", tenantId)
                    .setParameter("member", memberId)
                    .executeUpdate());
  }

  /** Which of {@code ids} are members of the group now (sees the session's pending rows). */
  public Uni<Set<UUID>> membersAmong(String tenantId, UUID groupId, Collection<UUID> ids) {
    return chunked(
            new ArrayList<>(ids),
            chunk ->
                Sessions.flushed()
                    .flatMap(
                        s ->
                            s.createNativeQuery(
                                    "select member_id from scim.group_members"
                                        + " where tenant_id = :tenant and group_id = :group"
                                        + " and member_id in (:ids)",
                                    UUID.class)
                                .setParameter("tenant", tenantId)
                                .setParameter("group", groupId)
                                .setParameter("ids", chunk)
                                .getResultList()))
        .map(LinkedHashSet::new);
  }

  /**
   * Writes the net effect of a run of member changes to one group worked out in order in memory:
   * every id that one of them added must be a user or group of the tenant (invalidValue otherwise,
   * nothing changed, as {@link #add} refuses it), then the members that were not there before are
   * inserted and those no longer there deleted. A statement per step, not per change.
   */
  public Uni<Void> writeNet(
      String tenantId,
      UUID groupId,
      Collection<UUID> added,
      Collection<UUID> toInsert,
      Collection<UUID> toDelete) {
    return chunked(new ArrayList<>(added), chunk -> requireExisting(tenantId, chunk))
        .chain(
            () ->
                chunked(
                    new ArrayList<>(toInsert), chunk -> insertExisting(tenantId, groupId, chunk)))
        .chain(() -> chunked(new ArrayList<>(toDelete), chunk -> delete(tenantId, groupId, chunk)))
        .replaceWithVoid();
  }

  private Uni<List<UUID>> insert(String tenantId, UUID groupId, List<UUID> chunk) {
    return requireExisting(tenantId, chunk).chain(() -> insertExisting(tenantId, groupId, chunk));
  }

  /** Deletes these members; returns those that were members. */
  private static Uni<List<UUID>> delete(String tenantId, UUID groupId, List<UUID> chunk) {
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "delete from scim.group_members where tenant_id = :tenant"
                            + " and group_id = :group and member_id in (:ids)"
                            + " returning member_id",
                        UUID.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("group", groupId)
                    .setParameter("ids", chunk)
                    .getResultList());
  }

  /** Fails with invalidValue unless every id is a user or group of the tenant. */
  private static Uni<List<UUID>> requireExisting(String tenantId, List<UUID> chunk) {
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "select id from scim.users where tenant_id = :tenant and id in (:ids)"
                            + " union all"
                            + " select id from scim.groups where tenant_id = :tenant and id in (:ids)",
                        UUID.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("ids", chunk)
                    .getResultList())
        .map(
            found -> {
              Set<UUID> unknown = new LinkedHashSet<>(chunk);
              found.forEach(unknown::remove);
              if (!unknown.isEmpty()) {
                throw new BadRequestException(
                    ScimType.invalidValue,
                    "no user or group of this tenant has the id(s) "
                        + unknown.stream().limit(10).toList()
                        + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
              }
              return found;
            });
  }

  /** Inserts the ids (checked to exist) as members; returns those that were not members. */
  private static Uni<List<UUID>> insertExisting(String tenantId, UUID groupId, List<UUID> chunk) {
    return Sessions.flushed()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "insert into scim.group_members (tenant_id, group_id, member_id, member_type)"
                            + " select :tenant, :group, m.id, m.kind from ("
                            + " select id, 'User' as kind from scim.users where tenant_id = :tenant and id in (:ids)"
                            + " union all"
                            + " select id, 'Group' as kind from scim.groups where tenant_id = :tenant and id in (:ids)"
                            + ") m on conflict do nothing returning member_id",
                        UUID.class)
                    .setParameter("tenant", tenantId)
                    .setParameter("group", groupId)
                    .setParameter("ids", chunk)
                    .getResultList());
  }

  private static Uni<List<UUID>> chunked(
      List<UUID> ids, java.util.function.Function<List<UUID>, Uni<List<UUID>>> statement) {
    Uni<List<UUID>> result = Uni.createFrom().item(new ArrayList<>());
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      result =
          result.flatMap(
              acc ->
                  statement
                      .apply(chunk)
                      .map(
                          done -> {
                            acc.addAll(done);
                            return acc;
                          }));
    }
    return result;
  }

  /** The member ids as UUIDs, each once, in order; invalidValue for one that is not a UUID. */
  public static List<UUID> ids(Collection<String> memberIds) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (String raw : memberIds) {
      try {
        ids.add(UUID.fromString(raw.trim()));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new BadRequestException(
            ScimType.invalidValue, "'" + raw + "' is not the id of a user or group");
      }
    }
    return new ArrayList<>(ids);
  }
}
