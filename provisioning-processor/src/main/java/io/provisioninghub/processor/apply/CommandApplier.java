package io.provisioninghub.processor.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies one command in one database transaction, at most once: the change and the dedupe record
 * commit together, and a redelivered command returns the outcome stored the first time.
 */
@ApplicationScoped
public class CommandApplier {

  private static final Logger LOG = Logger.getLogger(CommandApplier.class);

  private final Clock clock;

  public CommandApplier() {
    this(Clock.systemUTC());
  }

  CommandApplier(Clock clock) {
    this.clock = clock;
  }

  public Uni<ProvisioningOutcome> apply(ProvisioningCommand command) {
    return Panache.withTransaction(
            () ->
                ProcessedCommand.<ProcessedCommand>findById(command.commandId())
                    .flatMap(
                        done ->
                            done != null
                                ? Uni.createFrom().item(stored(done, command))
                                : applyOnce(command)))
        // A uniqueness race surfaces at commit, after the transaction's Uni: recover out here.
        .onFailure(f -> Failures.uniqueViolation(f).isPresent())
        .recoverWithUni(failure -> recordConflict(command, failure));
  }

  private Uni<ProvisioningOutcome> applyOnce(ProvisioningCommand command) {
    if (command.resourceType() == ResourceType.User && command.operation() == Operation.CREATE) {
      return createUser(command);
    }
    return record(
        command,
        failed(
            command,
            501,
            null,
            command.operation() + " of " + command.resourceType() + " is not supported yet"));
  }

  private Uni<ProvisioningOutcome> createUser(ProvisioningCommand command) {
    JsonNode payload = command.payload();
    String userName = payload == null ? null : UserDocuments.text(payload, "userName");
    if (userName == null || userName.isBlank()) {
      return record(command, failed(command, 400, "invalidValue", "userName is required"));
    }
    return UserRecord.count(
            "tenantId = ?1 and lower(userName) = lower(?2)", command.tenantId(), userName)
        .flatMap(
            existing -> {
              if (existing > 0) {
                return record(command, userNameTaken(command, userName));
              }
              OffsetDateTime now = now();
              UserRecord row = new UserRecord();
              row.tenantId = command.tenantId();
              row.id = UUID.fromString(command.resourceId());
              row.userName = userName;
              row.externalId = UserDocuments.text(payload, "externalId");
              JsonNode active = payload.get("active");
              row.active = active == null || !active.isBoolean() || active.booleanValue();
              row.displayName = UserDocuments.text(payload, "displayName");
              row.resource =
                  ContractJson.mapper()
                      .valueToTree(UserDocuments.stored(payload, command.resourceId()))
                      .toString();
              row.version = 1;
              row.created = now;
              row.lastModified = now;
              return row.<UserRecord>persist()
                  .flatMap(
                      saved ->
                          record(
                              command,
                              ProvisioningOutcome.applied(
                                  command,
                                  201,
                                  UserDocuments.resource(saved),
                                  saved.version,
                                  now.toInstant())));
            });
  }

  private Uni<ProvisioningOutcome> recordConflict(ProvisioningCommand command, Throwable failure) {
    LOG.debugf("command %s lost a uniqueness race: %s", command.commandId(), failure.getMessage());
    return Panache.withTransaction(
        () ->
            ProcessedCommand.<ProcessedCommand>findById(command.commandId())
                .flatMap(
                    done -> {
                      if (done != null) {
                        return Uni.createFrom().item(stored(done, command));
                      }
                      String userName =
                          command.payload() == null
                              ? ""
                              : UserDocuments.text(command.payload(), "userName");
                      return record(command, userNameTaken(command, userName));
                    }));
  }

  private Uni<ProvisioningOutcome> record(
      ProvisioningCommand command, ProvisioningOutcome outcome) {
    ProcessedCommand done = new ProcessedCommand();
    done.commandId = command.commandId();
    done.tenantId = command.tenantId();
    done.outcome = ContractJson.toJson(outcome);
    done.processedAt = now();
    return done.persist().replaceWith(outcome);
  }

  private static ProvisioningOutcome stored(ProcessedCommand done, ProvisioningCommand command) {
    if (!done.tenantId.equals(command.tenantId())) {
      // A command id is a random UUID; a clash across tenants means a forged or corrupt record.
      throw new IllegalStateException(
          "command " + command.commandId() + " seen for another tenant");
    }
    return ContractJson.outcome(done.outcome.getBytes(StandardCharsets.UTF_8));
  }

  private ProvisioningOutcome userNameTaken(ProvisioningCommand command, String userName) {
    return failed(
        command,
        409,
        "uniqueness",
        "userName '" + userName + "' is already used by another user of this tenant");
  }

  private ProvisioningOutcome failed(
      ProvisioningCommand command, int status, String scimType, String detail) {
    return new ProvisioningOutcome(
        command.commandId(),
        command.tenantId(),
        OutcomeStatus.FAILED,
        status,
        scimType,
        detail,
        null,
        0,
        clock.instant());
  }

  private OffsetDateTime now() {
    // PostgreSQL keeps microseconds: truncate so the outcome equals what a later read returns.
    return OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.MICROS);
  }
}
