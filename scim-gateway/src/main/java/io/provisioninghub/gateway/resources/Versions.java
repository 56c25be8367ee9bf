package io.provisioninghub.gateway.resources;

import io.provisioninghub.scim.error.PreconditionFailedException;
import io.provisioninghub.scim.resource.ResourceMeta;

/** ETag handling: {@code meta.version} is the weak ETag {@code W/"n"} of the resource's version. */
public final class Versions {

  private Versions() {}

  /**
   * The version an If-Match header names, or null if there is none or it is {@code *}. A value that
   * cannot name any version of ours can never match: 412.
   */
  public static Long ifMatch(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String first = header.split(",")[0].trim();
    if (first.equals("*")) {
      return null;
    }
    Long version = parse(first);
    if (version == null) {
      throw new PreconditionFailedException(
          "If-Match must be an ETag this service issued, such as W/\"3\"");
    }
    return version;
  }

  /** Whether an If-None-Match header matches the current version (then GET answers 304). */
  public static boolean noneMatchHits(String header, long current) {
    if (header == null || header.isBlank()) {
      return false;
    }
    for (String tag : header.split(",")) {
      String t = tag.trim();
      if (t.equals("*")) {
        return true;
      }
      Long v = parse(t);
      if (v != null && v == current) {
        return true;
      }
    }
    return false;
  }

  public static String etag(long version) {
    return ResourceMeta.etag(version);
  }

  private static Long parse(String tag) {
    String t = tag.startsWith("W/") ? tag.substring(2) : tag;
    if (t.length() < 3 || t.charAt(0) != '"' || t.charAt(t.length() - 1) != '"') {
      return null;
    }
    try {
      return Long.parseLong(t.substring(1, t.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
