package io.provisioninghub.processor.outcome;

import io.provisioninghub.contracts.Topics;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where the gateway waiting for a command wants its outcome: the reply topic, the partition that
 * gateway instance reads, and the correlation id it registered before sending.
 *
 * @param topic reply topic ({@link Topics#OUTCOMES} unless the requester named another)
 * @param partition reply partition, or -1 to let the key decide
 * @param correlationId the requester's correlation id, or null for a command nobody waits for
 */
public record ReplyRoute(String topic, int partition, byte[] correlationId) {

  public static ReplyRoute from(Headers headers) {
    String topic = Topics.OUTCOMES;
    int partition = -1;
    byte[] correlation = null;
    if (headers != null) {
      Header t = headers.lastHeader(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER);
      if (t != null && t.value() != null) {
        topic = new String(t.value(), StandardCharsets.UTF_8);
      }
      Header p = headers.lastHeader(KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER);
      if (p != null && p.value() != null && p.value().length == 4) {
        partition = KafkaRequestReply.replyPartitionFromBytes(p.value());
      }
      Header c = headers.lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
      if (c != null) {
        correlation = c.value();
      }
    }
    return new ReplyRoute(topic, partition, correlation);
  }
}
