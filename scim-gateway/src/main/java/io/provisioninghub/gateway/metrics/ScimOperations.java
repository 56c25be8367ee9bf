package io.provisioninghub.gateway.metrics;

import java.util.Locale;

/**
 * What a SCIM request asks for, in the bounded vocabulary of the request metrics: the operation
 * ({@code create|replace|patch|delete|get|list|search|discovery|other}) and the resource ({@code
 * User|Group|none}). Derived from the method and path only, never from ids, so the label values
 * stay few whatever clients send.
 */
public record ScimOperations(String operation, String resource) {

  static final ScimOperations OTHER = new ScimOperations("other", "none");

  public static ScimOperations of(String method, String path, boolean hasFilter) {
    if (path == null || !path.startsWith("/scim/v2")) {
      return OTHER;
    }
    String rest = path.substring("/scim/v2".length());
    String[] segments = rest.split("/");
    // segments[0] is the empty string before the first slash
    if (segments.length < 2 || segments[1].isEmpty()) {
      return OTHER;
    }
    String first = segments[1];
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    switch (first) {
      case "ServiceProviderConfig", "Schemas", "ResourceTypes" -> {
        return m.equals("GET") ? new ScimOperations("discovery", "none") : OTHER;
      }
      case ".search" -> {
        return m.equals("POST") ? new ScimOperations("search", "none") : OTHER;
      }
      case "Users", "Groups" -> {
        String resource = first.equals("Users") ? "User" : "Group";
        if (segments.length == 2) {
          return switch (m) {
            case "POST" -> new ScimOperations("create", resource);
            case "GET" -> new ScimOperations(hasFilter ? "search" : "list", resource);
            default -> new ScimOperations("other", resource);
          };
        }
        if (segments.length == 3) {
          if (segments[2].equals(".search")) {
            return new ScimOperations(m.equals("POST") ? "search" : "other", resource);
          }
          return switch (m) {
            case "GET" -> new ScimOperations("get", resource);
            case "PUT" -> new ScimOperations("replace", resource);
            case "PATCH" -> new ScimOperations("patch", resource);
            case "DELETE" -> new ScimOperations("delete", resource);
            default -> new ScimOperations("other", resource);
          };
        }
        return new ScimOperations("other", resource);
      }
      default -> {
        return OTHER;
      }
    }
  }

  /** success (2xx, 304), client_error (4xx but 429), rate_limited (429), server_error (5xx). */
  public static String outcome(int status) {
    if (status == 429) {
      return "rate_limited";
    }
    if ((status >= 200 && status < 300) || status == 304) {
      return "success";
    }
    if (status >= 500) {
      return "server_error";
    }
    return "client_error";
  }
}
