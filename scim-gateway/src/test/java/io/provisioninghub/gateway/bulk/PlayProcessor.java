package io.provisioninghub.gateway.bulk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.Topics;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the processor for one tenant in gateway tests: answers each command of that tenant on the
 * reply partition it names. A create is applied (version 1) unless its userName contains {@code
 * taken} (409 uniqueness); replace and patch are applied with version 2, delete with 204. Commands
 * whose payload contains {@code together-} are held until {@link #together} of them arrived, so a
 * test can prove they were in flight at once; those containing {@code silent-} are never answered.
 */
public final class PlayProcessor implements AutoCloseable {

  private final String tenantId;
  private final int together;
  private final List<ProvisioningCommand> commands = new CopyOnWriteArrayList<>();
  private final List<ConsumerRecord<String, byte[]>> held = new ArrayList<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private volatile boolean running = true;

  public PlayProcessor(String bootstrapServers, String tenantId, int together) {
    this.tenantId = tenantId;
    this.together = together;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.COMMANDS, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(Topics.COMMANDS, p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolves "end" now, before any command is sent
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    thread = new Thread(this::loop, "play-processor-" + tenantId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Every command of the tenant seen so far, in arrival order. */
  public List<ProvisioningCommand> commands() {
    return List.copyOf(commands);
  }

  private void loop() {
    while (running) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          ProvisioningCommand command = ContractJson.command(record.value());
          if (!tenantId.equals(command.tenantId())) {
            continue;
          }
          commands.add(command);
          if (command.payload() != null && command.payload().toString().contains("silent-")) {
            continue;
          }
          if (command.payload() != null && command.payload().toString().contains("together-")) {
            held.add(record);
            if (held.size() >= together) {
              held.forEach(this::answer);
              held.clear();
            }
          } else {
            answer(record);
          }
        }
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void answer(ConsumerRecord<String, byte[]> record) {
    ProvisioningCommand command = ContractJson.command(record.value());
    ProvisioningOutcome outcome;
    if (command.operation() == Operation.DELETE) {
      outcome = ProvisioningOutcome.applied(command, 204, null, 0, Instant.now());
    } else if (command.operation() == Operation.CREATE
        && command.payload().path("userName").asText().contains("taken")) {
      outcome =
          ProvisioningOutcome.failed(
              command, 409, "uniqueness", "userName is already taken", Instant.now());
    } else {
      ObjectNode resource = ((ObjectNode) command.payload()).deepCopy();
      if (command.operation() == Operation.PATCH) {
        resource = ContractJson.mapper().createObjectNode();
      }
      long version = command.operation() == Operation.CREATE ? 1 : 2;
      resource.put("id", command.resourceId());
      resource.putObject("meta").put("version", "W/\"" + version + "\"");
      outcome =
          ProvisioningOutcome.applied(
              command,
              command.operation() == Operation.CREATE ? 201 : 200,
              resource,
              version,
              Instant.now());
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "REPLY_CORRELATION_ID", record.headers().lastHeader("REPLY_CORRELATION_ID").value());
    producer.send(
        new ProducerRecord<>(
            Topics.OUTCOMES,
            KafkaRequestReply.replyPartitionFromBytes(
                record.headers().lastHeader("REPLY_PARTITION").value()),
            tenantId,
            ContractJson.toBytes(outcome),
            headers));
    producer.flush();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    producer.close();
  }
}
