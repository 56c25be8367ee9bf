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

  @Test
  void carriesExtensionSchemasAndStrictness() {
    ExtensionSchema hr =
        new ExtensionSchema(
            "urn:contoso:params:scim:schemas:extension:hr:2.0:User",
            ResourceType.User,
            "ContosoHr",
            "HR data",
            List.of(
                new ExtensionSchema.Attribute(
                    "badgeId", "string", false, "badge", true, false, "readWrite", "server", null),
                ExtensionSchema.Attribute.of("clearance", "integer")));
    TenantSnapshot snapshot =
        new TenantSnapshot(
            "contoso",
            4,
            "Contoso Ltd",
            null,
            TenantStatus.ACTIVE,
            new RateLimit(50, 500),
            null,
            List.of(),
            NOW,
            PasswordPolicy.IGNORE,
            NOW,
            List.of(hr),
            true);

    TenantSnapshot read = ContractJson.tenant(ContractJson.toBytes(snapshot));

    assertThat(read).isEqualTo(snapshot);
    assertThat(read.extensionSchemas().get(0).attributes().get(0).uniqueness()).isEqualTo("server");
    assertThat(read.strictExtensions()).isTrue();
  }

  @Test
  void recordWrittenBeforeExtensionSchemasParsesWithNoneAndNotStrict() {
    String old =
        "{\"formatVersion\":1,\"tenantId\":\"contoso\",\"revision\":2,"
            + "\"displayName\":\"Contoso\",\"status\":\"ACTIVE\","
            + "\"rateLimit\":{\"requestsPerSecond\":50,\"burst\":500},\"credentials\":[],"
            + "\"updatedAt\":\"2026-11-26T10:00:00Z\",\"passwordPolicy\":\"IGNORE\"}";

    TenantSnapshot read =
        ContractJson.tenant(old.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(read.extensionSchemas()).isEmpty();
    assertThat(read.strictExtensions()).isFalse();
  }
}
