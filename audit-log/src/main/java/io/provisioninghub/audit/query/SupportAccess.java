package io.provisioninghub.audit.query;

import io.provisioninghub.audit.error.TenantNotAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Which tenants a support token may read, and the record of every read. A token lists its tenants
 * in the claim {@value #TENANTS_CLAIM}; a token without that claim reads every tenant only if it
 * carries the role {@value #ALL_TENANTS_ROLE}, and none otherwise. The record is written before the
 * data is read, denials included.
 */
@ApplicationScoped
public class SupportAccess {

  /** The claim that limits a support token to some tenants. */
  public static final String TENANTS_CLAIM = "tenants";

  /** The role that lets a token without a tenants claim read every tenant. */
  public static final String ALL_TENANTS_ROLE = "support-all-tenants";

  /** The role that may list the access records (besides provisioning-admin). */
  public static final String AUDITOR_ROLE = "support-auditor";

  private static final int MAX_QUERY = 2000;

  private final SecurityIdentity identity;
  private final AccessRepository repository;

  public SupportAccess(SecurityIdentity identity, AccessRepository repository) {
    this.identity = identity;
    this.repository = repository;
  }

  /**
   * Records the access and lets it through, or records the denial and refuses it.
   *
   * @throws TenantNotAllowed the token is not allowed to read this tenant (403)
   */
  public void authorize(String tenantId, String action, String query) throws SQLException {
    JsonWebToken jwt = token();
    boolean allowed = mayRead(jwt, tenantId);
    repository.record(subject(jwt), jwt.getIssuer(), tenantId, action, clip(query), allowed);
    if (!allowed) {
      throw new TenantNotAllowed(
          "this support token may not read tenant '"
              + tenantId
              + "': it lists other tenants in its '"
              + TENANTS_CLAIM
              + "' claim, or has neither that claim nor the role '"
              + ALL_TENANTS_ROLE
              + "'");
    }
  }

  /** Records a look at the access records themselves. */
  public void recordAccessLogRead(String tenantId, String query) throws SQLException {
    JsonWebToken jwt = token();
    repository.record(
        subject(jwt), jwt.getIssuer(), tenantId, "access-log.list", clip(query), true);
  }

  static boolean mayRead(JsonWebToken jwt, String tenantId) {
    Optional<Set<String>> listed = tenants(jwt);
    if (listed.isPresent()) {
      return listed.get().contains(tenantId);
    }
    return jwt.getGroups() != null && jwt.getGroups().contains(ALL_TENANTS_ROLE);
  }

  /** The tenants claim as a set; present but unreadable counts as an empty list (no tenant). */
  static Optional<Set<String>> tenants(JsonWebToken jwt) {
    if (!jwt.containsClaim(TENANTS_CLAIM)) {
      return Optional.empty();
    }
    Object claim = jwt.getClaim(TENANTS_CLAIM);
    List<String> names = new ArrayList<>();
    if (claim instanceof JsonArray array) {
      array.forEach(v -> names.add(v instanceof JsonString s ? s.getString() : null));
    } else if (claim instanceof Collection<?> values) {
      values.forEach(v -> names.add(v instanceof String s ? s : null));
    } else if (claim instanceof JsonString s) {
      names.add(s.getString());
    } else if (claim instanceof String s) {
      names.add(s);
    }
    return Optional.of(Set.copyOf(names.stream().filter(n -> n != null && !n.isBlank()).toList()));
  }

  private JsonWebToken token() {
    if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      throw new io.quarkus.security.UnauthorizedException("no support token");
    }
    return jwt;
  }

  private static String subject(JsonWebToken jwt) {
    String subject = jwt.getSubject();
    return subject == null || subject.isBlank() ? jwt.getName() : subject;
  }

  private static String clip(String query) {
    if (query == null) {
      return null;
    }
    return query.length() <= MAX_QUERY ? query : query.substring(0, MAX_QUERY);
  }
}
