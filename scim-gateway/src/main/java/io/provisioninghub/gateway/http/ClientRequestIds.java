package io.provisioninghub.gateway.http;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;

/** The client's correlation id, from whichever of the usual headers it sent. */
public final class ClientRequestIds {

  private static final List<String> HEADERS =
      List.of("client-request-id", "x-ms-client-request-id", "x-request-id", "x-correlation-id");

  private static final int MAX_LENGTH = 128;

  private ClientRequestIds() {}

  public static String from(HttpHeaders headers) {
    return from(headers.getRequestHeaders());
  }

  public static String from(jakarta.ws.rs.core.MultivaluedMap<String, String> headers) {
    return from(headers::getFirst);
  }

  /** The same, reading headers by name (e.g. from the Vert.x request). */
  public static String from(java.util.function.Function<String, String> header) {
    for (String name : HEADERS) {
      String value = header.apply(name);
      if (value != null && !value.isBlank()) {
        String trimmed = value.trim();
        return trimmed.length() > MAX_LENGTH ? trimmed.substring(0, MAX_LENGTH) : trimmed;
      }
    }
    return null;
  }
}
