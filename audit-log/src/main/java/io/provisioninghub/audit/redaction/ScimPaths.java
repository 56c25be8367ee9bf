package io.provisioninghub.audit.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;

/** SCIM attribute-path helpers shared by redaction and ingestion; attribute names ignore case. */
public final class ScimPaths {

  private static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:user:";
  private static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:group:";

  private ScimPaths() {}

  /**
   * The attribute a PATCH path names, without value filters and without the core schema URN: {@code
   * emails[type eq "work"].value} → {@code emails.value}.
   */
  public static String attributePath(String rawPath) {
    String path = rawPath.trim();
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.startsWith(CORE_USER)) {
      path = path.substring(CORE_USER.length());
    } else if (lower.startsWith(CORE_GROUP)) {
      path = path.substring(CORE_GROUP.length());
    }
    StringBuilder out = new StringBuilder(path.length());
    int depth = 0;
    for (char c : path.toCharArray()) {
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The path with every value filter replaced by {@code [mask]}. */
  public static String withoutFilterValues(String rawPath, String mask) {
    StringBuilder out = new StringBuilder(rawPath.length());
    int depth = 0;
    for (char c : rawPath.toCharArray()) {
      if (c == '[') {
        if (depth == 0) {
          out.append('[').append(mask).append(']');
        }
        depth++;
      } else if (c == ']') {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The field's actual name in {@code node}, matched case-insensitively, or null. */
  public static String fieldName(JsonNode node, String name) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String candidate = names.next();
      if (candidate.equalsIgnoreCase(name)) {
        return candidate;
      }
    }
    return null;
  }

  /** The field matched case-insensitively, or null. */
  public static JsonNode field(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      return null;
    }
    String actual = fieldName(node, name);
    return actual == null ? null : node.get(actual);
  }
}
