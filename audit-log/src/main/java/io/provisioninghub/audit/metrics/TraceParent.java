package io.provisioninghub.audit.metrics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads the trace id from a record's W3C {@code traceparent} header. */
public final class TraceParent {

  public static final String HEADER = "traceparent";

  private TraceParent() {}

  /** The 32 hex digit trace id, or null when the header is absent or not a valid traceparent. */
  public static String traceId(Headers headers) {
    if (headers == null) {
      return null;
    }
    Header header = headers.lastHeader(HEADER);
    return header == null || header.value() == null
        ? null
        : traceId(new String(header.value(), StandardCharsets.US_ASCII));
  }

  /** {@code version-traceid-parentid-flags}: 2, 32, 16 and 2 lower-case hex digits. */
  public static String traceId(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String[] parts = traceparent.trim().split("-");
    if (parts.length < 4
        || !hex(parts[0], 2)
        || parts[0].equals("ff")
        || !hex(parts[1], 32)
        || !hex(parts[2], 16)
        || !hex(parts[3], 2)
        || parts[1].chars().allMatch(c -> c == '0')) {
      return null;
    }
    return parts[1];
  }

  private static boolean hex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
