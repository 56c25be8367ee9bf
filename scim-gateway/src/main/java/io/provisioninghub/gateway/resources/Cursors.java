package io.provisioninghub.gateway.resources;

import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Opaque RFC 9865 cursors: the last id of the previous page, versioned and base64url-encoded. */
final class Cursors {

  private static final String PREFIX = "c1:";

  private Cursors() {}

  static String encode(UUID lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }

  /** Empty for the first page (an empty cursor); invalidCursor for anything we did not issue. */
  static Optional<UUID> decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return Optional.empty();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!text.startsWith(PREFIX)) {
        throw new IllegalArgumentException("unknown cursor version");
      }
      return Optional.of(UUID.fromString(text.substring(PREFIX.length())));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          ScimType.invalidCursor, "the cursor is not one this service issued");
    }
  }
}
