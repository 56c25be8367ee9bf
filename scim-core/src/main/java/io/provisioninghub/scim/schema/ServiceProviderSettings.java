package io.provisioninghub.scim.schema;

import java.util.List;

/**
 * What /ServiceProviderConfig advertises. Use {@link #defaults(int)} for what this service
 * implements; the components exist so a test or a gateway option can state it explicitly.
 *
 * @param documentationUri help page for administrators, or null to leave it out
 */
public record ServiceProviderSettings(
    boolean patchSupported,
    boolean bulkSupported,
    int bulkMaxOperations,
    int bulkMaxPayloadSize,
    boolean filterSupported,
    int filterMaxResults,
    boolean changePasswordSupported,
    boolean sortSupported,
    boolean etagSupported,
    List<AuthenticationScheme> authenticationSchemes,
    String documentationUri) {

  public ServiceProviderSettings {
    authenticationSchemes = List.copyOf(authenticationSchemes);
    if (filterMaxResults < 0 || bulkMaxOperations < 0 || bulkMaxPayloadSize < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  /** One entry of {@code authenticationSchemes} (RFC 7643 section 5). */
  public record AuthenticationScheme(
      String type, String name, String description, String specUri, boolean primary) {

    /** The OAuth 2.0 bearer token scheme (RFC 6750) used by Entra ID and Okta. */
    public static AuthenticationScheme oauthBearerToken() {
      return new AuthenticationScheme(
          "oauthbearertoken",
          "OAuth Bearer Token",
          "Authentication with a bearer token: the tenant's SCIM secret or a JWT from its issuer.",
          "https://www.rfc-editor.org/info/rfc6750",
          true);
    }
  }

  /**
   * PATCH yes, bulk no, filter yes, changePassword no, sort yes, ETag yes, bearer tokens. The
   * gateway states bulk itself, with the limits it is configured with.
   */
  public static ServiceProviderSettings defaults(int filterMaxResults) {
    return new ServiceProviderSettings(
        true,
        false,
        0,
        0,
        true,
        filterMaxResults,
        false,
        true,
        true,
        List.of(AuthenticationScheme.oauthBearerToken()),
        null);
  }
}
