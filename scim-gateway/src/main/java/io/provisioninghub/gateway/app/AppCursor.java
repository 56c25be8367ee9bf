package io.provisioninghub.gateway.app;

import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursors of the application read API: where the next page starts, in the order of the
 * page. Base64url of a short text: {@code i:<id>} (id order), {@code m:<lastModified>|<id>}
 * (updatedSince order) or {@code e:<seq>} (the events feed). A cursor of another list, or one that
 * does not decode, is a 400.
 */
record AppCursor(String kind, UUID id, OffsetDateTime modified, long seq) {

  static AppCursor ofId(UUID id) {
    return new AppCursor("i", id, null, 0);
  }

  static AppCursor ofModified(OffsetDateTime modified, UUID id) {
    return new AppCursor("m", id, modified, 0);
  }

  static AppCursor ofSeq(long seq) {
    return new AppCursor("e", null, null, seq);
  }

  String encode() {
    String text =
        switch (kind) {
          case "i" -> "i:" + id;
          case "m" -> "m:" + modified + "|" + id;
          default -> "e:" + seq;
        };
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor, which must be of {@code kind}. */
  static AppCursor decode(String cursor, String kind) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!text.startsWith(kind + ":")) {
        throw invalid();
      }
      String value = text.substring(2);
      return switch (kind) {
        case "i" -> ofId(UUID.fromString(value));
        case "m" -> {
          int bar = value.indexOf('|');
          yield ofModified(
              OffsetDateTime.parse(value.substring(0, bar)),
              UUID.fromString(value.substring(bar + 1)));
        }
        default -> ofSeq(Long.parseLong(value));
      };
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  private static BadRequestException invalid() {
    return new BadRequestException(
        ScimType.invalidValue,
        "the cursor is not one this list returned; start again without a cursor");
  }
}
