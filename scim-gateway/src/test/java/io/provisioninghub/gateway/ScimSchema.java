package io.provisioninghub.gateway;

import io.provisioninghub.testkit.Infrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;

/** The processor's own migrations on the shared test database, so the gateway meets its tables. */
public final class ScimSchema {

  private ScimSchema() {}

  /** Applies the processor's migrations once per database (the gateway never migrates). */
  public static synchronized void ensure() throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        Statement st = c.createStatement()) {
      st.execute("create schema if not exists scim");
      st.execute("set search_path to scim");
      try (ResultSet exists = st.executeQuery("select to_regclass('scim.rate_limit_buckets')")) {
        exists.next();
        if (exists.getString(1) != null) {
          return;
        }
      }
      boolean tablesExist;
      try (ResultSet exists = st.executeQuery("select to_regclass('scim.group_members')")) {
        exists.next();
        tablesExist = exists.getString(1) != null;
      }
      Path migrations = Path.of("..", "provisioning-processor", "src", "main", "resources", "db");
      try (Stream<Path> files = Files.list(migrations.resolve("migration"))) {
        for (Path file : files.sorted().toList()) {
          // Tables made by another test's copy of the migrations: only what they lacked.
          if (!tablesExist || file.getFileName().toString().contains("rate_limit")) {
            st.execute(Files.readString(file));
          }
        }
      }
    }
  }
}
