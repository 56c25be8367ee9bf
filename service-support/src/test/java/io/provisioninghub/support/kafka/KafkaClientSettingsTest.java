package io.provisioninghub.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

  @Test
  void aClientKeepsTheSharedSecuritySettingsAndAddsItsOwn() {
    Map<String, Object> shared =
        Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "x required;",
            "acks", "1");
    Properties props =
        KafkaClientSettings.client(shared, Map.of("acks", "all", "client.id", "tenant-view"));
    assertThat(props)
        .containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "x required;")
        .containsEntry("acks", "all")
        .containsEntry("client.id", "tenant-view");
  }

  @Test
  void withoutBootstrapServersThereIsNoClient() {
    assertThatThrownBy(() -> KafkaClientSettings.client(Map.of(), Map.of("acks", "all")))
        .hasMessageContaining("kafka.bootstrap.servers");
  }

  @Test
  void environmentVariablesAreNamedAsQuarkusNamesThem() {
    Map<String, String> settings =
        KafkaClientSettings.fromEnvironment(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "x required;",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "PATH", "/bin"));
    assertThat(settings)
        .containsOnly(
            Map.entry("bootstrap.servers", "kafka:9093"),
            Map.entry("security.protocol", "SASL_SSL"),
            Map.entry("sasl.jaas.config", "x required;"),
            Map.entry("ssl.truststore.location", "/etc/kafka/ca.p12"));
  }

  @Test
  void aPropertiesFileIsReadAsKafkaToolsReadIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
            + "  username=\"ops\" password=\"pw\";\n");
    assertThat(KafkaClientSettings.fromFile(file))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ops\""
                + " password=\"pw\";");
  }
}
