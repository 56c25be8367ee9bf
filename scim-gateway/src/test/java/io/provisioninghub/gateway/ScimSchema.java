package io.provisioninghub.gateway;

import io.provisioninghub.testkit.Infrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processor's own migrations on the shared test database, so the gateway meets its tables: the
 * gateway never migrates. Applied in version order (V10 after V9), each once per database, recorded
 * in {@code scim.test_migrations}; every gateway test that needs the tables calls {@link
 * #ensure()}.
 */
public final class ScimSchema {

  private ScimSchema() {}

  /** Applies every processor migration this database has not had yet. */
  public static synchronized void ensure() throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        Statement st = c.createStatement()) {
      st.execute("create schema if not exists scim");
      st.execute("create table if not exists scim.test_migrations (name text primary key)");
      st.execute("set search_path to scim");
      for (Path file : migrations()) {
        String name = file.getFileName().toString();
        try (PreparedStatement applied =
            c.prepareStatement("select 1 from scim.test_migrations where name = ?")) {
          applied.setString(1, name);
          try (ResultSet rs = applied.executeQuery()) {
            if (rs.next()) {
              continue;
            }
          }
        }
        st.execute(Files.readString(file));
        try (PreparedStatement record =
            c.prepareStatement("insert into scim.test_migrations (name) values (?)")) {
          record.setString(1, name);
          record.executeUpdate();
        }
      }
    }
  }

  /** The processor's migrations ordered by their version number, as Flyway applies them. */
  static List<Path> migrations() throws Exception {
    Path dir =
        Path.of("..", "provisioning-processor", "src", "main", "resources", "db", "migration");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
          .sorted(Comparator.comparingInt(ScimSchema::version))
          .toList();
    }
  }

  private static int version(Path file) {
    String name = file.getFileName().toString();
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }
}
