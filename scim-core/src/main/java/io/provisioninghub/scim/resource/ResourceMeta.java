package io.provisioninghub.scim.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The server-owned {@code meta} of a stored resource, rendered the same way by the processor (in
 * outcomes) and the gateway (on reads), so a client reads back exactly what a write returned.
 */
public final class ResourceMeta {

  private ResourceMeta() {}

  /** The weak ETag for a version, as {@code meta.version} and the ETag header carry it. */
  public static String etag(long version) {
    return "W/\"" + version + "\"";
  }

  /** Sets {@code meta} (without location, which only the HTTP layer knows). */
  public static ObjectNode put(
      ObjectNode resource,
      String resourceType,
      OffsetDateTime created,
      OffsetDateTime lastModified,
      long version) {
    ObjectNode meta = resource.putObject("meta");
    meta.put("resourceType", resourceType);
    meta.put("created", format(created));
    meta.put("lastModified", format(lastModified));
    meta.put("version", etag(version));
    return resource;
  }

  /** Adds {@code meta.location} to a resource that has {@code meta}. */
  public static ObjectNode locate(ObjectNode resource, String location) {
    ObjectNode meta = resource.get("meta") instanceof ObjectNode m ? m : resource.putObject("meta");
    meta.put("location", location);
    return resource;
  }

  private static String format(OffsetDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        time.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
