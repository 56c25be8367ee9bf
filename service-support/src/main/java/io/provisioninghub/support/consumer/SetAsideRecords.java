package io.provisioninghub.support.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts the records one Kafka consumer set aside instead of handling them: {@code
 * phub_consumer_records_set_aside_total{consumer, reason}}. Every consumer sets a record it cannot
 * handle aside (dead-letter topic, {@code audit.skipped_records}, or a WARN line) and goes on with
 * the next one, so one bad record never stops a channel; this counter is how an operator learns
 * that it happened. Both labels come from fixed sets, never from the record, so the series stay
 * bounded (docs/adr/0005). Every reason starts at zero, so an increase shows from the first record.
 */
public final class SetAsideRecords {

  public static final String NAME = "phub.consumer.records.set.aside";

  /** Why a record was set aside. */
  public enum Reason {
    /** It could not be deserialised or is not the contract the topic carries. */
    UNREADABLE,
    /** The database refused to store it (a permanent SQL state: encoding, type, constraint). */
    REFUSED,
    /** Handling it threw anything else, an {@link Error} such as StackOverflowError included. */
    FAILED,
    /**
     * It must carry the tenant registry's signature and does not (missing, unknown key, or not
     * matching): whoever wrote it is not the registry (docs/adr/0006).
     */
    BAD_SIGNATURE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

  /**
   * @param consumer a fixed name: {@code processor}, {@code audit-log}, {@code tenant-view}, {@code
   *     replies}, {@code usage}
   */
  public SetAsideRecords(MeterRegistry registry, String consumer) {
    for (Reason reason : Reason.values()) {
      counters.put(
          reason,
          Counter.builder(NAME)
              .description("Records a consumer set aside instead of handling them, by reason")
              .tag("consumer", consumer)
              .tag("reason", reason.label())
              .register(registry));
    }
  }

  public void count(Reason reason) {
    counters.get(reason).increment();
  }

  /** Records set aside for this reason since the service started. */
  public double total(Reason reason) {
    return counters.get(reason).count();
  }

  /**
   * A short description of a failure for a log line or a reason column: its type and the first line
   * of its message, at most 200 characters. Jackson and JDBC messages can quote the record, so only
   * the part before the first colon is kept, and control characters and lone surrogates (which a
   * database column cannot hold) become {@code ?}.
   */
  public static String describe(Throwable failure) {
    String type = failure.getClass().getSimpleName();
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return type;
    }
    int colon = message.indexOf(": ");
    String head = colon > 0 ? message.substring(0, colon) : message;
    int newline = head.indexOf('\n');
    head = newline > 0 ? head.substring(0, newline) : head;
    String out = type + ": " + head;
    return printable(out.length() > 200 ? out.substring(0, 200) : out);
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
