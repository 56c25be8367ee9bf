package io.provisioninghub.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test-side access to a topic: records everything on it from the beginning (all partitions, no
 * consumer group), waits for a record with a bound, and sends raw records.
 */
public final class TopicProbe implements AutoCloseable {

  private final String topic;
  private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread poller;
  private volatile boolean running = true;

  private TopicProbe(Map<String, String> clientConfig, String topic) {
    this.topic = topic;
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    poller = new Thread(this::poll, "topic-probe-" + topic);
    poller.setDaemon(true);
    poller.start();
  }

  public static TopicProbe open(String bootstrapServers, String topic) {
    return new TopicProbe(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
  }

  /** As {@link #open(String, String)} with full client settings (a secured broker's login). */
  public static TopicProbe open(Map<String, String> clientConfig, String topic) {
    return new TopicProbe(clientConfig, topic);
  }

  private void poll() {
    while (running) {
      try {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  public List<ConsumerRecord<String, byte[]>> records() {
    return new ArrayList<>(seen);
  }

  public List<ConsumerRecord<String, byte[]>> records(Predicate<ConsumerRecord<String, byte[]>> p) {
    return seen.stream().filter(p).collect(Collectors.toList());
  }

  /** Waits until {@code count} records match, failing after {@code timeout}. */
  public List<ConsumerRecord<String, byte[]>> await(
      Predicate<ConsumerRecord<String, byte[]>> matching, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ConsumerRecord<String, byte[]>> found = records(matching);
      if (found.size() >= count) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected "
                + count
                + " matching record(s) on "
                + topic
                + " within "
                + timeout
                + ", saw "
                + found.size()
                + " of "
                + seen.size());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public ConsumerRecord<String, byte[]> awaitOne(
      Predicate<ConsumerRecord<String, byte[]>> matching, Duration timeout) {
    return await(matching, 1, timeout).get(0);
  }

  /**
   * Sends the records (key, value) through one producer that lingers until all are handed to it, so
   * records of one partition reach the broker in one record batch, which a consumer's poll never
   * splits; waits for every acknowledgement.
   */
  public static void sendTogether(
      String bootstrapServers, String topic, List<Map.Entry<String, byte[]>> records) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (Map.Entry<String, byte[]> record : records) {
        sent.add(producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> one : sent) {
        one.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    }
  }

  /** Sends one record and waits for the broker's acknowledgement. */
  public static void send(
      String bootstrapServers, String topic, String key, byte[] value, Headers headers) {
    send(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        topic,
        key,
        value,
        headers);
  }

  /**
   * As {@link #send(String, String, String, byte[], Headers)} with full client settings; a refusal
   * by the broker (such as {@link org.apache.kafka.common.errors.TopicAuthorizationException}) is
   * the cause of the exception thrown.
   */
  public static void send(
      Map<String, String> clientConfig, String topic, String key, byte[] value, Headers headers) {
    Properties props = new Properties();
    props.putAll(clientConfig);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Not idempotent: a principal that may write no topic at all is then refused for the topic
    // (TopicAuthorizationException), not earlier for a producer id (ClusterAuthorizationException).
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topic, null, key, value, headers))
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot send to " + topic, e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(2));
  }
}
