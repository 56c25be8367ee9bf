package io.provisioninghub.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON form of every contract. Each document carries {@code formatVersion}; a reader accepts
 * its own version and older ones, ignores fields it does not know, and refuses newer major
 * versions.
 */
public final class ContractJson {

  /** The format this code writes. Bump on an incompatible change; add fields freely. */
  public static final int FORMAT_VERSION = 1;

  public static final String VERSION_FIELD = "formatVersion";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ContractJson() {}

  /** A shared mapper with the contract settings; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] toBytes(Object contract) {
    ObjectNode tree = MAPPER.valueToTree(contract);
    ObjectNode out = MAPPER.createObjectNode();
    out.put(VERSION_FIELD, FORMAT_VERSION);
    out.setAll(tree);
    try {
      return MAPPER.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new ContractFormatException("cannot write " + contract.getClass().getSimpleName(), e);
    }
  }

  public static String toJson(Object contract) {
    return new String(toBytes(contract), StandardCharsets.UTF_8);
  }

  public static ProvisioningCommand command(byte[] json) {
    return read(json, ProvisioningCommand.class);
  }

  public static ProvisioningOutcome outcome(byte[] json) {
    return read(json, ProvisioningOutcome.class);
  }

  /** A {@link TenantSnapshot}; a tombstone (null value) must be handled before calling this. */
  public static TenantSnapshot tenant(byte[] json) {
    return read(json, TenantSnapshot.class);
  }

  public static CredentialUsage usage(byte[] json) {
    return read(json, CredentialUsage.class);
  }

  public static TenantPurged tenantPurged(byte[] json) {
    return read(json, TenantPurged.class);
  }

  public static <T> T read(byte[] json, Class<T> type) {
    if (json == null) {
      throw new ContractFormatException("empty record, expected " + type.getSimpleName());
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ContractFormatException("not JSON, expected " + type.getSimpleName(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ContractFormatException("not a JSON object, expected " + type.getSimpleName());
    }
    JsonNode version = tree.get(VERSION_FIELD);
    if (version == null || !version.canConvertToInt()) {
      throw new ContractFormatException("missing " + VERSION_FIELD + " in " + type.getSimpleName());
    }
    if (version.intValue() > FORMAT_VERSION) {
      throw new ContractFormatException(
          type.getSimpleName()
              + " has "
              + VERSION_FIELD
              + " "
              + version.intValue()
              + ", this reader knows up to "
              + FORMAT_VERSION);
    }
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new ContractFormatException(
          "invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
