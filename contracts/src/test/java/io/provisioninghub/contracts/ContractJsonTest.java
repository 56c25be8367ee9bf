package io.provisioninghub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContractJsonTest {

  private final ProvisioningCommand command =
      new ProvisioningCommand(
          UUID.randomUUID(),
          "tenant-a",
          ResourceType.User,
          UUID.randomUUID().toString(),
          Operation.CREATE,
          ContractJson.mapper().createObjectNode().put("userName", "Alice@Contoso.com"),
          Instant.parse("2026-11-26T10:15:30.123Z"),
          "req-1",
          "scim");

  @Test
  void commandRoundTripsWithFormatVersion() throws Exception {
    byte[] json = ContractJson.toBytes(command);

    assertThat(ContractJson.mapper().readTree(json).get("formatVersion").intValue()).isEqualTo(1);
    assertThat(ContractJson.command(json)).isEqualTo(command);
  }

  @Test
  void outcomeRoundTrips() {
    ProvisioningOutcome outcome =
        ProvisioningOutcome.failed(command, 409, "uniqueness", "taken", Instant.now());

    assertThat(ContractJson.outcome(ContractJson.toBytes(outcome))).isEqualTo(outcome);
  }

  @Test
  void keyGroupsCommandsPerResource() {
    assertThat(command.kafkaKey())
        .isEqualTo("tenant-a/User/" + command.resourceId())
        .startsWith(command.tenantId() + "/");
  }

  @Test
  void unknownFieldsAreIgnoredSoProducersCanAddFields() {
    String json = ContractJson.toJson(command).replaceFirst("\\{", "{\"addedLater\":42,");

    assertThat(ContractJson.command(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(command);
  }

  @Test
  void newerFormatIsRefused() {
    String json =
        ContractJson.toJson(command).replace("\"formatVersion\":1", "\"formatVersion\":2");

    assertThatThrownBy(() -> ContractJson.command(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractFormatException.class)
        .hasMessageContaining("formatVersion 2");
  }

  @Test
  void garbageIsAFormatErrorNotACrash() {
    assertThatThrownBy(() -> ContractJson.command("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContractFormatException.class);
    assertThatThrownBy(() -> ContractJson.command("{\"formatVersion\":1}".getBytes()))
        .isInstanceOf(ContractFormatException.class);
    assertThatThrownBy(() -> ContractJson.command(null))
        .isInstanceOf(ContractFormatException.class);
  }
}
