package io.provisioninghub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.events.ProvisioningEvent;
import io.provisioninghub.contracts.events.UserCreated;
import io.provisioninghub.contracts.events.UserUpdated;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PasswordContractsTest {

  private final ProvisioningCommand command =
      new ProvisioningCommand(
          UUID.randomUUID(),
          "tenant-a",
          ResourceType.User,
          UUID.randomUUID().toString(),
          Operation.CREATE,
          ContractJson.mapper().createObjectNode().put("userName", "alice@contoso.com"),
          Instant.parse("2026-11-26T10:15:30.123Z"),
          null,
          "scim");

  @Test
  void aCommandWithoutPasswordFactsWritesNoneOfTheirFields() throws Exception {
    JsonNode json = ContractJson.mapper().readTree(ContractJson.toBytes(command));

    assertThat(json.has("passwordSet")).isFalse();
    assertThat(json.has("passwordHash")).isFalse();
  }

  @Test
  void passwordFactsRoundTrip() {
    ProvisioningCommand withHash =
        command.withPassword(
            command.payload(), true, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");

    ProvisioningCommand read = ContractJson.command(ContractJson.toBytes(withHash));

    assertThat(read.passwordSet()).isTrue();
    assertThat(read.passwordHash()).isEqualTo(withHash.passwordHash());
    assertThat(read).isEqualTo(withHash);
  }

  @Test
  void aHashWithoutPasswordSetIsRefused() {
    assertThatThrownBy(() -> command.withPassword(command.payload(), null, "$argon2id$x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventsSayAPasswordWasSetOnlyWhenOneWas() throws Exception {
    ProvisioningEvent created =
        new UserCreated("t", "id", 1, List.of("userName", "password"), "a", null, true, true, null);
    ProvisioningEvent updated = new UserUpdated("t", "id", 2, List.of("name"), "a", null);

    JsonNode createdJson = ContractJson.mapper().readTree(ContractJson.toBytes(created));
    JsonNode updatedJson = ContractJson.mapper().readTree(ContractJson.toBytes(updated));

    assertThat(createdJson.get("passwordSet").booleanValue()).isTrue();
    assertThat(updatedJson.has("passwordSet")).isFalse();
    assertThat(ContractJson.read(ContractJson.toBytes(created), ProvisioningEvent.class))
        .isEqualTo(created);
  }

  @Test
  void aSnapshotWithoutPolicyMeansIgnore() {
    TenantSnapshot snapshot =
        new TenantSnapshot(
            "t",
            1,
            "T",
            null,
            TenantSnapshot.TenantStatus.ACTIVE,
            new TenantSnapshot.RateLimit(1, 1),
            null,
            List.of(),
            Instant.now());
    String older = ContractJson.toJson(snapshot).replace(",\"passwordPolicy\":\"ignore\"", "");

    assertThat(older).doesNotContain("passwordPolicy");
    assertThat(ContractJson.tenant(older.getBytes(StandardCharsets.UTF_8)).passwordPolicy())
        .isEqualTo(PasswordPolicy.IGNORE);
  }

  @Test
  void policyWireFormIsLowercaseAndReadCaseInsensitively() {
    assertThat(ContractJson.mapper().valueToTree(PasswordPolicy.HASH).textValue())
        .isEqualTo("hash");
    assertThat(PasswordPolicy.of("HASH")).isEqualTo(PasswordPolicy.HASH);
    assertThatThrownBy(() -> PasswordPolicy.of("plaintext"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
