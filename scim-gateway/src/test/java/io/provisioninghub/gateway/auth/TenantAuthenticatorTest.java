package io.provisioninghub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.CredentialState;
import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.scim.error.ForbiddenException;
import io.provisioninghub.scim.error.UnauthorizedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static-secret path: hash lookup, constant-time comparison, status and expiry. */
class TenantAuthenticatorTest {

  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final String SECRET = "phub_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

  final TenantView view = new TenantView();
  final java.util.List<String> used = new java.util.ArrayList<>();
  final TenantAuthenticator authenticator =
      new TenantAuthenticator(
          view, (tenant, credential, at) -> used.add(credential), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void secretOfAnActiveTenantAuthenticates() {
    view.apply(tenant("a", TenantStatus.ACTIVE, credential(SECRET, CredentialStatus.ACTIVE, null)));

    assertThat(authenticator.authenticate(SECRET)).isEqualTo(new Tenant("a"));
    assertThat(used).containsExactly("cred-" + SECRET);
  }

  @Test
  void aSecretDifferingInOneCharacterIsRefused() {
    view.apply(tenant("a", TenantStatus.ACTIVE, credential(SECRET, CredentialStatus.ACTIVE, null)));
    String almost = SECRET.substring(0, SECRET.length() - 1) + "H";

    assertThatThrownBy(() -> authenticator.authenticate(almost))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> authenticator.authenticate(""))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void revokedOrExpiredIs401AndSuspendedIs403() {
    view.apply(
        tenant("r", TenantStatus.ACTIVE, credential("phub_r", CredentialStatus.REVOKED, null)));
    view.apply(
        tenant("e", TenantStatus.ACTIVE, credential("phub_e", CredentialStatus.ACTIVE, NOW)));
    view.apply(
        tenant("s", TenantStatus.SUSPENDED, credential("phub_s", CredentialStatus.ACTIVE, null)));

    assertThatThrownBy(() -> authenticator.authenticate("phub_r"))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> authenticator.authenticate("phub_e"))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> authenticator.authenticate("phub_s"))
        .isInstanceOf(ForbiddenException.class);
  }

  /** A tenant being deleted is refused; an active one carries its creation time into commands. */
  @Test
  void tenantBeingDeletedIsForbiddenAndAnActiveOneCarriesItsCreationTime() {
    Instant created = NOW.minusSeconds(3600);
    view.apply(
        new TenantSnapshot(
            "d",
            2,
            "d",
            null,
            TenantStatus.DELETING,
            new RateLimit(25, 100),
            null,
            List.of(credential("phub_d", CredentialStatus.ACTIVE, null)),
            NOW,
            created));
    view.apply(
        new TenantSnapshot(
            "n",
            1,
            "n",
            null,
            TenantStatus.ACTIVE,
            new RateLimit(25, 100),
            null,
            List.of(credential("phub_n", CredentialStatus.ACTIVE, null)),
            NOW,
            created));

    assertThatThrownBy(() -> authenticator.authenticate("phub_d"))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("being deleted");
    assertThat(authenticator.authenticate("phub_n"))
        .isEqualTo(new Tenant("n", PasswordPolicy.IGNORE, created));
  }

  @Test
  void comparisonIsConstantTimeMessageDigestIsEqual() {
    byte[] a = SecretHashes.sha256(SECRET);
    byte[] same = SecretHashes.sha256(SECRET);
    byte[] lastByteDiffers = a.clone();
    lastByteDiffers[31] ^= 1;

    assertThat(SecretHashes.matches(a, same)).isTrue();
    assertThat(SecretHashes.matches(a, lastByteDiffers)).isFalse();
    assertThat(SecretHashes.matches(a, new byte[0])).isFalse();
    assertThat(SecretHashes.matches(null, a)).isFalse();
  }

  @Test
  void deletedTenantAndReplacedCredentialsAreForgotten() {
    view.apply(tenant("a", TenantStatus.ACTIVE, credential(SECRET, CredentialStatus.ACTIVE, null)));
    TenantSnapshot rotated =
        new TenantSnapshot(
            "a",
            2,
            "a",
            null,
            TenantStatus.ACTIVE,
            new RateLimit(25, 100),
            null,
            List.of(credential("phub_new", CredentialStatus.ACTIVE, null)),
            NOW);
    view.apply(rotated);

    assertThatThrownBy(() -> authenticator.authenticate(SECRET))
        .isInstanceOf(UnauthorizedException.class);
    assertThat(authenticator.authenticate("phub_new")).isEqualTo(new Tenant("a"));
    view.remove("a");
    assertThatThrownBy(() -> authenticator.authenticate("phub_new"))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void anOlderRevisionDoesNotUndoANewerOne() {
    CredentialState credential = credential(SECRET, CredentialStatus.ACTIVE, null);
    view.apply(
        new TenantSnapshot(
            "a",
            5,
            "a",
            null,
            TenantStatus.SUSPENDED,
            new RateLimit(25, 100),
            null,
            List.of(credential),
            NOW));
    view.apply(
        new TenantSnapshot(
            "a",
            4,
            "a",
            null,
            TenantStatus.ACTIVE,
            new RateLimit(25, 100),
            null,
            List.of(credential),
            NOW));

    assertThatThrownBy(() -> authenticator.authenticate(SECRET))
        .isInstanceOf(ForbiddenException.class);
  }

  private static TenantSnapshot tenant(String id, TenantStatus status, CredentialState credential) {
    return new TenantSnapshot(
        id, 1, id, null, status, new RateLimit(25, 100), null, List.of(credential), NOW);
  }

  private static CredentialState credential(
      String secret, CredentialStatus status, Instant expires) {
    return new CredentialState(
        "cred-" + secret,
        SecretHashes.hex(SecretHashes.sha256(secret)),
        status,
        NOW.minusSeconds(60),
        expires);
  }
}
