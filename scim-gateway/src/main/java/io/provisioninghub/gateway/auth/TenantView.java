package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.CredentialState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's in-memory copy of {@code tenants.v1}: every tenant's state and an index from
 * credential hash and from OAuth issuer to tenant. Fed by {@link TenantViewConsumer}; read on every
 * request without any network call.
 */
@ApplicationScoped
public class TenantView {

  /** A credential found by its hash, with the tenant it belongs to. */
  public record CredentialMatch(TenantSnapshot tenant, CredentialState credential, byte[] hash) {}

  private final Map<String, TenantSnapshot> tenants = new ConcurrentHashMap<>();
  private final Map<String, String> tenantByHash = new ConcurrentHashMap<>();
  private final Map<String, String> tenantByIssuer = new ConcurrentHashMap<>();
  private volatile boolean loaded;

  /** Called once everything {@code tenants.v1} held at start has been applied. */
  public void markLoaded() {
    loaded = true;
  }

  /**
   * Whether the view is complete enough to judge a credential: before that, an unknown secret may
   * just not have been read yet, and a known one may have been revoked further on.
   */
  public boolean loaded() {
    return loaded;
  }

  /** Applies a snapshot unless a newer revision of the tenant is already known. */
  public synchronized void apply(TenantSnapshot snapshot) {
    TenantSnapshot current = tenants.get(snapshot.tenantId());
    if (current != null && current.revision() > snapshot.revision()) {
      return;
    }
    if (current != null) {
      unindex(current);
    }
    tenants.put(snapshot.tenantId(), snapshot);
    snapshot.credentials().forEach(c -> tenantByHash.put(c.sha256(), snapshot.tenantId()));
    if (snapshot.oauthTrust() != null) {
      tenantByIssuer.put(snapshot.oauthTrust().issuer(), snapshot.tenantId());
    }
  }

  /** A tombstone: the tenant was deleted. */
  public synchronized void remove(String tenantId) {
    TenantSnapshot current = tenants.remove(tenantId);
    if (current != null) {
      unindex(current);
    }
  }

  public Optional<TenantSnapshot> tenant(String tenantId) {
    return Optional.ofNullable(tenants.get(tenantId));
  }

  /** The credential whose stored hash equals {@code presented}, compared in constant time. */
  public Optional<CredentialMatch> credentialByHash(byte[] presented) {
    String tenantId = tenantByHash.get(SecretHashes.hex(presented));
    TenantSnapshot tenant = tenantId == null ? null : tenants.get(tenantId);
    if (tenant == null) {
      return Optional.empty();
    }
    for (CredentialState credential : tenant.credentials()) {
      byte[] stored = SecretHashes.fromHex(credential.sha256());
      if (SecretHashes.matches(stored, presented)) {
        return Optional.of(new CredentialMatch(tenant, credential, stored));
      }
    }
    return Optional.empty();
  }

  /** The tenant that trusts this OAuth issuer, if any; an issuer belongs to at most one tenant. */
  public Optional<TenantSnapshot> tenantByIssuer(String issuer) {
    String tenantId = issuer == null ? null : tenantByIssuer.get(issuer);
    return tenantId == null ? Optional.empty() : Optional.ofNullable(tenants.get(tenantId));
  }

  public int size() {
    return tenants.size();
  }

  private void unindex(TenantSnapshot snapshot) {
    snapshot.credentials().forEach(c -> tenantByHash.remove(c.sha256(), snapshot.tenantId()));
    if (snapshot.oauthTrust() != null) {
      tenantByIssuer.remove(snapshot.oauthTrust().issuer(), snapshot.tenantId());
    }
  }
}
