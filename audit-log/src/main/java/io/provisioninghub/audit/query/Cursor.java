package io.provisioninghub.audit.query;

import io.provisioninghub.audit.error.BadRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/** The keyset position after the last row of a page: (receivedAt, commandId), opaque to clients. */
public record Cursor(Instant receivedAt, UUID commandId) {

  public String encode() {
    String plain = receivedAt + "|" + commandId;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  public static Cursor decode(String value) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      int bar = plain.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new Cursor(
          Instant.parse(plain.substring(0, bar)), UUID.fromString(plain.substring(bar + 1)));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new BadRequest("cursor", "cursor is not one this API returned; start without it");
    }
  }
}
