package io.provisioninghub.samljit.provision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which SAML claim fills which SCIM attribute. The defaults are the claims Entra ID sends for a
 * non-gallery SAML application; a tenant may replace them through the admin API.
 */
public final class ClaimMapping {

  /** Entra ID's group claim (object ids of the user's groups). */
  public static final String ENTRA_GROUPS =
      "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups";

  /** Entra ID's default claims and the SCIM attribute each fills. */
  public static final Map<String, String> ENTRA_DEFAULTS = entraDefaults();

  /**
   * The SCIM attribute paths a claim may fill: simple core attributes, sub-attributes of {@code
   * name}, and the value of a typed email or phone number.
   */
  private static final Pattern PATH =
      Pattern.compile(
          "userName|displayName|nickName|title|externalId|preferredLanguage|locale|timezone"
              + "|userType|profileUrl"
              + "|name\\.(givenName|familyName|middleName|formatted|honorificPrefix|honorificSuffix)"
              + "|(emails|phoneNumbers)\\[type eq \"(work|home|other|mobile)\"\\]\\.value");

  private ClaimMapping() {}

  public static boolean validPath(String path) {
    return path != null && PATH.matcher(path).matches();
  }

  private static Map<String, String> entraDefaults() {
    String ws = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
    String ms = "http://schemas.microsoft.com/identity/claims/";
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ws + "name", "userName");
    m.put(ws + "givenname", "name.givenName");
    m.put(ws + "surname", "name.familyName");
    m.put(ws + "emailaddress", "emails[type eq \"work\"].value");
    m.put(ms + "displayname", "displayName");
    m.put(ms + "objectidentifier", "externalId");
    return java.util.Collections.unmodifiableMap(m);
  }
}
