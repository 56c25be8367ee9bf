package io.provisioninghub.support.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds the configuration of a hand-built Kafka client from the settings every client of a service
 * shares: in a Quarkus service the {@code kafka.*} properties (the {@code default-kafka-broker} map
 * the Kafka extension produces, which the messaging channels use too), in a command-line tool a
 * client properties file and/or {@code KAFKA_*} environment variables. Connection and security
 * (bootstrap servers, {@code security.protocol}, SASL, TLS) therefore come from one place, and a
 * client only adds what is its own (serialisers, acks, group, client id). docs/security.md.
 */
public final class KafkaClientSettings {

  /** Every setting a Kafka producer, consumer or admin client knows. */
  private static final Set<String> CLIENT_SETTINGS = clientSettings();

  private KafkaClientSettings() {}

  /**
   * The shared settings overlaid by the client's own. A key of {@code own} replaces the shared
   * value; nothing else of the shared settings is dropped.
   */
  public static Properties client(Map<String, ?> shared, Map<String, ?> own) {
    Properties props = new Properties();
    shared.forEach(
        (k, v) -> {
          if (v != null) {
            props.put(k, v);
          }
        });
    own.forEach(
        (k, v) -> {
          if (v != null) {
            props.put(k, v);
          }
        });
    if (!props.containsKey(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalStateException(
          "no Kafka bootstrap servers: set kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS)");
    }
    return props;
  }

  /**
   * Kafka client settings from environment variables, named as Quarkus names them: {@code
   * KAFKA_SECURITY_PROTOCOL} is {@code security.protocol}, {@code KAFKA_SASL_JAAS_CONFIG} is {@code
   * sasl.jaas.config}. Only names a Kafka client knows are taken, so unrelated variables such as
   * {@code KAFKA_HEAP_OPTS} are ignored.
   */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env::get);
  }

  /** As {@link #fromEnvironment(Map)}, looking each variable up by name. */
  public static Map<String, String> fromEnvironment(Function<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    for (String key : CLIENT_SETTINGS) {
      String value = env.apply("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
      if (value != null && !value.isBlank()) {
        out.put(key, value);
      }
    }
    return out;
  }

  /** A Kafka client properties file, as Kafka's own tools take with {@code --command-config}. */
  public static Map<String, String> fromFile(Path file) {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kafka client settings from " + file, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
    return out;
  }

  private static Set<String> clientSettings() {
    Set<String> names = new HashSet<>(ProducerConfig.configNames());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return Set.copyOf(names);
  }
}
