package io.provisioninghub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.testkit.SnapshotSigningKeys;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which keys the tenant view trusts, and that a production gateway without any does not start. */
class TenantViewVerifierTest {

  @Test
  void withoutKeysOutsideDevAndTestTheGatewayDoesNotStart() {
    TenantSnapshotsConfig none = Optional::empty;
    assertThatThrownBy(() -> TenantViewConsumer.verifier(none, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PHUB_GATEWAY_TENANT_SNAPSHOTS_PUBLIC_KEYS");
    TenantSnapshotsConfig blank = () -> Optional.of(List.of(" "));
    assertThatThrownBy(() -> TenantViewConsumer.verifier(blank, false))
        .isInstanceOf(IllegalStateException.class);
    assertThat(TenantViewConsumer.verifier(none, true)).as("dev and test mode").isEmpty();
  }

  @Test
  void aMalformedKeyStopsTheStartWithWhatIsWrong() {
    TenantSnapshotsConfig broken = () -> Optional.of(List.of("registry-1:not-base64!"));
    assertThatThrownBy(() -> TenantViewConsumer.verifier(broken, false))
        .hasMessageContaining("phub.gateway.tenant-snapshots.public-keys")
        .hasMessageContaining("Ed25519");
  }

  @Test
  void severalKeysAreTrustedDuringARotation() {
    SnapshotSigningKeys old = SnapshotSigningKeys.generate("registry-1");
    SnapshotSigningKeys next = SnapshotSigningKeys.generate("registry-2");
    TenantSnapshotsConfig both = () -> Optional.of(List.of(old.trustedKey(), next.trustedKey()));
    assertThat(TenantViewConsumer.verifier(both, false))
        .get()
        .satisfies(v -> assertThat(v.publicKeys()).containsOnlyKeys("registry-1", "registry-2"));
  }
}
