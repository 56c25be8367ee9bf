package io.provisioninghub.phubctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code phubctl credentials ...}: a tenant's SCIM bearer secrets. A secret the registry answers
 * (issue, rotate) is printed once, to standard output only, and never logged; pass it to the
 * customer's admin (Entra's "Secret Token") and forget it.
 */
@Command(
    name = "credentials",
    mixinStandardHelpOptions = true,
    description = "Issue, list, rotate and revoke a tenant's SCIM secrets (admin API).",
    subcommands = {
      CredentialsCommand.Issue.class,
      CredentialsCommand.ListCredentials.class,
      CredentialsCommand.Rotate.class,
      CredentialsCommand.Revoke.class
    })
final class CredentialsCommand {

  static String line(JsonNode c) {
    return String.format(
        "%-38s %-8s created %s  expires %s  last used %s%s",
        c.path("id").asText(),
        c.path("status").asText(),
        c.path("createdAt").asText("-"),
        c.path("expiresAt").asText("never"),
        c.path("lastUsedAt").asText("-"),
        c.hasNonNull("revokedAt") ? "  revoked " + c.get("revokedAt").asText() : "");
  }

  static String issued(JsonNode c) {
    return "credential "
        + c.path("id").asText()
        + " ("
        + c.path("status").asText()
        + ", expires "
        + c.path("expiresAt").asText("never")
        + ")\nsecret: "
        + c.path("secret").asText()
        + "\nThe secret is shown this once: give it to the customer's admin now.";
  }

  private static String credentials(String tenant) {
    return "/tenants/" + ApiClient.segment(tenant) + "/credentials";
  }

  @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue a new secret.")
  static final class Issue implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Option(names = "--expires-in-days", description = "never expires if absent")
    Integer expiresInDays;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("expiresInDays", expiresInDays);
      root.print(root.admin().post(credentials(tenant), body), CredentialsCommand::issued);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a tenant's credentials (never their secrets).")
  static final class ListCredentials implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin().get(credentials(tenant)),
          list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(c -> text.append(line(c)).append('\n'));
            return text.append(list.size()).append(" credential(s)").toString();
          });
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Issue a successor secret; the old one keeps working for --old-valid-for (7 days).")
  static final class Rotate implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Parameters(index = "1", paramLabel = "CREDENTIAL")
    String credential;

    @Option(names = "--expires-in-days", description = "of the new secret; never if absent")
    Integer expiresInDays;

    @Option(
        names = "--old-valid-for",
        paramLabel = "DURATION",
        description = "how long the old secret stays valid: 90s, 30m, 24h, 7d or ISO-8601")
    String oldValidFor;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("expiresInDays", expiresInDays);
      if (oldValidFor != null) {
        Duration d = Durations.parse("--old-valid-for", oldValidFor, true);
        body.put("oldValidForSeconds", d.toSeconds());
      }
      root.print(
          root.admin()
              .post(credentials(tenant) + "/" + ApiClient.segment(credential) + "/rotate", body),
          CredentialsCommand::issued);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a secret at once (gateways refuse it within seconds).")
  static final class Revoke implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Parameters(index = "1", paramLabel = "CREDENTIAL")
    String credential;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin()
              .post(credentials(tenant) + "/" + ApiClient.segment(credential) + "/revoke", null),
          c -> "revoked " + line(c));
    }
  }
}
