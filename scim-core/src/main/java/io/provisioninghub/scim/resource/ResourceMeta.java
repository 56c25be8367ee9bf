package io.provisioninghub.scim.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.schema.ScimSchemas;
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

  /**
   * Sets the server-computed parts of the enterprise {@code manager} reference: {@code $ref} from
   * the SCIM base URL and the manager's id, and {@code displayName} when known (null leaves it
   * out). Whatever a client sent for either is never kept (see {@link #storedManager}).
   */
  public static ObjectNode linkManager(
      ObjectNode resource, String scimBaseUrl, String managerDisplayName) {
    if (resource.get(ScimSchemas.ENTERPRISE_USER) instanceof ObjectNode enterprise
        && enterprise.get("manager") instanceof ObjectNode manager
        && manager.path("value").isTextual()) {
      manager.put("$ref", scimBaseUrl + "/Users/" + manager.get("value").asText());
      if (managerDisplayName != null) {
        manager.put("displayName", managerDisplayName);
      } else {
        manager.remove("displayName");
      }
    }
    return resource;
  }

  /** The id of the enterprise {@code manager} of a stored resource, or null; reads only. */
  public static String managerId(ObjectNode resource) {
    JsonNode value = resource.path(ScimSchemas.ENTERPRISE_USER).path("manager").path("value");
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  /**
   * Keeps only {@code value} of the enterprise {@code manager} (its {@code $ref} and {@code
   * displayName} are the server's to compute) and removes a manager without a value. Returns the
   * manager's id, or null when there is none.
   */
  public static String storedManager(ObjectNode resource) {
    if (!(resource.get(ScimSchemas.ENTERPRISE_USER) instanceof ObjectNode enterprise)) {
      return null;
    }
    JsonNode manager = enterprise.get("manager");
    if (manager == null) {
      return null;
    }
    JsonNode value = manager.get("value");
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      enterprise.remove("manager");
      return null;
    }
    ObjectNode only = enterprise.putObject("manager");
    only.put("value", value.asText());
    return value.asText();
  }

  private static String format(OffsetDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        time.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
