package io.provisioninghub.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.provisioninghub.audit.AuditFixtures;
import io.provisioninghub.audit.metrics.IngestMetrics;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.metrics.KafkaConsumerLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The channel boundary: whatever storing one record throws, an Error such as StackOverflowError
 * included, that record is set aside and the rest of its batch is stored (the finding: one record
 * overflowed the stack in redaction, the channel stopped and every tenant lost its audit trail).
 */
class OperationsConsumerTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<IngestItem> stored = new ArrayList<>();

  @Test
  void aRecordWhoseStoringOverflowsTheStackIsSetAsideAndTheRestStored() throws Exception {
    ProvisioningCommand poison = AuditFixtures.createUser("t-1", "poison@contoso.com");
    ProvisioningCommand good = AuditFixtures.createUser("t-1", "good@contoso.com");
    OperationWriter writer =
        new OperationWriter(null, null) {
          @Override
          public void write(List<IngestItem> batch) {
            if (batch.stream().anyMatch(i -> poison.commandId().equals(i.commandId()))) {
              throw new StackOverflowError();
            }
            stored.addAll(batch);
          }
        };
    OperationsConsumer consumer =
        new OperationsConsumer(
            writer,
            config(),
            new IngestMetrics(registry, new KafkaConsumerLag(registry, List.of())));

    consumer.consume(records(poison, good));

    assertThat(stored).hasSize(2);
    assertThat(stored.get(0)).isInstanceOf(IngestItem.Skipped.class);
    IngestItem.Skipped skipped = (IngestItem.Skipped) stored.get(0);
    assertThat(skipped.source().offset()).isEqualTo(0);
    assertThat(skipped.reason()).isEqualTo("cannot be handled: StackOverflowError");
    assertThat(stored.get(1).commandId()).isEqualTo(good.commandId());
    assertThat(consumer.skippedCount()).isEqualTo(1);
    assertThat(
            registry
                .get(SetAsideRecords.NAME)
                .tag("consumer", "audit-log")
                .tag("reason", "failed")
                .counter()
                .count())
        .isEqualTo(1);
  }

  private static ConsumerRecords<String, byte[]> records(ProvisioningCommand... commands) {
    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
    for (int i = 0; i < commands.length; i++) {
      list.add(
          new ConsumerRecord<>(
              Topics.COMMANDS, 0, i, commands[i].kafkaKey(), ContractJson.toBytes(commands[i])));
    }
    return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.COMMANDS, 0), list), Map.of());
  }

  private static IngestConfig config() {
    return () ->
        new IngestConfig.Retry() {
          @Override
          public Duration initialBackoff() {
            return Duration.ofMillis(1);
          }

          @Override
          public Duration maxBackoff() {
            return Duration.ofMillis(1);
          }

          @Override
          public int maxAttempts() {
            return 1;
          }
        };
  }
}
