package io.provisioninghub.support.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Consumer lag as the broker sees it: for each consumer group of the service, the end offset of
 * every partition of its topics minus the group's committed offset (minus the log start where the
 * group has committed nothing), summed per topic, as {@code phub_kafka_group_lag_records{group,
 * topic}}, and the group's active members as {@code phub_kafka_group_members{group}}. Read with an
 * admin client on a thread of its own, so a consumer that stopped (a dead channel, a wedged poll
 * loop) shows as lag that grows and a group without members, where the consumer's own {@code
 * records-lag} ({@link KafkaConsumerLag}) goes silent with it. A refresh that fails keeps the last
 * values and counts {@code phub_kafka_group_lag_refresh_failures_total}.
 *
 * <p>Dead-letter topics are read the same way, against the group whose commits mark what an
 * operator has handled (re-driven or dismissed: the operator CLI commits in that group, which no
 * consumer runs in): the records not yet handled are the backlog, {@code
 * phub_dead_letter_backlog_records{topic}}. The counter of dead-lettered records says how fast they
 * arrive; this says how many still wait for someone.
 */
public final class BrokerConsumerLag implements AutoCloseable {

  public static final String LAG = "phub.kafka.group.lag";
  public static final String MEMBERS = "phub.kafka.group.members";
  public static final String FAILURES = "phub.kafka.group.lag.refresh.failures";
  public static final String DEAD_LETTER_BACKLOG = "phub.dead.letter.backlog";

  private static final System.Logger LOG = System.getLogger(BrokerConsumerLag.class.getName());

  private record Key(String group, String topic) {}

  private final MeterRegistry registry;
  private final Admin admin;
  private final Map<String, List<String>> groups;
  private final Map<String, List<String>> deadLetters;
  private final Duration timeout;
  private final Map<Key, AtomicLong> lags = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> members = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> backlogs = new ConcurrentHashMap<>();
  private final Counter failures;
  private ScheduledExecutorService refresher;

  /**
   * @param groups each consumer group of the service and the topics it consumes
   * @param timeout how long one refresh may wait for the broker
   */
  public BrokerConsumerLag(
      MeterRegistry registry, Admin admin, Map<String, List<String>> groups, Duration timeout) {
    this(registry, admin, groups, Map.of(), timeout);
  }

  /**
   * @param groups each consumer group of the service and the topics it consumes
   * @param deadLetters for each group that marks handled dead letters, the dead-letter topics whose
   *     backlog the service reports
   * @param timeout how long one refresh may wait for the broker
   */
  public BrokerConsumerLag(
      MeterRegistry registry,
      Admin admin,
      Map<String, List<String>> groups,
      Map<String, List<String>> deadLetters,
      Duration timeout) {
    this.registry = registry;
    this.admin = admin;
    this.groups = Map.copyOf(groups);
    this.deadLetters = Map.copyOf(deadLetters);
    this.timeout = timeout;
    this.failures =
        Counter.builder(FAILURES)
            .description("Refreshes of the broker-side consumer lag that failed")
            .register(registry);
    groups.forEach(
        (group, topics) -> {
          members.computeIfAbsent(group, this::registerMembers);
          topics.forEach(topic -> lags.computeIfAbsent(new Key(group, topic), this::registerLag));
        });
    deadLetters.values().stream()
        .flatMap(List::stream)
        .forEach(topic -> backlogs.computeIfAbsent(topic, this::registerBacklog));
  }

  /** Refreshes every {@code every} on a daemon thread until {@link #close()}. */
  public synchronized BrokerConsumerLag start(Duration every) {
    if (refresher == null) {
      refresher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "kafka-group-lag");
                t.setDaemon(true);
                return t;
              });
      refresher.scheduleWithFixedDelay(
          this::refreshQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
    admin.close(Duration.ofSeconds(5));
  }

  /** The last refreshed lag of a group on a topic. */
  public long lag(String group, String topic) {
    AtomicLong value = lags.get(new Key(group, topic));
    return value == null ? 0 : value.get();
  }

  /** The last refreshed number of dead-lettered records of a topic not yet handled. */
  public long deadLetterBacklog(String topic) {
    AtomicLong value = backlogs.get(topic);
    return value == null ? 0 : value.get();
  }

  /** The last refreshed number of active members of a group. */
  public long members(String group) {
    AtomicLong value = members.get(group);
    return value == null ? 0 : value.get();
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (Exception e) {
      failures.increment();
      LOG.log(
          System.Logger.Level.WARNING,
          "broker-side consumer lag not refreshed (last values kept): " + e);
    }
  }

  /** Reads offsets and group state from the broker and updates the gauges. */
  public void refresh() throws Exception {
    long wait = timeout.toMillis();
    List<String> topics =
        java.util.stream.Stream.concat(
                groups.values().stream().flatMap(List::stream),
                deadLetters.values().stream().flatMap(List::stream))
            .distinct()
            .toList();
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(wait, TimeUnit.MILLISECONDS);
    List<TopicPartition> partitions = new ArrayList<>();
    described.forEach(
        (topic, description) ->
            description
                .partitions()
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin
            .listOffsets(offsets(partitions, OffsetSpec.latest()))
            .all()
            .get(wait, TimeUnit.MILLISECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> starts =
        admin
            .listOffsets(offsets(partitions, OffsetSpec.earliest()))
            .all()
            .get(wait, TimeUnit.MILLISECONDS);
    Map<String, ConsumerGroupDescription> states =
        admin
            .describeConsumerGroups(List.copyOf(groups.keySet()))
            .describedGroups()
            .entrySet()
            .stream()
            .collect(
                HashMap::new,
                (m, e) -> {
                  try {
                    m.put(e.getKey(), e.getValue().get(wait, TimeUnit.MILLISECONDS));
                  } catch (Exception missing) {
                    // An unknown group has no members; it is reported as 0 below.
                  }
                },
                Map::putAll);
    for (var entry : groups.entrySet()) {
      String group = entry.getKey();
      Map<TopicPartition, OffsetAndMetadata> committed = committed(group, wait);
      ConsumerGroupDescription state = states.get(group);
      members.get(group).set(state == null ? 0 : state.members().size());
      for (String topic : entry.getValue()) {
        lags.get(new Key(group, topic)).set(behind(topic, partitions, ends, starts, committed));
      }
    }
    for (var entry : deadLetters.entrySet()) {
      Map<TopicPartition, OffsetAndMetadata> handled = committed(entry.getKey(), wait);
      for (String topic : entry.getValue()) {
        backlogs.get(topic).set(behind(topic, partitions, ends, starts, handled));
      }
    }
  }

  /** The group's committed offsets; none for a group that never committed. */
  private Map<TopicPartition, OffsetAndMetadata> committed(String group, long wait)
      throws Exception {
    try {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(wait, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
      return Map.of();
    }
  }

  /**
   * Records of the topic at or above the committed offset of each partition (from the log start
   * where nothing was committed, or where retention deleted past the commit), summed.
   */
  private static long behind(
      String topic,
      List<TopicPartition> partitions,
      Map<TopicPartition, ListOffsetsResultInfo> ends,
      Map<TopicPartition, ListOffsetsResultInfo> starts,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    long sum = 0;
    for (TopicPartition partition : partitions) {
      if (!partition.topic().equals(topic)) {
        continue;
      }
      long end = ends.get(partition).offset();
      long start = starts.get(partition).offset();
      OffsetAndMetadata at = committed.get(partition);
      long from = at != null ? Math.max(at.offset(), start) : start;
      sum += Math.max(0, end - from);
    }
    return sum;
  }

  private static Map<TopicPartition, OffsetSpec> offsets(
      List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> out = new HashMap<>();
    partitions.forEach(p -> out.put(p, spec));
    return out;
  }

  private AtomicLong registerLag(Key key) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(LAG, value, AtomicLong::get)
        .description("Records of the topic the group has not committed, as the broker sees it")
        .baseUnit("records")
        .tag("group", key.group())
        .tag("topic", key.topic())
        .register(registry);
    return value;
  }

  private AtomicLong registerBacklog(String topic) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(DEAD_LETTER_BACKLOG, value, AtomicLong::get)
        .description(
            "Dead-lettered records of the topic no operator has re-driven or dismissed yet")
        .baseUnit("records")
        .tag("topic", topic)
        .register(registry);
    return value;
  }

  private AtomicLong registerMembers(String group) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(MEMBERS, value, AtomicLong::get)
        .description("Active members of the consumer group, as the broker sees it")
        .tag("group", group)
        .register(registry);
    return value;
  }
}
