package io.provisioninghub.phubctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phubctl tenants ...}: the tenant registry's {@code /tenants}. */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description =
        "Create, list, suspend, resume, rate-limit and delete tenants, and hand out setup links"
            + " (admin API).",
    subcommands = {
      TenantsCommand.Create.class,
      TenantsCommand.ListTenants.class,
      TenantsCommand.Get.class,
      TenantsCommand.Suspend.class,
      TenantsCommand.Resume.class,
      TenantsCommand.RateLimit.class,
      TenantsCommand.Delete.class,
      TenantsCommand.SetupLink.class,
      TenantsCommand.ListSetupLinks.class,
      TenantsCommand.RevokeSetupLink.class,
      ConsoleSignInCommand.class
    })
final class TenantsCommand {

  static String line(JsonNode t) {
    JsonNode rate = t.path("rateLimit");
    return String.format(
        "%-24s %-10s %s  (rate %s/s, burst %s)",
        t.path("id").asText(),
        t.path("status").asText(),
        t.path("displayName").asText(),
        rate.path("requestsPerSecond").asText("-"),
        rate.path("burst").asText("-"));
  }

  static Map<String, Object> rateLimit(Integer perSecond, Integer burst) {
    if (perSecond == null && burst == null) {
      return null;
    }
    Map<String, Object> rate = new LinkedHashMap<>();
    rate.put("requestsPerSecond", perSecond);
    rate.put("burst", burst);
    return rate;
  }

  /** {@code POST /tenants/{id}/<action>}, printed as "<done> <tenant>". */
  static void changeStatus(CommandSpec spec, String id, String action, String done) {
    Phubctl root = Phubctl.of(spec);
    root.print(
        root.admin().post("/tenants/" + ApiClient.segment(id) + "/" + action, null),
        t -> done + " " + line(t));
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant.")
  static final class Create implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--id",
        description = "lowercase letters, digits and '-', 2-63 characters; generated if absent")
    String id;

    @Option(names = "--display-name", required = true, description = "e.g. \"Contoso Ltd\"")
    String displayName;

    @Option(names = "--idp-tenant-id", description = "the customer's IdP tenant id (Entra tid)")
    String idpTenantId;

    @Option(names = "--requests-per-second", description = "sustained rate limit per gateway")
    Integer perSecond;

    @Option(names = "--burst", description = "burst of the rate limit")
    Integer burst;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      body.put("displayName", displayName);
      body.put("idpTenantId", idpTenantId);
      body.put("rateLimit", rateLimit(perSecond, burst));
      root.print(root.admin().post("/tenants", body), t -> "created " + line(t));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants.")
  static final class ListTenants implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin().get("/tenants"),
          list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(t -> text.append(line(t)).append('\n'));
            return text.append(list.size()).append(" tenant(s)").toString();
          });
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one tenant.")
  static final class Get implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String id;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(root.admin().get("/tenants/" + ApiClient.segment(id)), TenantsCommand::line);
    }
  }

  @Command(
      name = "suspend",
      mixinStandardHelpOptions = true,
      description = "Suspend a tenant: its SCIM requests are refused (403) until resumed.")
  static final class Suspend implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String id;

    @Override
    public void run() {
      changeStatus(spec, id, "suspend", "suspended");
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a tenant.")
  static final class Resume implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String id;

    @Override
    public void run() {
      changeStatus(spec, id, "resume", "resumed");
    }
  }

  @Command(
      name = "rate-limit",
      mixinStandardHelpOptions = true,
      description = "Set a tenant's rate limit (per gateway instance).")
  static final class RateLimit implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String id;

    @Option(names = "--requests-per-second", required = true)
    int perSecond;

    @Option(names = "--burst", required = true)
    int burst;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin()
              .patch(
                  "/tenants/" + ApiClient.segment(id),
                  Map.of("rateLimit", rateLimit(perSecond, burst))),
          t -> "rate limit set: " + line(t));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete a tenant and, asynchronously, all its SCIM data. Cannot be undone: needs --yes.")
  static final class Delete implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String id;

    @Option(names = "--yes", description = "confirm the deletion")
    boolean yes;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      if (!yes) {
        throw new Phubctl.Failure(
            Phubctl.USAGE, "deleting tenant " + id + " removes all its data: add --yes to confirm");
      }
      JsonNode answer = root.admin().delete("/tenants/" + ApiClient.segment(id));
      root.print(answer, t -> "deleting " + id + (t.isNull() ? "" : ": " + line(t)));
    }
  }

  // ---------------------------------------------------------------- setup links

  static String setupLinks(String tenant) {
    return "/tenants/" + ApiClient.segment(tenant) + "/setup-links";
  }

  static String setupLinkLine(JsonNode l) {
    return String.format(
        "%-36s %-8s created %s by %s  expires %s%s%s",
        l.path("id").asText(),
        l.path("status").asText(),
        l.path("createdAt").asText("-"),
        l.path("createdBy").asText("-"),
        l.path("expiresAt").asText("-"),
        l.hasNonNull("redeemedAt") ? "  redeemed " + l.get("redeemedAt").asText() : "",
        l.hasNonNull("revokedAt") ? "  revoked " + l.get("revokedAt").asText() : "");
  }

  static String issuedSetupLink(JsonNode l) {
    return "setup link "
        + l.path("id").asText()
        + " for tenant "
        + l.path("tenantId").asText()
        + ", expires "
        + l.path("expiresAt").asText()
        + "\nurl: "
        + l.path("url").asText()
        + "\nThe URL is shown this once and works once: give it to the customer's admin now.";
  }

  @Command(
      name = "setup-link",
      mixinStandardHelpOptions = true,
      description =
          "Create a one-time setup link for an active tenant: a console URL for the customer's"
              + " admin, printed once.")
  static final class SetupLink implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Option(
        names = "--valid-for-minutes",
        paramLabel = "N",
        description = "5-10080 (7 days); the registry's default is 1440 (24 h)")
    Integer validForMinutes;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("validForMinutes", validForMinutes);
      root.print(root.admin().post(setupLinks(tenant), body), TenantsCommand::issuedSetupLink);
    }
  }

  @Command(
      name = "setup-links",
      mixinStandardHelpOptions = true,
      description =
          "List a tenant's setup links, newest first: active, redeemed, expired or revoked"
              + " (never their URLs).")
  static final class ListSetupLinks implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin().get(setupLinks(tenant)),
          list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(l -> text.append(setupLinkLine(l)).append('\n'));
            return text.append(list.size()).append(" setup link(s)").toString();
          });
    }
  }

  @Command(
      name = "revoke-setup-link",
      mixinStandardHelpOptions = true,
      description = "Revoke a setup link: it can no longer be redeemed.")
  static final class RevokeSetupLink implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Parameters(index = "1", paramLabel = "LINK_ID")
    String link;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin().post(setupLinks(tenant) + "/" + ApiClient.segment(link) + "/revoke", null),
          l ->
              "redeemed".equals(l.path("status").asText())
                  ? "not revoked, already redeemed: " + setupLinkLine(l)
                  : "revoked " + setupLinkLine(l));
    }
  }
}
