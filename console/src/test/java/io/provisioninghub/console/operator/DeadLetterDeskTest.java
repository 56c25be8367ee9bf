package io.provisioninghub.console.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeadLetterDeskTest {

  @Test
  void kafkaSettingsComeFromPropertiesAndFromEnvironmentNames() {
    Map<String, String> config = new LinkedHashMap<>();
    // As Kubernetes gives them: the ConfigMap's bootstrap servers and the Secret's SASL login.
    config.put("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092");
    config.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    config.put("KAFKA_SASL_JAAS_CONFIG", "ScramLoginModule required username=\"dead-letters\";");
    config.put("KAFKA_SSL_TRUSTSTORE_LOCATION", "/run/kafka/truststore.p12");
    // A properties file's dotted name wins over the environment's.
    config.put("kafka.security.protocol", "SASL_PLAINTEXT");
    config.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    // Not Kafka client settings.
    config.put("KAFKA", "x");
    config.put("kafka.", "x");
    config.put("quarkus.http.port", "8085");

    Map<String, String> kafka =
        DeadLetterDesk.kafkaSettings(config.keySet(), n -> Optional.ofNullable(config.get(n)));

    assertThat(kafka)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bootstrap.servers", "kafka-0:9092",
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "ScramLoginModule required username=\"dead-letters\";",
                "ssl.truststore.location", "/run/kafka/truststore.p12"));
  }
}
