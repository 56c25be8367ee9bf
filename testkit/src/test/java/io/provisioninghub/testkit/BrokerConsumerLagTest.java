package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.metrics.BrokerConsumerLag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broker-side consumer lag on the secured broker, read as the audit-log's own principal (so its
 * ACLs suffice): while the group's consumer runs and commits, lag is 0 and the group has a member;
 * once the consumer is gone (killed: it never commits again) the broker still reports, and the lag
 * grows with every record while the group has no member. The consumer's own {@code records-lag}
 * would have gone silent with it.
 */
class BrokerConsumerLagTest {

  private static KafkaBroker broker;
  private static String password;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory("phub-testkit-lag-");
    broker = KafkaBroker.startSecured(work.resolve("kafka"), work.resolve("kafka.log"));
    password = UUID.randomUUID().toString();
    broker.createUser(KafkaAcls.AUDIT, password);
    broker.createUser(KafkaAcls.GATEWAY, "gateway-password");
    broker.createUser(KafkaAcls.PROCESSOR, "processor-password");
    broker.createUser(KafkaAcls.DEAD_LETTERS, "dead-letters-password");
    broker.grant(KafkaAcls.matrix());
    broker.ensureTopics(Infrastructure.TOPICS, Infrastructure.COMPACTED_TOPICS);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aStoppedConsumerShowsAsGrowingLagAndAGroupWithoutMembers() throws Exception {
    Map<String, String> audit = broker.clientConfig(KafkaAcls.AUDIT, password);
    Properties adminSettings = new Properties();
    adminSettings.putAll(audit);
    BrokerConsumerLag lag =
        new BrokerConsumerLag(
            new SimpleMeterRegistry(),
            Admin.create(adminSettings),
            Map.of("audit-log", List.of(Topics.COMMANDS)),
            Duration.ofSeconds(20));
    try (lag) {
      send(5);
      // The group's consumer runs and keeps up.
      Properties consumerSettings = new Properties();
      consumerSettings.putAll(audit);
      consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-log");
      consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(
              consumerSettings, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(Topics.COMMANDS));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200));
                consumer.commitSync();
                lag.refresh();
                return lag.lag("audit-log", Topics.COMMANDS) == 0 && lag.members("audit-log") == 1;
              });

      // The consumer dies: no more polls, no more commits; the broker drops it from the group.
      consumer.close(Duration.ZERO);
      Map<Integer, Long> lagOverTime = new HashMap<>();
      for (int round = 1; round <= 3; round++) {
        send(10);
        long expected = 10L * round;
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  lag.refresh();
                  return lag.lag("audit-log", Topics.COMMANDS) == expected;
                });
        lagOverTime.put(round, lag.lag("audit-log", Topics.COMMANDS));
      }
      assertThat(lagOverTime).containsEntry(1, 10L).containsEntry(2, 20L).containsEntry(3, 30L);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                lag.refresh();
                return lag.members("audit-log") == 0;
              });
    }
  }

  /**
   * The dead-letter backlog, read as the processor's principal (which only describes the group):
   * every dead-lettered record counts until the operator CLI's group commits past it, by re-driving
   * or dismissing; records that arrive later count again.
   */
  @Test
  void theDeadLetterBacklogCountsWhatNoOperatorHasHandledYet() throws Exception {
    Properties adminSettings = new Properties();
    adminSettings.putAll(broker.clientConfig(KafkaAcls.PROCESSOR, "processor-password"));
    BrokerConsumerLag lag =
        new BrokerConsumerLag(
            new SimpleMeterRegistry(),
            Admin.create(adminSettings),
            Map.of(),
            Map.of(DeadLetters.HANDLED_GROUP, List.of(Topics.COMMANDS_DLQ)),
            Duration.ofSeconds(20));
    try (lag) {
      String key = "t/User/" + UUID.randomUUID();
      deadLetter(key, 7);
      awaitBacklog(lag, 7);

      Properties operator = new Properties();
      operator.putAll(broker.clientConfig(KafkaAcls.DEAD_LETTERS, "dead-letters-password"));
      operator.put(ConsumerConfig.GROUP_ID_CONFIG, DeadLetters.HANDLED_GROUP);
      operator.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      try (KafkaConsumer<byte[], byte[]> handled =
          new KafkaConsumer<>(operator, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions =
            handled.partitionsFor(Topics.COMMANDS_DLQ).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        Map<TopicPartition, Long> ends = handled.endOffsets(partitions);
        TopicPartition withRecords =
            ends.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .findFirst()
                .orElseThrow()
                .getKey();
        // Four of the seven handled (re-driven one by one from the oldest).
        handled.commitSync(Map.of(withRecords, new OffsetAndMetadata(ends.get(withRecords) - 3)));
        awaitBacklog(lag, 3);
        // The rest dismissed.
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
        ends.forEach((partition, end) -> all.put(partition, new OffsetAndMetadata(end)));
        handled.commitSync(all);
        awaitBacklog(lag, 0);
      }

      deadLetter(key, 2);
      awaitBacklog(lag, 2);
    }
  }

  private static void awaitBacklog(BrokerConsumerLag lag, long expected) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              lag.refresh();
              return lag.deadLetterBacklog(Topics.COMMANDS_DLQ) == expected;
            });
  }

  private static void deadLetter(String key, int records) {
    for (int i = 0; i < records; i++) {
      TopicProbe.send(
          broker.clientConfig(KafkaAcls.PROCESSOR, "processor-password"),
          Topics.COMMANDS_DLQ,
          key,
          "{}".getBytes(StandardCharsets.UTF_8),
          new RecordHeaders());
    }
  }

  private static void send(int records) {
    for (int i = 0; i < records; i++) {
      TopicProbe.send(
          broker.clientConfig(KafkaAcls.GATEWAY, "gateway-password"),
          Topics.COMMANDS,
          "t/User/" + UUID.randomUUID(),
          "{}".getBytes(StandardCharsets.UTF_8),
          new RecordHeaders());
    }
  }
}
