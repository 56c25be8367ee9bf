package io.provisioninghub.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApplyMetricsSourceTest {

  @Test
  void theKnownPathsAreTheirOwnLabelAndAnythingElseIsOther() {
    assertThat(ApplyMetrics.source(command("scim"))).isEqualTo("scim");
    assertThat(ApplyMetrics.source(command("graph"))).isEqualTo("graph");
    assertThat(ApplyMetrics.source(command("saml-jit"))).isEqualTo("saml-jit");
    assertThat(ApplyMetrics.source(command(null)))
        .as("commands from before sources")
        .isEqualTo("scim");
    assertThat(ApplyMetrics.source(command("x-" + UUID.randomUUID())))
        .as("bounded: no label value per odd source")
        .isEqualTo("other");
  }

  private static ProvisioningCommand command(String source) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        "contoso",
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.DELETE,
        null,
        Instant.now(),
        null,
        source);
  }
}
