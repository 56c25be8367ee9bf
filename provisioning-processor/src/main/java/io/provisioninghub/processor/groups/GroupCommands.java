package io.provisioninghub.processor.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.events.GroupCreated;
import io.provisioninghub.contracts.events.GroupDeleted;
import io.provisioninghub.contracts.events.GroupUpdated;
import io.provisioninghub.contracts.events.MembershipAdded;
import io.provisioninghub.contracts.events.MembershipRemoved;
import io.provisioninghub.contracts.events.ProvisioningEvent;
import io.provisioninghub.processor.apply.Applied;
import io.provisioninghub.processor.apply.Documents;
import io.provisioninghub.processor.apply.EventRedaction;
import io.provisioninghub.processor.apply.Preconditions;
import io.provisioninghub.processor.apply.Timestamps;
import io.provisioninghub.processor.membership.Memberships;
import io.provisioninghub.processor.uniqueness.UniqueValues;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ConflictException;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.patch.GroupPatchResult;
import io.provisioninghub.scim.patch.MembershipChange;
import io.provisioninghub.scim.patch.PatchApplier;
import io.provisioninghub.scim.patch.PatchParser;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.provisioninghub.scim.schema.TenantSchemas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies group commands on the connection of the caller's transaction, each statement at once;
 * members are set operations.
 */
@ApplicationScoped
public class GroupCommands {

  private final Memberships memberships;
  private final UniqueValues uniqueValues;
  private final Clock clock = Clock.systemUTC();

  public GroupCommands(Memberships memberships, UniqueValues uniqueValues) {
    this.memberships = memberships;
    this.uniqueValues = uniqueValues;
  }

  /**
   * The group as it is now, with its members, or null if the tenant has no such group: the body of
   * a late or repeated answer, which {@code processed_commands} does not keep.
   */
  public Uni<ObjectNode> current(SqlConnection connection, String tenantId, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().nullItem();
    }
    return GroupRows.find(connection, tenantId, uuid)
        .chain(
            row ->
                row == null
                    ? Uni.createFrom().<ObjectNode>nullItem()
                    : memberships
                        .members(connection, tenantId, uuid)
                        .map(members -> resource(row, members)));
  }

  public Uni<Applied> create(SqlConnection connection, ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    String displayName = requireDisplayName(payload);
    List<String> members = memberIds(payload);
    UUID id = UUID.fromString(command.resourceId());
    OffsetDateTime now = Timestamps.now(clock);
    GroupRecord row = new GroupRecord();
    row.tenantId = command.tenantId();
    row.id = id;
    row.version = 1;
    row.created = now;
    ObjectNode doc =
        Documents.stored(payload, command.resourceId(), ScimSchemas.CORE_GROUP, "members");
    fill(row, doc, now);
    return requireUniqueDisplayName(connection, command.tenantId(), displayName, null)
        .flatMap(
            unique -> uniqueValues.claim(connection, command, ResourceKind.GROUP, id, null, doc))
        .flatMap(unique -> GroupRows.insert(connection, row))
        .flatMap(saved -> memberships.add(connection, row.tenantId, id, members))
        .map(
            added -> {
              List<ProvisioningEvent> events = new ArrayList<>();
              events.add(
                  new GroupCreated(
                      row.tenantId,
                      command.resourceId(),
                      row.version,
                      List.copyOf(Documents.attributeNames(doc)),
                      row.displayName,
                      row.externalId,
                      Documents.changes(
                          doc, Documents.attributeNames(doc), EventRedaction.of(command))));
              if (!added.isEmpty()) {
                events.add(membershipAdded(row, added));
              }
              return new Applied(
                  ProvisioningOutcome.applied(
                      command, 201, resource(row, added), row.version, now.toInstant()),
                  events);
            });
  }

  public Uni<Applied> replace(SqlConnection connection, ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    String displayName = requireDisplayName(payload);
    Set<String> wanted = new LinkedHashSet<>(memberIds(payload));
    ObjectNode after =
        Documents.stored(payload, command.resourceId(), ScimSchemas.CORE_GROUP, "members");
    return load(connection, command)
        .flatMap(
            row ->
                requireUniqueDisplayName(connection, command.tenantId(), displayName, row)
                    .flatMap(unique -> memberships.members(connection, row.tenantId, row.id))
                    .flatMap(
                        current -> {
                          Set<String> now = new LinkedHashSet<>();
                          current.forEach(u -> now.add(u.toString()));
                          List<String> toRemove = new ArrayList<>(now);
                          toRemove.removeAll(wanted);
                          List<String> toAdd = new ArrayList<>(wanted);
                          toAdd.removeAll(now);
                          return memberships
                              .remove(connection, row.tenantId, row.id, toRemove)
                              .flatMap(
                                  removed ->
                                      memberships
                                          .add(connection, row.tenantId, row.id, toAdd)
                                          .flatMap(
                                              added ->
                                                  update(
                                                      connection,
                                                      command,
                                                      row,
                                                      after,
                                                      added,
                                                      removed,
                                                      200,
                                                      true)));
                        }));
  }

  public Uni<Applied> patch(SqlConnection connection, ProvisioningCommand command) {
    var patch = PatchParser.parse(Documents.requirePayload(command));
    return load(connection, command)
        .flatMap(
            row -> {
              GroupPatchResult result =
                  PatchApplier.applyToGroup(
                      Documents.parse(row.resource), patch, TenantSchemas.of(command.extensions()));
              ObjectNode after = result.document();
              String displayName = Documents.text(after, "displayName");
              if (displayName == null || displayName.isBlank()) {
                throw new BadRequestException(ScimType.mutability, "displayName cannot be removed");
              }
              MembershipChange change = result.membership();
              // Lazy: the statement runs only once the name is checked.
              Uni<List<UUID>> removed =
                  change.replaceAll()
                      ? memberships.removeAll(connection, row.tenantId, row.id)
                      : memberships.remove(connection, row.tenantId, row.id, change.remove());
              return requireUniqueDisplayName(connection, command.tenantId(), displayName, row)
                  .flatMap(unique -> removed)
                  .flatMap(
                      gone ->
                          memberships
                              .add(connection, row.tenantId, row.id, change.add())
                              .flatMap(
                                  added -> {
                                    List<UUID> reallyRemoved = new ArrayList<>(gone);
                                    reallyRemoved.removeAll(added);
                                    List<UUID> reallyAdded = new ArrayList<>(added);
                                    if (change.replaceAll()) {
                                      reallyAdded.removeAll(gone);
                                    }
                                    return update(
                                        connection,
                                        command,
                                        row,
                                        after,
                                        reallyAdded,
                                        reallyRemoved,
                                        204,
                                        false);
                                  }));
            });
  }

  /**
   * Applies consecutive PATCHes of one group (none with a version precondition) together, as if one
   * after the other: when each only adds or removes members, their effect is worked out in memory
   * from the current membership of the ids they name, in order, and written as one set operation
   * ({@link Memberships#writeNet}); each command still gets its own answer, version and events,
   * exactly as alone. Otherwise each is applied alone, in order.
   */
  public Uni<List<Applied>> patchTogether(SqlConnection connection, List<ProvisioningCommand> run) {
    return load(connection, run.get(0))
        .flatMap(
            row -> {
              List<MembershipChange> changes = new ArrayList<>(run.size());
              // One parse for the run: the patch works on its own copy, and a run in which any
              // PATCH changes the document is applied one command at a time.
              ObjectNode stored = Documents.parse(row.resource);
              for (ProvisioningCommand command : run) {
                GroupPatchResult result =
                    PatchApplier.applyToGroup(
                        stored,
                        PatchParser.parse(Documents.requirePayload(command)),
                        TenantSchemas.of(command.extensions()));
                MembershipChange change = result.membership();
                if (change.replaceAll()
                    || !Documents.changedAttributes(stored, result.document()).isEmpty()) {
                  return oneAfterAnother(connection, run);
                }
                changes.add(change);
              }
              return changeMembersTogether(connection, run, row, changes);
            });
  }

  private Uni<List<Applied>> oneAfterAnother(
      SqlConnection connection, List<ProvisioningCommand> run) {
    Uni<List<Applied>> chain = Uni.createFrom().item(new ArrayList<>(run.size()));
    for (ProvisioningCommand command : run) {
      chain =
          chain.flatMap(
              applied ->
                  patch(connection, command)
                      .map(
                          one -> {
                            applied.add(one);
                            return applied;
                          }));
    }
    return chain;
  }

  private Uni<List<Applied>> changeMembersTogether(
      SqlConnection connection,
      List<ProvisioningCommand> run,
      GroupRecord row,
      List<MembershipChange> changes) {
    List<List<UUID>> removes = new ArrayList<>(changes.size());
    List<List<UUID>> adds = new ArrayList<>(changes.size());
    Set<UUID> named = new LinkedHashSet<>();
    Set<UUID> added = new LinkedHashSet<>();
    for (MembershipChange change : changes) {
      List<UUID> remove = Memberships.ids(change.remove());
      List<UUID> add = Memberships.ids(change.add());
      if (add.contains(row.id)) {
        throw new BadRequestException(
            ScimType.invalidValue, "a group cannot be a member of itself");
      }
      removes.add(remove);
      adds.add(add);
      named.addAll(remove);
      named.addAll(add);
      added.addAll(add);
    }
    long versionBefore = row.version;
    return memberships
        .membersAmong(connection, row.tenantId, row.id, named)
        .flatMap(
            before -> {
              // Each change in order against the membership so far, as one applied alone sees it:
              // its removals first, then its additions.
              Set<UUID> members = new LinkedHashSet<>(before);
              OffsetDateTime now = Timestamps.now(clock);
              List<Applied> applied = new ArrayList<>(run.size());
              for (int i = 0; i < run.size(); i++) {
                List<UUID> gone = new ArrayList<>();
                for (UUID id : removes.get(i)) {
                  if (members.remove(id)) {
                    gone.add(id);
                  }
                }
                List<UUID> joined = new ArrayList<>();
                for (UUID id : adds.get(i)) {
                  if (members.add(id)) {
                    joined.add(id);
                  }
                }
                gone.removeAll(joined);
                applied.add(membersChanged(run.get(i), row, joined, gone, now));
              }
              Set<UUID> toInsert = new LinkedHashSet<>(members);
              toInsert.removeAll(before);
              Set<UUID> toDelete = new LinkedHashSet<>(before);
              toDelete.removeAll(members);
              return memberships
                  .writeNet(connection, row.tenantId, row.id, added, toInsert, toDelete)
                  // Only a run that changed anything gives the group a new version.
                  .chain(
                      () ->
                          row.version == versionBefore
                              ? Uni.createFrom().voidItem()
                              : GroupRows.update(connection, row))
                  .replaceWith(applied);
            });
  }

  /** The answer and events of one member-only PATCH, as {@link #update} makes them. */
  private Applied membersChanged(
      ProvisioningCommand command,
      GroupRecord row,
      List<UUID> added,
      List<UUID> removed,
      OffsetDateTime now) {
    if (added.isEmpty() && removed.isEmpty()) {
      return Applied.answer(
          ProvisioningOutcome.applied(command, 204, null, row.version, now.toInstant()));
    }
    row.version = row.version + 1;
    row.lastModified = now;
    List<ProvisioningEvent> events = new ArrayList<>(2);
    if (!added.isEmpty()) {
      events.add(membershipAdded(row, added));
    }
    if (!removed.isEmpty()) {
      events.add(membershipRemoved(row, removed));
    }
    return new Applied(
        ProvisioningOutcome.applied(command, 204, null, row.version, now.toInstant()), events);
  }

  public Uni<Applied> delete(SqlConnection connection, ProvisioningCommand command) {
    return load(connection, command)
        .flatMap(
            row ->
                memberships
                    .removeAll(connection, row.tenantId, row.id)
                    .flatMap(
                        gone ->
                            memberships.removeMemberEverywhere(connection, row.tenantId, row.id))
                    .call(
                        () ->
                            uniqueValues.releaseAll(
                                connection, command, ResourceKind.GROUP, row.id))
                    .flatMap(gone -> GroupRows.delete(connection, row))
                    .map(
                        deleted ->
                            new Applied(
                                ProvisioningOutcome.applied(
                                    command, 204, null, 0, Timestamps.now(clock).toInstant()),
                                List.of(
                                    new GroupDeleted(
                                        row.tenantId,
                                        command.resourceId(),
                                        0,
                                        List.of(),
                                        row.displayName,
                                        row.externalId)))));
  }

  private Uni<Applied> update(
      SqlConnection connection,
      ProvisioningCommand command,
      GroupRecord row,
      ObjectNode after,
      List<UUID> added,
      List<UUID> removed,
      int status,
      boolean withMembers) {
    ObjectNode before = Documents.parse(row.resource);
    Set<String> changed = new LinkedHashSet<>(Documents.changedAttributes(before, after));
    boolean membersChanged = !added.isEmpty() || !removed.isEmpty();
    if (changed.isEmpty() && !membersChanged) {
      return Uni.createFrom()
          .item(
              Applied.answer(
                  ProvisioningOutcome.applied(
                      command,
                      status,
                      status == 204 ? null : resource(row, List.of()),
                      row.version,
                      Timestamps.now(clock).toInstant())));
    }
    OffsetDateTime now = Timestamps.now(clock);
    row.version = row.version + 1;
    fill(row, after, now);
    List<ProvisioningEvent> events = new ArrayList<>();
    if (!changed.isEmpty()) {
      events.add(
          new GroupUpdated(
              row.tenantId,
              command.resourceId(),
              row.version,
              List.copyOf(changed),
              row.displayName,
              row.externalId,
              Documents.changes(after, changed, EventRedaction.of(command))));
    }
    if (!added.isEmpty()) {
      events.add(membershipAdded(row, added));
    }
    if (!removed.isEmpty()) {
      events.add(membershipRemoved(row, removed));
    }
    return uniqueValues
        .claim(connection, command, ResourceKind.GROUP, row.id, before, after)
        .chain(() -> GroupRows.update(connection, row))
        .flatMap(
            saved ->
                withMembers
                    ? memberships.members(connection, row.tenantId, row.id)
                    : Uni.createFrom().item(List.<UUID>of()))
        .map(
            members ->
                new Applied(
                    ProvisioningOutcome.applied(
                        command,
                        status,
                        status == 204 ? null : resource(row, members),
                        row.version,
                        now.toInstant()),
                    events));
  }

  private static MembershipAdded membershipAdded(GroupRecord row, List<UUID> added) {
    return new MembershipAdded(
        row.tenantId,
        row.id.toString(),
        row.version,
        List.of("members"),
        added.stream().map(UUID::toString).toList());
  }

  private static MembershipRemoved membershipRemoved(GroupRecord row, List<UUID> removed) {
    return new MembershipRemoved(
        row.tenantId,
        row.id.toString(),
        row.version,
        List.of("members"),
        removed.stream().map(UUID::toString).toList());
  }

  static ObjectNode resource(GroupRecord row, List<UUID> members) {
    ObjectNode doc = Documents.parse(row.resource);
    if (!members.isEmpty()) {
      ArrayNode array = doc.putArray("members");
      members.forEach(m -> array.addObject().put("value", m.toString()));
    }
    return ResourceMeta.put(doc, "Group", row.created, row.lastModified, row.version);
  }

  private static Uni<GroupRecord> load(SqlConnection connection, ProvisioningCommand command) {
    UUID id = UUID.fromString(command.resourceId());
    return GroupRows.find(connection, command.tenantId(), id)
        .map(
            row -> {
              if (row == null) {
                throw new ResourceNotFoundException(
                    "no group with id '" + command.resourceId() + "'");
              }
              Preconditions.requireVersion(command, row.version);
              return row;
            });
  }

  private static void fill(GroupRecord row, ObjectNode doc, OffsetDateTime now) {
    row.displayName = Documents.text(doc, "displayName");
    row.externalId = Documents.text(doc, "externalId");
    row.resource = doc.toString();
    row.lastModified = now;
  }

  /**
   * Refuses a displayName another group of the tenant has. An unchanged displayName needs no query:
   * the unique index already holds it for this row. The query sees the other commands of the same
   * batch: their statements ran already, on the same connection.
   */
  private static Uni<Void> requireUniqueDisplayName(
      SqlConnection connection, String tenantId, String displayName, GroupRecord self) {
    if (self != null && displayName.equals(self.displayName)) {
      return Uni.createFrom().voidItem();
    }
    return GroupRows.nameTaken(connection, tenantId, displayName, self == null ? null : self.id)
        .map(
            taken -> {
              if (taken) {
                throw displayNameTaken(displayName);
              }
              return null;
            });
  }

  public static ConflictException displayNameTaken(String displayName) {
    return new ConflictException(
        "displayName '" + displayName + "' is already used by another group of this tenant");
  }

  private static List<String> memberIds(JsonNode payload) {
    List<String> ids = new ArrayList<>();
    JsonNode members = payload.get("members");
    if (members == null || members.isNull()) {
      return ids;
    }
    if (!members.isArray()) {
      throw new BadRequestException(ScimType.invalidValue, "'members' must be an array");
    }
    for (JsonNode m : members) {
      JsonNode value = m.get("value");
      if (value == null || !value.isTextual()) {
        throw new BadRequestException(ScimType.invalidValue, "every member needs a 'value' id");
      }
      ids.add(value.asText());
    }
    return ids;
  }

  private static String requireDisplayName(JsonNode payload) {
    String name = Documents.text(payload, "displayName");
    if (name == null || name.isBlank()) {
      throw new BadRequestException(ScimType.invalidValue, "displayName is required");
    }
    return name;
  }
}
