package io.provisioninghub.processor.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.events.ProvisioningEvent;
import io.provisioninghub.contracts.events.UserCreated;
import io.provisioninghub.contracts.events.UserDeactivated;
import io.provisioninghub.contracts.events.UserDeleted;
import io.provisioninghub.contracts.events.UserReactivated;
import io.provisioninghub.contracts.events.UserUpdated;
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
import io.provisioninghub.scim.patch.Passwords;
import io.provisioninghub.scim.patch.PatchApplier;
import io.provisioninghub.scim.patch.PatchParser;
import io.provisioninghub.scim.patch.ScimPatch;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies user commands on the connection of the caller's transaction, each statement at once.
 * Expected failures are ScimExceptions.
 */
@ApplicationScoped
public class UserCommands {

  private final Memberships memberships;
  private final UniqueValues uniqueValues;
  private final Clock clock = Clock.systemUTC();

  public UserCommands(Memberships memberships, UniqueValues uniqueValues) {
    this.memberships = memberships;
    this.uniqueValues = uniqueValues;
  }

  /**
   * The user as it is now, or null if the tenant has no such user: the body of a late or repeated
   * answer, which {@code processed_commands} does not keep.
   */
  public Uni<ObjectNode> current(SqlConnection connection, String tenantId, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().nullItem();
    }
    return UserRows.find(connection, tenantId, uuid)
        .map(row -> row == null ? null : UserDocuments.resource(row, null));
  }

  public Uni<Applied> create(SqlConnection connection, ProvisioningCommand command) {
    PreparedCreate create = prepareCreate(command);
    return managerName(connection, command, create.managerId(), null)
        .flatMap(
            managerName ->
                uniqueValues
                    .claim(
                        connection, command, ResourceKind.USER, create.row().id, null, create.doc())
                    .chain(() -> UserRows.insert(connection, create.row()))
                    .map(inserted -> create.applied(command, managerName)));
  }

  /**
   * A user create checked and built, not yet written: the row to insert and what it answers. The
   * manager (if the body names one) and the tenant's unique extension values are still to check.
   */
  public record PreparedCreate(
      UserRecord row, ObjectNode doc, List<String> created, Boolean passwordSet, String managerId) {

    /** The answer and event once the row is written; {@code managerName} for the reply. */
    public Applied applied(ProvisioningCommand command, String managerName) {
      return UserCommands.created(command, row, doc, created, passwordSet, managerName);
    }
  }

  /**
   * Checks a create's body and builds its row (throws the client's 400 for a body without a
   * userName). No uniqueness query: the unique index on (tenant, lower(userName)) refuses a taken
   * name at the insert, and CommandApplier answers that violation with 409 uniqueness. Creates are
   * the bulk of an initial sync, and this saves a query on each.
   */
  public PreparedCreate prepareCreate(ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    requireUserName(payload);
    UUID id = UUID.fromString(command.resourceId());
    OffsetDateTime now = Timestamps.now(clock);
    UserRecord fresh = new UserRecord();
    fresh.tenantId = command.tenantId();
    fresh.id = id;
    fresh.version = 1;
    fresh.created = now;
    ObjectNode doc =
        Documents.stored(payload, command.resourceId(), ScimSchemas.CORE_USER, "groups");
    Boolean passwordSet = passwordSet(command, doc);
    String managerId = ResourceMeta.storedManager(doc);
    fill(fresh, doc, now);
    fresh.passwordHash = Boolean.TRUE.equals(passwordSet) ? command.passwordHash() : null;
    List<String> created = new ArrayList<>(Documents.attributeNames(doc));
    if (Boolean.TRUE.equals(passwordSet)) {
      created.add(Passwords.ATTRIBUTE);
    }
    return new PreparedCreate(fresh, doc, created, passwordSet, managerId);
  }

  private static Applied created(
      ProvisioningCommand command,
      UserRecord row,
      ObjectNode doc,
      List<String> created,
      Boolean passwordSet,
      String managerName) {
    return new Applied(
        ProvisioningOutcome.applied(
            command,
            201,
            UserDocuments.resource(row, managerName),
            row.version,
            row.lastModified.toInstant()),
        List.of(
            new UserCreated(
                row.tenantId,
                command.resourceId(),
                row.version,
                List.copyOf(created),
                row.userName,
                row.externalId,
                row.active,
                Boolean.TRUE.equals(passwordSet) ? true : null,
                Documents.changes(doc, created, EventRedaction.of(command)))));
  }

  public Uni<Applied> replace(SqlConnection connection, ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    String userName = requireUserName(payload);
    return load(connection, command)
        .flatMap(
            row ->
                requireUniqueUserName(connection, command.tenantId(), userName, row)
                    .flatMap(
                        unique -> {
                          ObjectNode doc =
                              Documents.stored(
                                  payload, command.resourceId(), ScimSchemas.CORE_USER, "groups");
                          return update(
                              connection, command, row, doc, passwordSet(command, doc), 200);
                        }));
  }

  public Uni<Applied> patch(SqlConnection connection, ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    Boolean passwordSet = command.passwordSet();
    ScimPatch parsed = null;
    if (passwordSet == null || Passwords.hasOperations(payload)) {
      // A password-only PATCH reaches us with no operation left; anything else parses as sent.
      parsed = PatchParser.parse(payload);
      Passwords.Extracted legacy = Passwords.fromPatch((ObjectNode) payload, parsed);
      if (legacy.touched()) {
        // Sent by a gateway that still published passwords: the plaintext goes no further.
        passwordSet = passwordSet != null ? passwordSet : legacy.set();
        parsed = Passwords.hasOperations(legacy.body()) ? PatchParser.parse(legacy.body()) : null;
      }
    }
    ScimPatch patch = parsed;
    Boolean passwordChange = passwordSet;
    return load(connection, command)
        .flatMap(
            row -> {
              ObjectNode before = Documents.parse(row.resource);
              ObjectNode after =
                  patch == null
                      ? before
                      : PatchApplier.applyToUser(
                              before, patch, TenantSchemas.of(command.extensions()))
                          .document();
              Passwords.strip(after);
              String userName = Documents.text(after, "userName");
              if (userName == null || userName.isBlank()) {
                throw new BadRequestException(ScimType.mutability, "userName cannot be removed");
              }
              return requireUniqueUserName(connection, command.tenantId(), userName, row)
                  .flatMap(unique -> update(connection, command, row, after, passwordChange, 200));
            });
  }

  public Uni<Applied> delete(SqlConnection connection, ProvisioningCommand command) {
    return load(connection, command)
        .flatMap(
            row ->
                memberships
                    .removeMemberEverywhere(connection, row.tenantId, row.id)
                    .call(
                        () ->
                            uniqueValues.releaseAll(connection, command, ResourceKind.USER, row.id))
                    .flatMap(removed -> UserRows.delete(connection, row))
                    .map(
                        deleted ->
                            new Applied(
                                ProvisioningOutcome.applied(
                                    command, 204, null, 0, Timestamps.now(clock).toInstant()),
                                List.of(
                                    new UserDeleted(
                                        row.tenantId,
                                        command.resourceId(),
                                        0,
                                        List.of(),
                                        row.userName,
                                        row.externalId)))));
  }

  /**
   * Stores {@code after} (which holds no password) as the user's new state. {@code passwordSet}
   * says what the command did to the password: null nothing, true set (the command's hash is kept
   * under the {@code hash} policy, any older one dropped), false removed.
   */
  private Uni<Applied> update(
      SqlConnection connection,
      ProvisioningCommand command,
      UserRecord row,
      ObjectNode after,
      Boolean passwordSet,
      int status) {
    ObjectNode before = Documents.parse(row.resource);
    String managerBefore = ResourceMeta.managerId(before);
    String managerId = ResourceMeta.storedManager(after);
    return managerName(connection, command, managerId, managerBefore)
        .flatMap(
            managerName ->
                write(connection, command, row, before, after, passwordSet, managerName, status));
  }

  private Uni<Applied> write(
      SqlConnection connection,
      ProvisioningCommand command,
      UserRecord row,
      ObjectNode before,
      ObjectNode after,
      Boolean passwordSet,
      String managerName,
      int status) {
    Passwords.strip(before);
    Set<String> changed = Documents.changedAttributes(before, after);
    if (passwordSet != null) {
      changed.add(Passwords.ATTRIBUTE);
      row.passwordHash = passwordSet ? command.passwordHash() : null;
    }
    if (changed.isEmpty()) {
      // Nothing to change: answer with the current state, no new version, no event.
      return Uni.createFrom()
          .item(
              Applied.answer(
                  ProvisioningOutcome.applied(
                      command,
                      status,
                      UserDocuments.resource(row, managerName),
                      row.version,
                      Timestamps.now(clock).toInstant())));
    }
    boolean wasActive = row.active;
    OffsetDateTime now = Timestamps.now(clock);
    row.version = row.version + 1;
    fill(row, after, now);
    List<ProvisioningEvent> events = new ArrayList<>();
    List<String> names = List.copyOf(changed);
    ObjectNode values = Documents.changes(after, names, EventRedaction.of(command));
    if (changed.size() > 1 || !changed.contains("active")) {
      events.add(
          new UserUpdated(
              row.tenantId,
              command.resourceId(),
              row.version,
              names,
              row.userName,
              row.externalId,
              passwordSet,
              values));
    }
    if (wasActive && !row.active) {
      events.add(
          new UserDeactivated(
              row.tenantId,
              command.resourceId(),
              row.version,
              names,
              row.userName,
              row.externalId,
              values));
    } else if (!wasActive && row.active) {
      events.add(
          new UserReactivated(
              row.tenantId,
              command.resourceId(),
              row.version,
              names,
              row.userName,
              row.externalId,
              values));
    }
    return uniqueValues
        .claim(connection, command, ResourceKind.USER, row.id, before, after)
        .chain(() -> UserRows.update(connection, row))
        .map(
            saved ->
                new Applied(
                    ProvisioningOutcome.applied(
                        command,
                        status,
                        UserDocuments.resource(row, managerName),
                        row.version,
                        now.toInstant()),
                    events));
  }

  /**
   * What a create or replace did to the password: the command's fact, or, for a command from a
   * gateway that still published passwords, whether its body held one. Takes any password out of
   * {@code doc}, so it is never stored, returned or recorded.
   */
  private static Boolean passwordSet(ProvisioningCommand command, ObjectNode doc) {
    boolean inBody = Passwords.strip(doc);
    if (command.passwordSet() != null) {
      return command.passwordSet();
    }
    return inBody ? Boolean.TRUE : null;
  }

  /**
   * Checks a user's manager and returns its displayName for the reply: a manager the command sets
   * or changes must be a user of the same tenant (400 otherwise); one kept from before is not
   * checked again (it may have left since), and names no one if it is gone. A user may be their own
   * manager. The lookup sees users the same batch wrote before (their statements ran already).
   */
  private static Uni<String> managerName(
      SqlConnection connection,
      ProvisioningCommand command,
      String managerId,
      String managerBefore) {
    if (managerId == null) {
      return Uni.createFrom().nullItem();
    }
    boolean changed = !managerId.equals(managerBefore);
    UUID id;
    try {
      id = UUID.fromString(managerId);
    } catch (IllegalArgumentException e) {
      if (changed) {
        throw notAUser(managerId);
      }
      return Uni.createFrom().nullItem();
    }
    return UserRows.find(connection, command.tenantId(), id)
        .map(
            manager -> {
              if (manager == null && changed && !managerId.equals(command.resourceId())) {
                throw notAUser(managerId);
              }
              return manager == null ? null : manager.displayName;
            });
  }

  private static BadRequestException notAUser(String managerId) {
    return new BadRequestException(
        ScimType.invalidValue,
        "manager.value '"
            + (managerId.length() > 64 ? managerId.substring(0, 64) + "..." : managerId)
            + "' is not the id of a user of this tenant");
  }

  private static Uni<UserRecord> load(SqlConnection connection, ProvisioningCommand command) {
    UUID id = UUID.fromString(command.resourceId());
    return UserRows.find(connection, command.tenantId(), id)
        .map(
            row -> {
              if (row == null) {
                throw new ResourceNotFoundException(
                    "no user with id '" + command.resourceId() + "'");
              }
              Preconditions.requireVersion(command, row.version);
              return row;
            });
  }

  private static void fill(UserRecord row, ObjectNode doc, OffsetDateTime now) {
    row.userName = Documents.text(doc, "userName");
    row.externalId = Documents.text(doc, "externalId");
    JsonNode active = doc.get("active");
    row.active = active == null || !active.isBoolean() || active.booleanValue();
    row.displayName = Documents.text(doc, "displayName");
    row.resource = doc.toString();
    row.lastModified = now;
  }

  /**
   * Refuses a userName another user of the tenant has. An unchanged userName needs no query: the
   * unique index already holds it for this row. The check sees the other commands of the same
   * batch: their statements ran already, on the same connection.
   */
  private static Uni<Void> requireUniqueUserName(
      SqlConnection connection, String tenantId, String userName, UserRecord self) {
    if (userName.equals(self.userName)) {
      return Uni.createFrom().voidItem();
    }
    return UserRows.nameTaken(connection, tenantId, userName, self.id)
        .map(
            taken -> {
              if (taken) {
                throw userNameTaken(userName);
              }
              return null;
            });
  }

  public static ConflictException userNameTaken(String userName) {
    return new ConflictException(
        "userName '" + userName + "' is already used by another user of this tenant");
  }

  private static String requireUserName(JsonNode payload) {
    String userName = Documents.text(payload, "userName");
    if (userName == null || userName.isBlank()) {
      throw new BadRequestException(ScimType.invalidValue, "userName is required");
    }
    return userName;
  }
}
