package io.provisioninghub.audit.ingest;

import java.util.List;

/**
 * What a request the gateway refused addressed, read from its path: the resource type a row stores
 * for it, so that the reason and the recommended action can tell a missing schema from a deleted
 * user.
 */
final class RequestedResource {

  /** The endpoint names of RFC 7644 section 3.2 with the resource type each row is stored under. */
  private static final List<String[]> ENDPOINTS =
      List.of(
          new String[] {"Users", "User"},
          new String[] {"Groups", "Group"},
          new String[] {"Schemas", "Schema"},
          new String[] {"ResourceTypes", "ResourceType"},
          new String[] {"ServiceProviderConfig", "ServiceProviderConfig"},
          new String[] {"Bulk", "Bulk"});

  private RequestedResource() {}

  /**
   * The resource type of the first path segment after the SCIM base that names an endpoint (matched
   * case-insensitively, as the gateway does), or null.
   */
  static String typeOf(String path) {
    if (path == null) {
      return null;
    }
    String[] segments = path.split("/");
    for (int i = 0; i < segments.length; i++) {
      // The SCIM base is /scim/v2: the endpoint is the segment after it.
      if (segments[i].equalsIgnoreCase("v2") && i + 1 < segments.length) {
        for (String[] endpoint : ENDPOINTS) {
          if (endpoint[0].equalsIgnoreCase(segments[i + 1])) {
            return endpoint[1];
          }
        }
        return null;
      }
    }
    return null;
  }
}
