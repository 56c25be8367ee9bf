package io.provisioninghub.processor.apply;

import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.processor.tenants.DeletedTenants;
import io.provisioninghub.processor.users.UserCommands;
import io.provisioninghub.processor.users.UserCommands.PreparedCreate;
import io.provisioninghub.processor.users.UserRecord;
import io.provisioninghub.processor.users.UserRows;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.TenantSchemas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * Applies a batch made only of user creates, the bulk of an initial sync, with one batched
 * statement per table instead of one statement per command. The transaction is the one {@link
 * CommandApplier#applyAll} opens, step for step: the tenants' shared locks and purges, the dedupe
 * lookup, the users' rows, the dedupe rows; the answers and events are built by the same code. A
 * batch this path does not take goes the general way, command after command: any other command, a
 * create naming a manager (a lookup that may need the batch's own rows), a tenant with unique
 * extension attributes (claims), a command id twice or seen before (a repeat is answered from its
 * dedupe row).
 */
@ApplicationScoped
public class UserCreateBatch {

  private final Pool pool;
  private final UserCommands users;
  private final DeletedTenants deletedTenants;
  private final Clock clock = Clock.systemUTC();

  public UserCreateBatch(Pool pool, UserCommands users, DeletedTenants deletedTenants) {
    this.pool = pool;
    this.users = users;
    this.deletedTenants = deletedTenants;
  }

  /**
   * The batch's creates, checked and built, or empty when the batch is not one this path takes.
   * Throws the client's error of a create whose body is refused, as the general way would.
   */
  public Optional<List<PreparedCreate>> prepare(List<ProvisioningCommand> commands) {
    Set<UUID> ids = new HashSet<>();
    for (ProvisioningCommand command : commands) {
      if (command.resourceType() != ResourceType.User
          || command.operation() != Operation.CREATE
          || !ids.add(command.commandId())
          || !TenantSchemas.of(command.extensions())
              .uniqueAttributes(ResourceKind.USER)
              .isEmpty()) {
        return Optional.empty();
      }
    }
    List<PreparedCreate> prepared = new ArrayList<>(commands.size());
    for (ProvisioningCommand command : commands) {
      PreparedCreate create = users.prepareCreate(command);
      if (create.managerId() != null) {
        return Optional.empty();
      }
      prepared.add(create);
    }
    return Optional.of(prepared);
  }

  /**
   * Applies the prepared creates in one transaction. Empty when one of the commands was applied
   * before: nothing is written, and the caller applies the batch the general way, which answers it.
   *
   * @param entering called with a command's index just before its answer is built (logging context)
   */
  public Uni<Optional<List<Applied>>> apply(
      List<ProvisioningCommand> commands, List<PreparedCreate> prepared, IntConsumer entering) {
    return pool.withTransaction(
        connection ->
            deletedTenants
                .lock(connection, commands.stream().map(ProvisioningCommand::tenantId).toList())
                .flatMap(
                    fence ->
                        connection
                            .preparedQuery(
                                "select 1 from scim.processed_commands"
                                    + " where command_id = any($1) limit 1")
                            .execute(
                                Tuple.of(
                                    commands.stream()
                                        .map(ProvisioningCommand::commandId)
                                        .toArray(UUID[]::new)))
                            .flatMap(
                                seen ->
                                    seen.size() > 0
                                        ? Uni.createFrom().item(Optional.<List<Applied>>empty())
                                        : write(connection, fence, commands, prepared, entering)
                                            .map(Optional::of))));
  }

  private Uni<List<Applied>> write(
      SqlConnection connection,
      DeletedTenants.Fence fence,
      List<ProvisioningCommand> commands,
      List<PreparedCreate> prepared,
      IntConsumer entering) {
    List<Applied> answers = new ArrayList<>(commands.size());
    List<UserRecord> userRows = new ArrayList<>(commands.size());
    List<ProcessedCommand> dedupeRows = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      entering.accept(i);
      ProvisioningCommand command = commands.get(i);
      if (fence.refuses(command)) {
        answers.add(CommandApplier.tenantDeleted(command, clock));
        continue;
      }
      PreparedCreate create = prepared.get(i);
      userRows.add(create.row());
      Applied applied = create.applied(command, null);
      ProcessedCommand done = CommandApplier.dedupeRow(command, applied);
      dedupeRows.add(done);
      answers.add(CommandApplier.answered(applied, done));
    }
    if (userRows.isEmpty()) {
      return Uni.createFrom().item(answers);
    }
    return UserRows.insertAll(connection, userRows)
        .chain(() -> ProcessedCommands.insertAll(connection, dedupeRows))
        .replaceWith(answers);
  }
}
