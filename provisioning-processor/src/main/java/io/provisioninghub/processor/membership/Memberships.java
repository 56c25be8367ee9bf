package io.provisioninghub.processor.membership;

import io.provisioninghub.processor.apply.Statements;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Group membership as set operations on {@code scim.group_members}, on the caller's transaction's
 * connection. Each statement touches only the members named, through the primary key, so its cost
 * does not depend on the group's size.
 */
@ApplicationScoped
public class Memberships {

  /** Largest number of ids bound in one statement (PostgreSQL allows 65535 parameters). */
  private static final int CHUNK = 5_000;

  private static final Function<Row, UUID> MEMBER_ID = row -> row.getUUID("member_id");

  /**
   * Adds members that exist in the tenant (users or groups); re-adding is a no-op. Fails with
   * invalidValue, changing nothing, if any id is not a user or group of the tenant.
   *
   * @return the ids that were not members before
   */
  public Uni<List<UUID>> add(
      SqlConnection connection, String tenantId, UUID groupId, Collection<String> memberIds) {
    List<UUID> ids = ids(memberIds);
    if (ids.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    if (ids.contains(groupId)) {
      throw new BadRequestException(ScimType.invalidValue, "a group cannot be a member of itself");
    }
    return chunked(ids, chunk -> insert(connection, tenantId, groupId, chunk));
  }

  /** Removes the named members; ids that are not members are ignored. Returns those removed. */
  public Uni<List<UUID>> remove(
      SqlConnection connection, String tenantId, UUID groupId, Collection<String> memberIds) {
    List<UUID> ids = ids(memberIds);
    if (ids.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return chunked(ids, chunk -> delete(connection, tenantId, groupId, chunk));
  }

  /** Removes every member of a group. Returns those removed. */
  public Uni<List<UUID>> removeAll(SqlConnection connection, String tenantId, UUID groupId) {
    return Statements.list(
        connection,
        "delete from scim.group_members where tenant_id = $1 and group_id = $2"
            + " returning member_id",
        MEMBER_ID,
        tenantId,
        groupId);
  }

  /** The current member ids of a group. Only for full replacement (PUT), which is O(members). */
  public Uni<List<UUID>> members(SqlConnection connection, String tenantId, UUID groupId) {
    return Statements.list(
        connection,
        "select member_id from scim.group_members where tenant_id = $1 and group_id = $2",
        MEMBER_ID,
        tenantId,
        groupId);
  }

  /** Removes a deleted user or group from every group it belonged to. */
  public Uni<Integer> removeMemberEverywhere(
      SqlConnection connection, String tenantId, UUID memberId) {
    return Statements.update(
        connection,
        "delete from scim.group_members where tenant_id = $1 and member_id = $2",
        tenantId,
        memberId);
  }

  /** Which of {@code ids} are members of the group now. */
  public Uni<Set<UUID>> membersAmong(
      SqlConnection connection, String tenantId, UUID groupId, Collection<UUID> ids) {
    return chunked(
            new ArrayList<>(ids),
            chunk ->
                Statements.list(
                    connection,
                    "select member_id from scim.group_members"
                        + " where tenant_id = $1 and group_id = $2 and member_id = any($3)",
                    MEMBER_ID,
                    tenantId,
                    groupId,
                    array(chunk)))
        .map(LinkedHashSet::new);
  }

  /**
   * Writes the net effect of a run of member changes to one group worked out in order in memory:
   * every id that one of them added must be a user or group of the tenant (invalidValue otherwise,
   * nothing changed, as {@link #add} refuses it), then the members that were not there before are
   * inserted and those no longer there deleted. A statement per step, not per change.
   */
  public Uni<Void> writeNet(
      SqlConnection connection,
      String tenantId,
      UUID groupId,
      Collection<UUID> added,
      Collection<UUID> toInsert,
      Collection<UUID> toDelete) {
    return chunked(new ArrayList<>(added), chunk -> requireExisting(connection, tenantId, chunk))
        .chain(
            () ->
                chunked(
                    new ArrayList<>(toInsert),
                    chunk -> insertExisting(connection, tenantId, groupId, chunk)))
        .chain(
            () ->
                chunked(
                    new ArrayList<>(toDelete),
                    chunk -> delete(connection, tenantId, groupId, chunk)))
        .replaceWithVoid();
  }

  private static Uni<List<UUID>> insert(
      SqlConnection connection, String tenantId, UUID groupId, List<UUID> chunk) {
    return requireExisting(connection, tenantId, chunk)
        .chain(() -> insertExisting(connection, tenantId, groupId, chunk));
  }

  /** Deletes these members; returns those that were members. */
  private static Uni<List<UUID>> delete(
      SqlConnection connection, String tenantId, UUID groupId, List<UUID> chunk) {
    return Statements.list(
        connection,
        "delete from scim.group_members where tenant_id = $1 and group_id = $2"
            + " and member_id = any($3) returning member_id",
        MEMBER_ID,
        tenantId,
        groupId,
        array(chunk));
  }

  /** Fails with invalidValue unless every id is a user or group of the tenant. */
  private static Uni<List<UUID>> requireExisting(
      SqlConnection connection, String tenantId, List<UUID> chunk) {
    return Statements.list(
            connection,
            "select id from scim.users where tenant_id = $1 and id = any($2)"
                + " union all"
                + " select id from scim.groups where tenant_id = $1 and id = any($2)",
            row -> row.getUUID(0),
            tenantId,
            array(chunk))
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
  private static Uni<List<UUID>> insertExisting(
      SqlConnection connection, String tenantId, UUID groupId, List<UUID> chunk) {
    return Statements.list(
        connection,
        "insert into scim.group_members (tenant_id, group_id, member_id, member_type)"
            + " select $1::text, $2::uuid, m.id, m.kind from ("
            + " select id, 'User' as kind from scim.users where tenant_id = $1 and id = any($3)"
            + " union all"
            + " select id, 'Group' as kind from scim.groups where tenant_id = $1 and id = any($3)"
            + ") m on conflict do nothing returning member_id",
        MEMBER_ID,
        tenantId,
        groupId,
        array(chunk));
  }

  private static UUID[] array(List<UUID> ids) {
    return ids.toArray(UUID[]::new);
  }

  private static Uni<List<UUID>> chunked(
      List<UUID> ids, Function<List<UUID>, Uni<List<UUID>>> statement) {
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
