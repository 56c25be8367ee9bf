package io.provisioninghub.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.TenantSnapshot.CredentialState;
import io.provisioninghub.contracts.TenantSnapshot.CredentialStatus;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantSnapshotTest {

  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void roundTripsWithFormatVersion() {
    TenantSnapshot snapshot =
        new TenantSnapshot(
            "contoso",
            3,
            "Contoso Ltd",
            "72f988bf-86f1-41af-91ab-2d7cd011db47",
            TenantStatus.ACTIVE,
            new RateLimit(25, 100),
            new OAuthTrust(
                "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
                List.of("api://phub"),
                "https://login.example/keys"),
            List.of(
                new CredentialState(
                    "c1", "ab".repeat(32), CredentialStatus.ACTIVE, NOW, NOW.plusSeconds(60))),
            NOW);

    byte[] json = ContractJson.toBytes(snapshot);

    assertThat(new String(json)).contains("\"formatVersion\":1");
    assertThat(ContractJson.tenant(json)).isEqualTo(snapshot);
  }

  @Test
  void credentialIsUsableOnlyWhileActiveAndUnexpired() {
    CredentialState expiring =
        new CredentialState("c", "00", CredentialStatus.ACTIVE, NOW, NOW.plusSeconds(10));
    CredentialState revoked = new CredentialState("c", "00", CredentialStatus.REVOKED, NOW, null);
    CredentialState forever = new CredentialState("c", "00", CredentialStatus.ACTIVE, NOW, null);

    assertThat(expiring.usableAt(NOW.plusSeconds(9))).isTrue();
    assertThat(expiring.usableAt(NOW.plusSeconds(10))).isFalse();
    assertThat(revoked.usableAt(NOW)).isFalse();
    assertThat(forever.usableAt(NOW.plusSeconds(1_000_000))).isTrue();
  }
}
