package io.provisioninghub.console.upstream;

import java.util.Locale;

/**
 * Why the registry refused to redeem a setup link: from the problem {@code type}'s last name, or
 * from the status alone when there is no type.
 */
public enum SetupLinkRefusal {
  /** No link has this token (404), or the token is not a setup link's (400). */
  UNKNOWN(404),
  REDEEMED(410),
  EXPIRED(410),
  REVOKED(410),
  /** The tenant is suspended or being deleted. */
  TENANT_NOT_ACTIVE(410),
  /** 410 without a type the console knows: no longer valid, reason not given. */
  GONE(410);

  private final int status;

  SetupLinkRefusal(int status) {
    this.status = status;
  }

  /** The status of the page that says so. */
  public int status() {
    return status;
  }

  /** The refusal of a 400, 404 or 410 answer; null for any other status. */
  public static SetupLinkRefusal of(int status, String type) {
    String name = type == null ? "" : type.substring(type.lastIndexOf(':') + 1);
    name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    switch (name) {
      case "setup-link-unknown":
        return UNKNOWN;
      case "setup-link-redeemed":
        return REDEEMED;
      case "setup-link-expired":
        return EXPIRED;
      case "setup-link-revoked":
        return REVOKED;
      case "tenant-not-active":
        return TENANT_NOT_ACTIVE;
      default:
        break;
    }
    return switch (status) {
      case 400, 404 -> UNKNOWN;
      case 410 -> GONE;
      default -> null;
    };
  }
}
