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
import io.provisioninghub.processor.apply.Preconditions;
import io.provisioninghub.processor.apply.Sessions;
import io.provisioninghub.processor.apply.TenantScopedId;
import io.provisioninghub.processor.apply.Timestamps;
import io.provisioninghub.processor.membership.Memberships;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ConflictException;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.patch.PatchApplier;
import io.provisioninghub.scim.patch.PatchParser;
import io.provisioninghub.scim.patch.PatchResult;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Applies user commands inside the caller's transaction. Expected failures are ScimExceptions. */
@ApplicationScoped
public class UserCommands {

  private final Memberships memberships;
  private final Clock clock = Clock.systemUTC();

  public UserCommands(Memberships memberships) {
    this.memberships = memberships;
  }

  /**
   * The user as it is now, or null if the tenant has no such user: the body of a late or repeated
   * answer, which {@code processed_commands} does not keep.
   */
  public Uni<ObjectNode> current(String tenantId, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().nullItem();
    }
    return UserRecord.<UserRecord>findById(new TenantScopedId(tenantId, uuid))
        .map(row -> row == null ? null : UserDocuments.resource(row));
  }

  public Uni<Applied> create(ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    requireUserName(payload);
    UUID id = UUID.fromString(command.resourceId());
    // No uniqueness query first: the unique index on (tenant, lower(userName)) refuses a taken
    // name at commit, and CommandApplier answers that violation with 409 uniqueness. Creates are
    // the bulk of an initial sync, and this saves a query on each.
    OffsetDateTime now = Timestamps.now(clock);
    UserRecord fresh = new UserRecord();
    fresh.tenantId = command.tenantId();
    fresh.id = id;
    fresh.version = 1;
    fresh.created = now;
    fill(
        fresh,
        Documents.stored(payload, command.resourceId(), ScimSchemas.CORE_USER, "groups"),
        now);
    return fresh
        .<UserRecord>persist()
        .map(
            row ->
                new Applied(
                    ProvisioningOutcome.applied(
                        command,
                        201,
                        UserDocuments.resource(row),
                        row.version,
                        row.lastModified.toInstant()),
                    List.of(
                        new UserCreated(
                            row.tenantId,
                            command.resourceId(),
                            row.version,
                            List.copyOf(Documents.attributeNames(Documents.parse(row.resource))),
                            row.userName,
                            row.externalId,
                            row.active))));
  }

  public Uni<Applied> replace(ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    String userName = requireUserName(payload);
    return load(command)
        .flatMap(
            row ->
                requireUniqueUserName(command.tenantId(), userName, row)
                    .flatMap(
                        unique ->
                            update(
                                command,
                                row,
                                Documents.stored(
                                    payload, command.resourceId(), ScimSchemas.CORE_USER, "groups"),
                                200)));
  }

  public Uni<Applied> patch(ProvisioningCommand command) {
    JsonNode payload = Documents.requirePayload(command);
    var patch = PatchParser.parse(payload);
    return load(command)
        .flatMap(
            row -> {
              PatchResult result = PatchApplier.applyToUser(Documents.parse(row.resource), patch);
              ObjectNode after = result.document();
              String userName = Documents.text(after, "userName");
              if (userName == null || userName.isBlank()) {
                throw new BadRequestException(ScimType.mutability, "userName cannot be removed");
              }
              return requireUniqueUserName(command.tenantId(), userName, row)
                  .flatMap(unique -> update(command, row, after, 200));
            });
  }

  public Uni<Applied> delete(ProvisioningCommand command) {
    return load(command)
        .flatMap(
            row ->
                memberships
                    .removeMemberEverywhere(row.tenantId, row.id)
                    .flatMap(removed -> row.delete())
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

  private Uni<Applied> update(
      ProvisioningCommand command, UserRecord row, ObjectNode after, int status) {
    ObjectNode before = Documents.parse(row.resource);
    Set<String> changed = Documents.changedAttributes(before, after);
    if (changed.isEmpty()) {
      // Nothing to change: answer with the current state, no new version, no event.
      return Uni.createFrom()
          .item(
              Applied.answer(
                  ProvisioningOutcome.applied(
                      command,
                      status,
                      UserDocuments.resource(row),
                      row.version,
                      Timestamps.now(clock).toInstant())));
    }
    boolean wasActive = row.active;
    OffsetDateTime now = Timestamps.now(clock);
    row.version = row.version + 1;
    fill(row, after, now);
    List<ProvisioningEvent> events = new ArrayList<>();
    List<String> names = List.copyOf(changed);
    if (changed.size() > 1 || !changed.contains("active")) {
      events.add(
          new UserUpdated(
              row.tenantId,
              command.resourceId(),
              row.version,
              names,
              row.userName,
              row.externalId));
    }
    if (wasActive && !row.active) {
      events.add(
          new UserDeactivated(
              row.tenantId,
              command.resourceId(),
              row.version,
              names,
              row.userName,
              row.externalId));
    } else if (!wasActive && row.active) {
      events.add(
          new UserReactivated(
              row.tenantId,
              command.resourceId(),
              row.version,
              names,
              row.userName,
              row.externalId));
    }
    return row.<UserRecord>persist()
        .map(
            saved ->
                new Applied(
                    ProvisioningOutcome.applied(
                        command,
                        status,
                        UserDocuments.resource(saved),
                        saved.version,
                        now.toInstant()),
                    events));
  }

  private Uni<UserRecord> load(ProvisioningCommand command) {
    UUID id = UUID.fromString(command.resourceId());
    return UserRecord.<UserRecord>findById(new TenantScopedId(command.tenantId(), id))
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
   * unique index already holds it for this row. Otherwise the session is flushed first, so the
   * check sees the other commands of the same batch.
   */
  private static Uni<Void> requireUniqueUserName(
      String tenantId, String userName, UserRecord self) {
    if (userName.equals(self.userName)) {
      return Uni.createFrom().voidItem();
    }
    Uni<Long> count =
        Sessions.flushed()
            .chain(
                () ->
                    UserRecord.count(
                        "tenantId = ?1 and lower(userName) = lower(?2) and id <> ?3",
                        tenantId,
                        userName,
                        self.id));
    return count.map(
        n -> {
          if (n > 0) {
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
