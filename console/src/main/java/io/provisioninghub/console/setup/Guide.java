package io.provisioninghub.console.setup;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Step-by-step instructions for one kind of SCIM client, in the words of its admin console. */
public enum Guide {
  ENTRA(
      "entra",
      "Microsoft Entra ID",
      List.of(
          "In the Microsoft Entra admin center, open Enterprise applications and select New"
              + " application, then Create your own application: give it a name and choose"
              + " \"Integrate any other application you don't find in the gallery\". (Or open the"
              + " enterprise application you already use for us.)",
          "Open Provisioning and set Provisioning Mode to Automatic.",
          "Under Admin Credentials, paste the Tenant URL shown on this page, and as Secret Token"
              + " the token you generate below.",
          "Select Test Connection. Entra ID reports that the supplied credentials are"
              + " authorized; if not, check that both values were pasted whole.",
          "Save, then review Mappings: keep userPrincipalName mapped to userName as the matching"
              + " attribute, and keep the group mapping on if you provision groups.",
          "Under Settings, choose the scope (usually \"Sync only assigned users and groups\") and"
              + " assign users and groups to the application.",
          "Set Provisioning Status to On and save. Entra ID starts a cycle within about 40"
              + " minutes; every change it sends appears in your provisioning log here.")),
  OKTA(
      "okta",
      "Okta",
      List.of(
          "In the Okta Admin Console, open the app integration you use for us (or create one)"
              + " and, on its General tab, enable SCIM provisioning.",
          "On the Provisioning tab, under Integration, select Edit: enter the Tenant URL shown on"
              + " this page as SCIM connector base URL and userName as the unique identifier"
              + " field for users.",
          "Choose the provisioning actions: Push New Users, Push Profile Updates and Push Groups.",
          "Set Authentication Mode to HTTP Header and paste the Secret Token you generate below"
              + " as the Bearer token.",
          "Select Test Connector Configuration, then Save.",
          "Under Provisioning, To App, enable Create Users, Update User Attributes and Deactivate"
              + " Users, then assign people and push groups. Every change shows in your"
              + " provisioning log here.")),
  GENERIC(
      "generic",
      "Other SCIM client",
      List.of(
          "Use SCIM 2.0 (RFC 7643 and RFC 7644) with the Tenant URL shown on this page as the"
              + " base URL: users at /Users, groups at /Groups, capabilities at"
              + " /ServiceProviderConfig.",
          "Authenticate every request with the HTTP header \"Authorization: Bearer\" followed by"
              + " the Secret Token you generate below.",
          "Send application/scim+json bodies; match users on userName and groups on"
              + " displayName.",
          "Try the connection: GET the Tenant URL followed by /ServiceProviderConfig answers 200.",
          "Start provisioning. Every change, and the reason for any failure, shows in your"
              + " provisioning log here."));

  private final String key;
  private final String title;
  private final List<String> steps;

  Guide(String key, String title, List<String> steps) {
    this.key = key;
    this.title = title;
    this.steps = steps;
  }

  /** The value of {@code ?client=}. */
  public String key() {
    return key;
  }

  public String title() {
    return title;
  }

  public List<String> steps() {
    return steps;
  }

  /** The guide named by {@code ?client=}: Entra ID when absent, empty when unknown. */
  public static Optional<Guide> of(String client) {
    if (client == null || client.isBlank()) {
      return Optional.of(ENTRA);
    }
    String wanted = client.trim().toLowerCase(Locale.ROOT);
    for (Guide guide : values()) {
      if (guide.key.equals(wanted)) {
        return Optional.of(guide);
      }
    }
    return Optional.empty();
  }
}
