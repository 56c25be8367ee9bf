package io.provisioninghub.registry.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The registry's publisher readiness against a broker of its own: DOWN before the first answer, UP
 * while the broker answers for tenants.v1, DOWN again within {@link PublisherReadiness#STALE} plus
 * a check once the broker is gone, with the error in the response.
 */
class PublisherReadinessTest {

  @Test
  void upWhileTheBrokerAnswersAndDownOnceItIsGone() throws Exception {
    Path work = Files.createTempDirectory("phub-registry-readiness-");
    KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), work.resolve("kafka.log"));
    PublisherReadiness readiness = null;
    try {
      broker.ensureTopics(Infrastructure.TOPICS, Infrastructure.COMPACTED_TOPICS);
      readiness =
          new PublisherReadiness(
              Topics.TENANTS, Map.of("bootstrap.servers", broker.bootstrapServers()));
      PublisherReadiness checked = readiness;
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> checked.call().getStatus() == HealthCheckResponse.Status.UP);
      assertThat(checked.call().getData().orElseThrow()).containsEntry("topic", Topics.TENANTS);

      broker.close();
      Awaitility.await()
          .atMost(PublisherReadiness.STALE.plus(Duration.ofSeconds(20)))
          .until(() -> checked.call().getStatus() == HealthCheckResponse.Status.DOWN);
      assertThat(checked.call().getData().orElseThrow()).containsKey("error");
    } finally {
      if (readiness != null) {
        readiness.close();
      }
      broker.close();
    }
  }
}
