package io.provisioninghub.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A record of {@code provisioning.events.v1} as its consumers read it (the events feed, webhooks):
 * a CloudEvent in binary mode, key {@code tenantId/resourceId}, {@code ce_*} headers, the data a
 * JSON object.
 *
 * @param tenantId from the key
 * @param resourceKey the whole key, {@code tenantId/resourceId}: the unit of ordering
 * @param subject {@code ce_subject}, or the key's resource id when absent
 * @param source {@code ce_source}, or {@code /provisioninghub/tenants/<tenantId>} when absent
 * @param time {@code ce_time} as sent, or null
 */
public record EventRecord(
    String tenantId,
    String resourceKey,
    String id,
    String type,
    String source,
    String subject,
    String time,
    JsonNode data) {

  /**
   * Reads one record; {@link ContractFormatException} saying why if it is not an event of ours (no
   * tenant in the key, no {@code ce_id} or {@code ce_type}, data that is not a JSON object).
   *
   * @param header a header's value by name, or null
   */
  public static EventRecord read(String key, Function<String, byte[]> header, byte[] value) {
    String tenant = tenantOf(key);
    String id = text(header, "ce_id");
    String type = text(header, "ce_type");
    if (tenant == null || id == null || type == null || value == null) {
      throw new ContractFormatException("no tenant key, ce_id, ce_type or data");
    }
    JsonNode data;
    try {
      data = ContractJson.mapper().readTree(value);
    } catch (IOException | RuntimeException e) {
      throw new ContractFormatException("the data is not JSON", e);
    }
    if (data == null || !data.isObject()) {
      throw new ContractFormatException("the data is not a JSON object");
    }
    String source = text(header, "ce_source");
    String subject = text(header, "ce_subject");
    return new EventRecord(
        tenant,
        key,
        id,
        type,
        source == null ? "/provisioninghub/tenants/" + tenant : source,
        subject == null ? key.substring(tenant.length() + 1) : subject,
        text(header, "ce_time"),
        data);
  }

  /** The tenant of a record key {@code tenantId/resourceId}, or null if the key names none. */
  public static String tenantOf(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    return slash > 0 ? key.substring(0, slash) : null;
  }

  private static String text(Function<String, byte[]> header, String name) {
    byte[] value = header.apply(name);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
