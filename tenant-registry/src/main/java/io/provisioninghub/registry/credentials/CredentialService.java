package io.provisioninghub.registry.credentials;

import static io.provisioninghub.registry.error.RegistryException.badRequest;
import static io.provisioninghub.registry.error.RegistryException.conflict;
import static io.provisioninghub.registry.error.RegistryException.notFound;

import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.credentials.CredentialApi.CredentialView;
import io.provisioninghub.registry.credentials.CredentialApi.IssuedCredential;
import io.provisioninghub.registry.credentials.CredentialApi.NewCredential;
import io.provisioninghub.registry.credentials.CredentialApi.Rotation;
import io.provisioninghub.registry.publish.TenantPublisher;
import io.provisioninghub.registry.tenants.TenantService;
import io.provisioninghub.registry.tenants.TenantStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Issuing, rotating and revoking a tenant's bearer credentials. Secrets are never stored. */
@ApplicationScoped
public class CredentialService {

  private static final Logger LOG = Logger.getLogger(CredentialService.class);
  private static final int MAX_DAYS = 3650;

  private final Db db;
  private final TenantStore tenants;
  private final CredentialStore credentials;
  private final TenantPublisher publisher;
  private final RegistryConfig config;
  private final AdminChangeLog changes;

  public CredentialService(
      Db db,
      TenantStore tenants,
      CredentialStore credentials,
      TenantPublisher publisher,
      RegistryConfig config,
      AdminChangeLog changes) {
    this.db = db;
    this.tenants = tenants;
    this.credentials = credentials;
    this.publisher = publisher;
    this.config = config;
    this.changes = changes;
  }

  public IssuedCredential issue(String tenantId, NewCredential request) {
    Integer days = request == null ? null : request.expiresInDays();
    return db.inTransaction(
        c -> {
          Instant now = lockTenant(c, tenantId);
          IssuedCredential issued = insertNew(c, tenantId, now, days);
          changes.record(c, "credential.issue", tenantId, issued.id());
          publisher.publish(c, tenantId);
          return issued;
        });
  }

  public List<CredentialView> list(String tenantId) {
    Instant now = Instant.now();
    return db.inTransaction(
        c -> {
          if (tenants.find(c, tenantId, false).isEmpty()) {
            throw notFound("no tenant '" + tenantId + "'");
          }
          return credentials.ofTenant(c, tenantId).stream()
              .map(row -> CredentialView.of(row, now))
              .toList();
        });
  }

  /** A new credential; the old one stays valid for the grace period, or less if it expires. */
  public IssuedCredential rotate(String tenantId, String credentialId, Rotation request) {
    Integer days = request == null ? null : request.expiresInDays();
    Long graceSeconds = request == null ? null : request.oldValidForSeconds();
    if (graceSeconds != null
        && (graceSeconds < 0 || graceSeconds > Duration.ofDays(MAX_DAYS).toSeconds())) {
      throw badRequest("oldValidForSeconds must be 0-" + Duration.ofDays(MAX_DAYS).toSeconds());
    }
    Duration grace =
        graceSeconds == null ? config.rotationGrace() : Duration.ofSeconds(graceSeconds);
    return db.inTransaction(
        c -> {
          Instant now = lockTenant(c, tenantId);
          CredentialRow old = existing(c, tenantId, credentialId);
          if (!old.state().usableAt(now)) {
            throw conflict(
                "credential '" + credentialId + "' is revoked or expired; issue a new one");
          }
          Instant oldEnd = now.plus(grace);
          if (old.expiresAt() == null || oldEnd.isBefore(old.expiresAt())) {
            credentials.expireAt(c, credentialId, oldEnd);
          }
          IssuedCredential issued = insertNew(c, tenantId, now, days);
          changes.record(c, "credential.rotate", tenantId, credentialId + " -> " + issued.id());
          publisher.publish(c, tenantId);
          LOG.infof("tenant %s: credential %s rotated to %s", tenantId, credentialId, issued.id());
          return issued;
        });
  }

  public CredentialView revoke(String tenantId, String credentialId) {
    return db.inTransaction(
        c -> {
          Instant now = lockTenant(c, tenantId);
          existing(c, tenantId, credentialId);
          credentials.revoke(c, credentialId, now);
          changes.record(c, "credential.revoke", tenantId, credentialId);
          publisher.publish(c, tenantId);
          LOG.infof("tenant %s: credential %s revoked", tenantId, credentialId);
          return CredentialView.of(existing(c, tenantId, credentialId), now);
        });
  }

  private IssuedCredential insertNew(Connection c, String tenantId, Instant now, Integer days)
      throws SQLException {
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw badRequest("expiresInDays must be 1-" + MAX_DAYS);
    }
    String secret = Secrets.newSecret();
    CredentialRow row =
        new CredentialRow(
            "cred-" + UUID.randomUUID(),
            tenantId,
            Secrets.sha256Hex(secret),
            CredentialStatus.ACTIVE,
            now,
            days == null ? null : now.plus(Duration.ofDays(days)),
            null,
            null);
    credentials.insert(c, row);
    LOG.infof("tenant %s: credential %s issued", tenantId, row.id());
    return new IssuedCredential(row.id(), secret, "ACTIVE", row.createdAt(), row.expiresAt());
  }

  private Instant lockTenant(Connection c, String tenantId) throws SQLException {
    Instant now = TenantPublisher.now();
    if (!tenants.touch(c, tenantId, now)) {
      throw notFound("no tenant '" + tenantId + "'");
    }
    TenantService.requireNotDeleting(tenants.find(c, tenantId, false).orElseThrow());
    return now;
  }

  private CredentialRow existing(Connection c, String tenantId, String credentialId)
      throws SQLException {
    return credentials
        .find(c, tenantId, credentialId)
        .orElseThrow(
            () -> notFound("tenant '" + tenantId + "' has no credential '" + credentialId + "'"));
  }
}
