package io.provisioninghub.chaos;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Compares what the load got acknowledged with what PostgreSQL and the topics hold. Each check
 * returns the problems it found; the scenario asserts there are none.
 */
final class Invariants {

  /** How long the processor and the audit log get to catch up once the faults are over. */
  static final Duration CATCH_UP = Duration.ofSeconds(90);

  private final ChaosSystem system;

  /** Numbers of the last check, for the report. */
  long commandsOnTopic;

  long distinctCommands;
  long lost;
  long duplicated;
  long auditRows;

  Invariants(ChaosSystem system) {
    this.system = system;
  }

  /** Command ids published for these tenants so far, with how often each was published. */
  Map<UUID, Integer> commandIds(Set<String> tenants) {
    Map<UUID, Integer> ids = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : system.commands.records()) {
      String key = r.key();
      if (key == null || !tenants.contains(key.substring(0, Math.max(0, key.indexOf('/'))))) {
        continue;
      }
      try {
        ProvisioningCommand c = ContractJson.command(r.value());
        ids.merge(c.commandId(), 1, Integer::sum);
      } catch (RuntimeException e) {
        // not a command (a fault test's unreadable record): not this check's business
      }
    }
    return ids;
  }

  /** Every published command of these tenants has been processed (bounded wait). */
  List<String> allCommandsProcessed(Set<String> tenants) throws SQLException {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    Set<UUID> missing;
    do {
      Map<UUID, Integer> ids = commandIds(tenants);
      missing = new HashSet<>(ids.keySet());
      missing.removeAll(ids(tenants, "select command_id from scim.processed_commands"));
      commandsOnTopic = ids.values().stream().mapToInt(Integer::intValue).sum();
      distinctCommands = ids.size();
      if (missing.isEmpty()) {
        return List.of();
      }
      Load.sleepNanos(TimeUnit.MILLISECONDS.toNanos(250));
    } while (System.nanoTime() < deadline);
    return List.of(
        missing.size() + " published command(s) never processed, e.g. " + first(missing));
  }

  /** Each command of these tenants appears in the audit log, with its outcome (bounded wait). */
  List<String> auditComplete(Set<String> tenants) throws SQLException {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    Set<UUID> missing;
    do {
      Set<UUID> ids = commandIds(tenants).keySet();
      Set<UUID> audited =
          ids(tenants, "select command_id from audit.operations where has_command and has_outcome");
      missing = new HashSet<>(ids);
      missing.removeAll(audited);
      if (missing.isEmpty()) {
        auditRows = count(tenants, "select count(*) from audit.operations where has_command");
        List<String> problems = new ArrayList<>();
        if (auditRows != ids.size()) {
          problems.add(
              "audit holds " + auditRows + " command rows for " + ids.size() + " commands");
        }
        return problems;
      }
      Load.sleepNanos(TimeUnit.MILLISECONDS.toNanos(250));
    } while (System.nanoTime() < deadline);
    return List.of(
        missing.size() + " command(s) missing from the audit log, e.g. " + first(missing));
  }

  /** Nothing of these tenants was dead-lettered. */
  List<String> nothingDeadLettered(Set<String> tenants) {
    long n =
        system.deadLetters.records().stream()
            .filter(
                r -> r.key() != null && tenants.stream().anyMatch(t -> r.key().startsWith(t + "/")))
            .count();
    return n == 0 ? List.of() : List.of(n + " command(s) dead-lettered");
  }

  /** The store holds exactly what was acknowledged, each change once, in order. */
  List<String> storeMatches(Collection<Load> loads) throws SQLException {
    List<String> problems = new ArrayList<>();
    lost = 0;
    duplicated = 0;
    try (Connection c = system.infra.postgres().connect()) {
      for (Load load : loads) {
        for (Load.UserTrack u : load.users) {
          checkUser(c, u, problems);
        }
        for (Load.GroupTrack g : load.groups) {
          for (Load.UserTrack m : g.memberUsers) {
            checkUser(c, m, problems);
          }
          checkGroup(c, g, problems);
        }
      }
    }
    return problems;
  }

  private void checkUser(Connection c, Load.UserTrack u, List<String> problems)
      throws SQLException {
    if (u.id == null) {
      return; // never acknowledged; the load recorded why
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "select id, version, display_name, active from scim.users"
                + " where tenant_id = ? and lower(user_name) = lower(?)")) {
      s.setString(1, u.tenant);
      s.setString(2, u.userName);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          lost++;
          problems.add(u.userName + ": acknowledged but not stored");
          return;
        }
        long version = rs.getLong("version");
        if (!rs.getString("id").equals(u.id)) {
          problems.add(u.userName + ": stored under another id");
        }
        if (version < u.version) {
          lost++;
          problems.add(u.userName + ": version " + version + " < acknowledged " + u.version);
        } else if (version > u.version) {
          duplicated++;
          problems.add(u.userName + ": version " + version + " > acknowledged " + u.version);
        } else if (u.steps > 0
            && (!u.displayName.equals(rs.getString("display_name"))
                || u.active != rs.getBoolean("active"))) {
          problems.add(u.userName + ": state differs from the last acknowledged write");
        }
        if (rs.next()) {
          duplicated++;
          problems.add(u.userName + ": stored twice");
        }
      }
    }
  }

  private void checkGroup(Connection c, Load.GroupTrack g, List<String> problems)
      throws SQLException {
    if (g.id == null) {
      return;
    }
    long version;
    try (PreparedStatement s =
        c.prepareStatement(
            "select version from scim.groups where tenant_id = ? and id = ?::uuid")) {
      s.setString(1, g.tenant);
      s.setString(2, g.id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          lost++;
          problems.add(g.displayName + ": acknowledged but not stored");
          return;
        }
        version = rs.getLong(1);
      }
    }
    Set<String> stored = new HashSet<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select member_id from scim.group_members where tenant_id = ? and group_id = ?::uuid")) {
      s.setString(1, g.tenant);
      s.setString(2, g.id);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
    }
    Set<String> missing = new HashSet<>(g.members);
    missing.removeAll(stored);
    Set<String> extra = new HashSet<>(stored);
    extra.removeAll(g.members);
    lost += missing.size();
    if (!missing.isEmpty()) {
      problems.add(g.displayName + ": " + missing.size() + " acknowledged member(s) missing");
    }
    // A member add whose answer was lost may be applied without an acknowledgement: at most the
    // one the thread was writing when it stopped.
    if (extra.size() > 1) {
      problems.add(g.displayName + ": " + extra.size() + " members never added by the client");
    }
    long expected = 1L + stored.size();
    if (version != expected) {
      if (version > expected) {
        duplicated++;
      }
      problems.add(
          g.displayName + ": version " + version + " for " + stored.size() + " member adds");
    }
  }

  private Set<UUID> ids(Set<String> tenants, String sql) throws SQLException {
    Set<UUID> out = new HashSet<>();
    try (Connection c = system.infra.postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                sql + (sql.contains(" where ") ? " and" : " where") + " tenant_id = any(?)")) {
      s.setArray(1, c.createArrayOf("text", tenants.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add((UUID) rs.getObject(1));
        }
      }
    }
    return out;
  }

  private long count(Set<String> tenants, String sql) throws SQLException {
    try (Connection c = system.infra.postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                sql + (sql.contains(" where ") ? " and" : " where") + " tenant_id = any(?)")) {
      s.setArray(1, c.createArrayOf("text", tenants.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Object first(Set<UUID> ids) {
    return ids.iterator().next();
  }
}
