package io.provisioninghub.samljit.provision;

import io.provisioninghub.samljit.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Optional;

/** The {@code saml_jit.users} table: users sign-ins have met, and whether we created them. */
@ApplicationScoped
public class JitUsers {

  /** A known user: its SCIM id, and whether this service created it (else SCIM did). */
  public record Known(String scimId, boolean createdHere) {}

  private final Db db;

  public JitUsers(Db db) {
    this.db = db;
  }

  public Optional<Known> find(String tenantId, String userName) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select scim_id, created_here from saml_jit.users"
                      + " where tenant_id = ? and user_name_lower = ?")) {
            s.setString(1, tenantId);
            s.setString(2, userName.toLowerCase(Locale.ROOT));
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new Known(r.getString(1), r.getBoolean(2)))
                  : Optional.empty();
            }
          }
        });
  }

  public void remember(String tenantId, String userName, Known known) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into saml_jit.users (tenant_id, user_name_lower, scim_id, created_here)"
                      + " values (?, ?, ?, ?) on conflict (tenant_id, user_name_lower) do update"
                      + " set scim_id = excluded.scim_id, last_sign_in = now()")) {
            s.setString(1, tenantId);
            s.setString(2, userName.toLowerCase(Locale.ROOT));
            s.setString(3, known.scimId());
            s.setBoolean(4, known.createdHere());
            return s.executeUpdate();
          }
        });
  }

  public void forget(String tenantId, String userName) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "delete from saml_jit.users where tenant_id = ? and user_name_lower = ?")) {
            s.setString(1, tenantId);
            s.setString(2, userName.toLowerCase(Locale.ROOT));
            return s.executeUpdate();
          }
        });
  }
}
