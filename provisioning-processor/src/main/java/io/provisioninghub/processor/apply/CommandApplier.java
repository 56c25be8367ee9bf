package io.provisioninghub.processor.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.events.ProvisioningEvent;
import io.provisioninghub.processor.events.EventPublisher;
import io.provisioninghub.processor.groups.GroupCommands;
import io.provisioninghub.processor.metrics.ApplyMetrics;
import io.provisioninghub.processor.tenants.DeletedTenants;
import io.provisioninghub.processor.users.UserCommands;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ConflictException;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.TenantSchemas;
import io.provisioninghub.support.consumer.StorableText;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Applies one command in one database transaction, at most once: the change, its outcome and its
 * events commit together in {@code processed_commands}, and a redelivered command returns what was
 * stored the first time without changing anything. A transaction is one connection of the reactive
 * PostgreSQL client, handed to every step explicitly; each statement runs at once, in order.
 */
@ApplicationScoped
public class CommandApplier {

  private static final Logger LOG = Logger.getLogger(CommandApplier.class);
  private static final TypeReference<List<ProvisioningEvent>> EVENTS = new TypeReference<>() {};

  private final UserCommands users;
  private final GroupCommands groups;
  private final Clock clock = Clock.systemUTC();
  private final ApplyMetrics metrics;
  private final DeletedTenants deletedTenants;
  private final UserCreateBatch createBatch;
  private final Pool pool;

  public CommandApplier(
      Pool pool,
      UserCommands users,
      GroupCommands groups,
      ApplyMetrics metrics,
      DeletedTenants deletedTenants,
      UserCreateBatch createBatch) {
    this.users = users;
    this.groups = groups;
    this.metrics = metrics;
    this.deletedTenants = deletedTenants;
    this.createBatch = createBatch;
    this.pool = pool;
  }

  public Uni<Applied> apply(ProvisioningCommand command) {
    return pool.withTransaction(
            connection ->
                deletedTenants
                    .lock(connection, List.of(command.tenantId()))
                    .flatMap(
                        fence ->
                            fence.refuses(command)
                                ? Uni.createFrom().item(tenantDeleted(command, clock))
                                : ProcessedCommands.find(connection, command.commandId())
                                    .flatMap(
                                        done ->
                                            done != null
                                                ? duplicate(connection, done, command)
                                                : dispatch(connection, command)
                                                    .flatMap(
                                                        applied ->
                                                            record(connection, command, applied)))))
        // Expected failures roll the transaction back and are recorded as the command's outcome. A
        // taken unique value surfaces at the statement that writes it (SQL state 23505).
        // A value PostgreSQL refuses for good (class 22, 23502/23514, 54) is refused the same way
        // on
        // every attempt: it is the client's 400, answered at once, not a retry or a dead letter.
        .onFailure(
            f ->
                f instanceof ScimException
                    || Failures.uniqueViolation(f).isPresent()
                    || Failures.refusal(f).isPresent())
        .recoverWithUni(failure -> recordFailure(command, asScim(command, failure)));
  }

  /**
   * Applies a batch of commands in their order, in one transaction: each command is looked up in
   * {@code processed_commands}, applied and recorded as in {@link #apply}, on the transaction's one
   * connection. Every statement runs at once, so a later command reads what an earlier one wrote.
   * If any command fails, for whatever reason, nothing of the batch is committed and the returned
   * Uni fails; the caller then applies the commands one by one, which gives each its own answer.
   *
   * <p>Two shapes of batch take shorter ways with the same outcome: a batch of user creates only is
   * written with one statement per table ({@link UserCreateBatch}), and consecutive member changes
   * of one group are written as one set operation ({@link GroupCommands#patchTogether}).
   *
   * @param entering called with a command's index just before it is applied (logging context)
   */
  public Uni<List<Applied>> applyAll(List<ProvisioningCommand> commands, IntConsumer entering) {
    Optional<List<UserCommands.PreparedCreate>> creates = createBatch.prepare(commands);
    if (creates.isEmpty()) {
      return applyAllInOrder(commands, entering);
    }
    return createBatch
        .apply(commands, creates.get(), entering)
        .flatMap(
            applied ->
                applied.isPresent()
                    ? Uni.createFrom().item(applied.get())
                    // A repeat among them: nothing was written, and the general way answers it.
                    : applyAllInOrder(commands, entering));
  }

  private Uni<List<Applied>> applyAllInOrder(
      List<ProvisioningCommand> commands, IntConsumer entering) {
    Set<UUID> duplicates = new HashSet<>();
    List<UUID> ids = commands.stream().map(ProvisioningCommand::commandId).distinct().toList();
    return pool.<List<Applied>>withTransaction(
            // One lookup of processed_commands for the whole batch instead of one per command.
            connection ->
                deletedTenants
                    .lock(connection, commands.stream().map(ProvisioningCommand::tenantId).toList())
                    .flatMap(
                        fence ->
                            ProcessedCommands.findAll(connection, ids)
                                .map(found -> Map.entry(fence, found)))
                    .flatMap(
                        fenceAndFound -> {
                          DeletedTenants.Fence fence = fenceAndFound.getKey();
                          List<ProcessedCommand> found = fenceAndFound.getValue();
                          Map<UUID, ProcessedCommand> done = new HashMap<>();
                          found.forEach(p -> done.put(p.commandId, p));
                          Set<UUID> seen = new HashSet<>();
                          Set<UUID> twice = twice(commands);
                          Uni<List<Applied>> chain =
                              Uni.createFrom().item(new ArrayList<>(commands.size()));
                          for (int i = 0; i < commands.size(); i++) {
                            int index = i;
                            ProvisioningCommand command = commands.get(i);
                            int end =
                                groupPatchesUntil(
                                    commands,
                                    i,
                                    c ->
                                        done.containsKey(c.commandId())
                                            || twice.contains(c.commandId())
                                            || fence.refuses(c));
                            if (end - i > 1) {
                              List<ProvisioningCommand> run = commands.subList(i, end);
                              chain =
                                  chain.flatMap(
                                      applied -> {
                                        entering.accept(index);
                                        return groups
                                            .patchTogether(connection, run)
                                            .flatMap(
                                                results ->
                                                    recordAll(
                                                        connection, run, results, index, entering))
                                            .map(
                                                recorded -> {
                                                  applied.addAll(recorded);
                                                  return applied;
                                                });
                                      });
                              i = end - 1;
                              continue;
                            }
                            // A command twice in one batch: the second sees the first's row.
                            boolean repeated = !seen.add(command.commandId());
                            chain =
                                chain.flatMap(
                                    applied -> {
                                      entering.accept(index);
                                      if (fence.refuses(command)) {
                                        applied.add(tenantDeleted(command, clock));
                                        return Uni.createFrom().item(applied);
                                      }
                                      return applyInBatch(
                                              connection,
                                              command,
                                              repeated ? null : done.get(command.commandId()),
                                              repeated,
                                              duplicates)
                                          .map(
                                              one -> {
                                                applied.add(one);
                                                return applied;
                                              });
                                    });
                          }
                          return chain;
                        }))
        .invoke(() -> duplicates.forEach(metrics::duplicate));
  }

  /**
   * The end (exclusive) of the run of PATCHes of one group that starts at {@code start}, which
   * {@link GroupCommands#patchTogether} may apply together: none with a version precondition, none
   * {@code excluded} (seen before, twice in the batch, of a deleted tenant), and a tenant without
   * unique group attributes (whose claims go command by command). {@code start + 1} when there is
   * no such run.
   */
  static int groupPatchesUntil(
      List<ProvisioningCommand> commands, int start, Predicate<ProvisioningCommand> excluded) {
    ProvisioningCommand first = commands.get(start);
    int end = start;
    while (end < commands.size()) {
      ProvisioningCommand next = commands.get(end);
      if (next.resourceType() != ResourceType.Group
          || next.operation() != Operation.PATCH
          || next.expectedVersion() != null
          || !next.tenantId().equals(first.tenantId())
          || !next.resourceId().equals(first.resourceId())
          || !TenantSchemas.of(next.extensions()).uniqueAttributes(ResourceKind.GROUP).isEmpty()
          || excluded.test(next)) {
        break;
      }
      end++;
    }
    return Math.max(end, start + 1);
  }

  private static Set<UUID> twice(List<ProvisioningCommand> commands) {
    Set<UUID> seen = new HashSet<>();
    Set<UUID> twice = new HashSet<>();
    for (ProvisioningCommand command : commands) {
      if (!seen.add(command.commandId())) {
        twice.add(command.commandId());
      }
    }
    return twice;
  }

  /** Records the run's commands in order, as {@link #applyInBatch} records one. */
  private Uni<List<Applied>> recordAll(
      SqlConnection connection,
      List<ProvisioningCommand> run,
      List<Applied> results,
      int first,
      IntConsumer entering) {
    Uni<List<Applied>> chain = Uni.createFrom().item(new ArrayList<>(run.size()));
    for (int i = 0; i < run.size(); i++) {
      int index = i;
      chain =
          chain.flatMap(
              recorded -> {
                entering.accept(first + index);
                return record(connection, run.get(index), results.get(index))
                    .map(
                        one -> {
                          recorded.add(one);
                          return recorded;
                        });
              });
    }
    return chain;
  }

  private Uni<Applied> applyInBatch(
      SqlConnection connection,
      ProvisioningCommand command,
      ProcessedCommand alreadyDone,
      boolean lookUp,
      Set<UUID> duplicates) {
    Uni<ProcessedCommand> done =
        lookUp
            // A command twice in one batch: the second reads the first's row.
            ? ProcessedCommands.find(connection, command.commandId())
            : Uni.createFrom().item(alreadyDone);
    return done.flatMap(
        stored -> {
          if (stored != null) {
            duplicates.add(command.commandId());
            return stored(connection, stored, command);
          }
          return dispatch(connection, command)
              .flatMap(applied -> record(connection, command, applied));
        });
  }

  private Uni<Applied> dispatch(SqlConnection connection, ProvisioningCommand command) {
    return switch (command.resourceType()) {
      case User ->
          switch (command.operation()) {
            case CREATE -> users.create(connection, command);
            case REPLACE -> users.replace(connection, command);
            case PATCH -> users.patch(connection, command);
            case DELETE -> users.delete(connection, command);
          };
      case Group ->
          switch (command.operation()) {
            case CREATE -> groups.create(connection, command);
            case REPLACE -> groups.replace(connection, command);
            case PATCH -> groups.patch(connection, command);
            case DELETE -> groups.delete(connection, command);
          };
    };
  }

  private Uni<Applied> recordFailure(ProvisioningCommand command, ScimException failure) {
    LOG.debugf(
        "command %s of tenant %s refused: %s",
        command.commandId(), command.tenantId(), failure.getMessage());
    ProvisioningOutcome outcome =
        new ProvisioningOutcome(
            command.commandId(),
            command.tenantId(),
            OutcomeStatus.FAILED,
            failure.status(),
            failure.scimType() == null ? null : failure.scimType().name(),
            // A detail may quote the client's value; U+0000 in it would be refused again.
            StorableText.of(failure.detail()),
            null,
            0,
            clock.instant());
    return pool.withTransaction(
            connection ->
                deletedTenants
                    .lock(connection, List.of(command.tenantId()))
                    .flatMap(
                        fence ->
                            fence.refuses(command)
                                ? Uni.createFrom().item(tenantDeleted(command, clock))
                                : ProcessedCommands.find(connection, command.commandId())
                                    .flatMap(
                                        done ->
                                            done != null
                                                ? duplicate(connection, done, command)
                                                : record(
                                                    connection, command, Applied.answer(outcome)))))
        // Even the refusal cannot be stored (e.g. the tenant id itself holds U+0000): answer it
        // unrecorded; a redelivery is refused the same way and gets the same answer.
        .onFailure(f -> Failures.refusal(f).isPresent())
        .recoverWithItem(
            f -> {
              LOG.warnf(
                  "the refusal of command %s cannot be stored either (SQL state %s); answering"
                      + " it without a processed_commands row",
                  command.commandId(), Failures.refusal(f).orElse(""));
              return Applied.answer(outcome);
            });
  }

  private static ScimException asScim(ProvisioningCommand command, Throwable failure) {
    if (failure instanceof ScimException scim) {
      return scim;
    }
    Optional<String> refused = Failures.refusal(failure);
    if (refused.isPresent()) {
      LOG.warnf(
          "command %s of tenant %s refused by the database (SQL state %s); answered 400",
          command.commandId(), command.tenantId(), refused.get());
      return new BadRequestException(
          ScimType.invalidValue, Failures.refusalDetail(refused.get()), failure);
    }
    String constraint = Failures.uniqueViolation(failure).orElse("");
    if (constraint.startsWith("groups_")) {
      return GroupCommands.displayNameTaken(
          command.payload() == null
              ? ""
              : String.valueOf(command.payload().path("displayName").asText()));
    }
    if (constraint.startsWith("users_")) {
      return UserCommands.userNameTaken(
          command.payload() == null
              ? ""
              : String.valueOf(command.payload().path("userName").asText()));
    }
    return new ConflictException(
        "the change conflicts with another change applied at the same time");
  }

  /**
   * Stores the command's dedupe row: the answer's status, SCIM error type, resource id and version,
   * and its event ids, never a body or an error detail. The events themselves wait in {@code
   * unsent_events} until the broker confirms them ({@code outbox.SentEvents}).
   */
  private Uni<Applied> record(
      SqlConnection connection, ProvisioningCommand command, Applied applied) {
    ProcessedCommand done = dedupeRow(command, applied);
    return ProcessedCommands.insert(connection, done).replaceWith(answered(applied, done));
  }

  /** The dedupe row of a command that {@code applied} answers. */
  static ProcessedCommand dedupeRow(ProvisioningCommand command, Applied applied) {
    ProvisioningOutcome outcome = applied.outcome();
    ProcessedCommand done = new ProcessedCommand();
    done.commandId = command.commandId();
    done.tenantId = command.tenantId();
    done.status = outcome.status().name();
    done.httpStatus = outcome.httpStatus();
    done.scimType = outcome.scimType();
    done.resourceType = command.resourceType().name();
    done.resourceId = command.resourceId();
    done.version = outcome.version();
    done.eventIds =
        IntStream.range(0, applied.events().size())
            .mapToObj(i -> EventPublisher.eventId(command.commandId(), i))
            .toArray(String[]::new);
    if (!applied.events().isEmpty()) {
      try {
        done.unsentEvents =
            ContractJson.mapper().writerFor(EVENTS).writeValueAsString(applied.events());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    // The time the answer carries, as the database keeps it: a repeated answer says the same.
    done.processedAt =
        OffsetDateTime.ofInstant(outcome.appliedAt(), ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MICROS);
    return done;
  }

  /** The answer as recorded in {@code done}: its time is the stored one. */
  static Applied answered(Applied applied, ProcessedCommand done) {
    ProvisioningOutcome outcome = applied.outcome();
    return new Applied(
        new ProvisioningOutcome(
            outcome.commandId(),
            outcome.tenantId(),
            outcome.status(),
            outcome.httpStatus(),
            outcome.scimType(),
            outcome.detail(),
            outcome.resource(),
            outcome.version(),
            done.processedAt.toInstant()),
        applied.events());
  }

  /** A command of a deleted tenant: answered, never applied or recorded. */
  static Applied tenantDeleted(ProvisioningCommand command, Clock clock) {
    LOG.infof("command %s refused: tenant %s was deleted", command.commandId(), command.tenantId());
    return Applied.answer(
        new ProvisioningOutcome(
            command.commandId(),
            command.tenantId(),
            OutcomeStatus.FAILED,
            403,
            null,
            "this tenant was deleted; its data has been removed",
            null,
            0,
            clock.instant()));
  }

  private Uni<Applied> duplicate(
      SqlConnection connection, ProcessedCommand done, ProvisioningCommand command) {
    return stored(connection, done, command).invoke(() -> metrics.duplicate(command.commandId()));
  }

  /**
   * The answer of a command applied before, rebuilt from its dedupe row: a success's body is the
   * resource as it is now (read from users or groups; none if it was deleted since), a refusal's
   * detail is a fixed text. Its events are those not yet confirmed by the broker.
   */
  private Uni<Applied> stored(
      SqlConnection connection, ProcessedCommand done, ProvisioningCommand command) {
    if (!done.tenantId.equals(command.tenantId())) {
      // A command id is a random UUID; a clash across tenants means a forged or corrupt record.
      throw new IllegalStateException(
          "command " + command.commandId() + " seen for another tenant");
    }
    List<ProvisioningEvent> events;
    try {
      events =
          done.unsentEvents == null
              ? List.of()
              : ContractJson.mapper().readValue(done.unsentEvents, EVENTS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored events of " + command.commandId() + " unreadable", e);
    }
    OutcomeStatus status = OutcomeStatus.valueOf(done.status);
    boolean withBody =
        status == OutcomeStatus.APPLIED && done.httpStatus != 204 && done.resourceId != null;
    Uni<ObjectNode> body =
        !withBody
            ? Uni.createFrom().nullItem()
            : "Group".equals(done.resourceType)
                ? groups.current(connection, done.tenantId, done.resourceId)
                : users.current(connection, done.tenantId, done.resourceId);
    return body.map(
        resource ->
            new Applied(
                new ProvisioningOutcome(
                    command.commandId(),
                    command.tenantId(),
                    status,
                    done.httpStatus,
                    done.scimType,
                    status == OutcomeStatus.APPLIED
                        ? null
                        : ProvisioningOutcome.replayedRefusalDetail(done.httpStatus, done.scimType),
                    resource,
                    done.version,
                    done.processedAt.toInstant()),
                events));
  }
}
