package io.provisioninghub.processor.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.testkit.Infrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Migration V3 against the real PostgreSQL: plaintext passwords that earlier versions stored in
 * user resources and in stored outcomes and events are removed, and nothing else changes. Runs the
 * processor's migration files in a schema of its own, with rows as V2 left them.
 */
class PasswordMigrationTest {

  private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");

  @Test
  void existingPlaintextIsRemovedFromUsersAndProcessedCommands() throws Exception {
    String schema = "mig_pw_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = Infrastructure.shared().postgres().connect();
        Statement st = c.createStatement()) {
      st.execute("create schema " + schema);
      st.execute("set search_path to " + schema);
      st.execute(Files.readString(MIGRATIONS.resolve("V1__scim_users.sql")));
      st.execute(Files.readString(MIGRATIONS.resolve("V2__scim_groups_members_events.sql")));
      String id = UUID.randomUUID().toString();
      st.execute(
          "insert into users (tenant_id, id, user_name, active, resource, version, created,"
              + " last_modified) values ('t', '"
              + id
              + "', 'a@b.c', true, '{\"id\":\""
              + id
              + "\",\"userName\":\"a@b.c\",\"password\":\"Old-Plain-1\","
              + "\"urn:x:Custom:User\":{\"Password\":\"Old-Plain-2\",\"keep\":1}}', 1, now(), now())");
      st.execute(
          "insert into processed_commands (command_id, tenant_id, outcome, processed_at, events)"
              + " values ('"
              + UUID.randomUUID()
              + "', 't', '{\"status\":\"APPLIED\",\"resource\":{\"userName\":\"a@b.c\","
              + "\"password\":\"Old-Plain-3\",\"emails\":[{\"value\":\"a@b.c\"}]}}', now(),"
              + " '[{\"event\":\"UserCreated\",\"password\":\"Old-Plain-4\"}]')");

      st.execute(Files.readString(MIGRATIONS.resolve("V3__password_hash_and_no_plaintext.sql")));

      try (ResultSet rs =
          st.executeQuery(
              "select resource::text, password_hash from users where tenant_id = 't'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1))
            .doesNotContain("Old-Plain")
            .contains("\"userName\": \"a@b.c\"", "\"keep\": 1");
        assertThat(rs.getString(2)).isNull();
      }
      try (ResultSet rs =
          st.executeQuery("select outcome::text || events::text from processed_commands")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1))
            .doesNotContain("Old-Plain")
            .contains("\"emails\": [{\"value\": \"a@b.c\"}]", "UserCreated");
      }
      try (ResultSet rs =
          st.executeQuery(
              "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                  + " where n.nspname = '"
                  + schema
                  + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("helper function dropped").isZero();
      }
      st.execute("drop schema " + schema + " cascade");
    }
  }
}
