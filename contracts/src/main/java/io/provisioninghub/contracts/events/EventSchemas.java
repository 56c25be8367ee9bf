package io.provisioninghub.contracts.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The published JSON Schema (draft 2020-12) of each event type's data, shipped in this jar under
 * {@code io/provisioninghub/contracts/events/schemas/<ce_type>.json} and listed in docs/events.md.
 * A consumer in any language can take the files from the jar or the repository.
 */
public final class EventSchemas {

  static final String FOLDER = "/io/provisioninghub/contracts/events/schemas/";

  private EventSchemas() {}

  /** The CloudEvent types that have a schema, in catalogue order. */
  public static List<String> types() {
    return read("index.txt").lines().filter(line -> !line.isBlank()).toList();
  }

  /** The schema of one CloudEvent type, e.g. {@code io.provisioninghub.user.created.v1}. */
  public static String of(String type) {
    return read(type + ".json");
  }

  private static String read(String name) {
    try (InputStream in = EventSchemas.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no event schema " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
