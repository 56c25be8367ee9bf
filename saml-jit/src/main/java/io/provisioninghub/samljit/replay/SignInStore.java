package io.provisioninghub.samljit.replay;

import io.provisioninghub.samljit.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The one-time state of sign-ins: AuthnRequest ids we issued (answered at most once, before they
 * expire) and assertion ids already consumed (a second use is a replay).
 */
@ApplicationScoped
public class SignInStore {

  /** Why a validated response is still refused. */
  public enum Verdict {
    ACCEPTED,
    REPLAY,
    UNKNOWN_REQUEST
  }

  private final Db db;

  public SignInStore(Db db) {
    this.db = db;
  }

  public void issued(String tenantId, String requestId, Instant expiresAt) {
    db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into saml_jit.authn_requests (tenant_id, request_id, expires_at)"
                      + " values (?, ?, ?)")) {
            s.setString(1, tenantId);
            s.setString(2, requestId);
            s.setTimestamp(3, Timestamp.from(expiresAt));
            return s.executeUpdate();
          }
        });
  }

  /** Whether we issued this AuthnRequest and it has not expired or been answered. */
  public boolean pending(String tenantId, String requestId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select 1 from saml_jit.authn_requests where tenant_id = ? and request_id = ?"
                      + " and expires_at > now()")) {
            s.setString(1, tenantId);
            s.setString(2, requestId);
            return s.executeQuery().next();
          }
        });
  }

  /**
   * Consumes an assertion (and the AuthnRequest it answers, if any) in one transaction: the first
   * caller wins, a second use of the assertion or request is refused and changes nothing.
   */
  public Verdict consume(
      String tenantId, String assertionId, Instant keepUntil, String inResponseTo) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into saml_jit.consumed_assertions (tenant_id, assertion_id, keep_until)"
                      + " values (?, ?, ?) on conflict do nothing")) {
            s.setString(1, tenantId);
            s.setString(2, assertionId);
            s.setTimestamp(3, Timestamp.from(keepUntil));
            if (s.executeUpdate() == 0) {
              return Verdict.REPLAY;
            }
          }
          if (inResponseTo != null) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "delete from saml_jit.authn_requests where tenant_id = ? and request_id = ?"
                        + " and expires_at > now()")) {
              s.setString(1, tenantId);
              s.setString(2, inResponseTo);
              if (s.executeUpdate() == 0) {
                c.rollback();
                return Verdict.UNKNOWN_REQUEST;
              }
            }
          }
          return Verdict.ACCEPTED;
        });
  }

  /** Deletes what can no longer matter; answers the rows deleted. */
  public int purge() {
    return db.inTransaction(
        c -> {
          int n = 0;
          try (PreparedStatement s =
              c.prepareStatement("delete from saml_jit.authn_requests where expires_at <= now()")) {
            n += s.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "delete from saml_jit.consumed_assertions where keep_until <= now()")) {
            n += s.executeUpdate();
          }
          return n;
        });
  }
}
