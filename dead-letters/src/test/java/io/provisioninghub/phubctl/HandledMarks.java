package io.provisioninghub.phubctl;

import io.provisioninghub.contracts.DeadLetters;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/** What the group phub-dead-letters committed on a topic, read as the backlog gauge reads it. */
final class HandledMarks {

  private HandledMarks() {}

  /** Per partition of {@code topic}, the committed offset, read with these admin settings. */
  static Map<TopicPartition, Long> read(Map<String, ?> adminSettings, String topic) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(adminSettings))) {
      Map<TopicPartition, Long> marks = new HashMap<>();
      admin
          .listConsumerGroupOffsets(DeadLetters.HANDLED_GROUP)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (tp, mark) -> {
                if (tp.topic().equals(topic) && mark != null) {
                  marks.put(tp, mark.offset());
                }
              });
      return marks;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the group's offsets", e);
    }
  }
}
