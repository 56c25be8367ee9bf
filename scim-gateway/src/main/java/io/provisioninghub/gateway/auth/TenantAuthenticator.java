package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.scim.error.ForbiddenException;
import io.provisioninghub.scim.error.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * Maps a bearer secret to its tenant through the {@link TenantView}, without any network call. The
 * presented secret is hashed (SHA-256) and compared with the stored hash in constant time.
 */
@ApplicationScoped
public class TenantAuthenticator {

  /** Told of every successful use of a credential. */
  @FunctionalInterface
  interface UseListener {
    void used(String tenantId, String credentialId, Instant at);
  }

  private final TenantView view;
  private final UseListener listener;
  private final Clock clock;

  @Inject
  public TenantAuthenticator(TenantView view, CredentialUsageReporter usage) {
    this(view, usage::used, Clock.systemUTC());
  }

  TenantAuthenticator(TenantView view, UseListener listener, Clock clock) {
    this.view = view;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * The tenant of a static bearer secret.
   *
   * @throws UnauthorizedException unknown, revoked or expired secret
   * @throws ForbiddenException the secret is valid but its tenant is suspended
   */
  public Tenant authenticate(String bearerSecret) {
    if (bearerSecret == null || bearerSecret.isEmpty()) {
      throw new UnauthorizedException("missing bearer token");
    }
    byte[] presented = SecretHashes.sha256(bearerSecret);
    TenantView.CredentialMatch match =
        view.credentialByHash(presented)
            .orElseThrow(() -> new UnauthorizedException("the bearer token is not valid"));
    Instant now = clock.instant();
    if (!match.credential().usableAt(now)) {
      throw new TenantRefusal.Unauthorized(
          match.tenant().tenantId(),
          "the bearer token was revoked or has expired; ask the provider for a new one");
    }
    Tenant tenant = active(match.tenant());
    listener.used(tenant.id(), match.credential().id(), now);
    return tenant;
  }

  /** The tenant if it may act; a suspended tenant, or one being deleted, is refused with 403. */
  static Tenant active(TenantSnapshot tenant) {
    if (tenant.status() == TenantStatus.DELETING) {
      throw new TenantRefusal.Forbidden(
          tenant.tenantId(), "this tenant is being deleted; contact the provider");
    }
    if (tenant.status() != TenantStatus.ACTIVE) {
      throw new TenantRefusal.Forbidden(
          tenant.tenantId(), "this tenant is suspended; contact the provider");
    }
    return new Tenant(
        tenant.tenantId(),
        tenant.passwordPolicy(),
        tenant.createdAt(),
        TenantSchemaCache.of(tenant),
        tenant.eventRedactions());
  }
}
