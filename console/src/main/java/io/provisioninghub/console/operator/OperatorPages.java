package io.provisioninghub.console.operator;

import io.provisioninghub.console.setup.SetupPage.CredentialRow;
import io.provisioninghub.console.upstream.AuditApi.Summary;
import io.provisioninghub.console.upstream.RegistryApi.Tenant;
import io.provisioninghub.console.web.Format;
import java.util.List;
import java.util.Locale;

/** What the operator pages show. */
public final class OperatorPages {

  private OperatorPages() {}

  /** A link to one of the Grafana dashboards. */
  public record Dashboard(String title, String url) {}

  /**
   * A tenant's traffic in the last hour, from the audit log's summary; {@code known} false if not.
   */
  public record Traffic(
      boolean known,
      long requests,
      String perMinute,
      long failures,
      String failureRate,
      boolean atRisk,
      String risk,
      String threshold) {

    static Traffic of(Summary s) {
      double threshold = s.quarantineThreshold() > 0 ? s.quarantineThreshold() : 0.4;
      String risk;
      if (s.quarantineRisk()) {
        risk = "at risk";
      } else if (s.failureRate() >= threshold / 2) {
        risk = "watch";
      } else {
        risk = "low";
      }
      return new Traffic(
          true,
          s.total(),
          String.format(Locale.ROOT, "%.1f", s.total() / 60.0),
          s.failures(),
          Format.percent(s.failureRate()),
          s.quarantineRisk(),
          risk,
          Format.percent(threshold));
    }

    /** The risk as a CSS class name. */
    public String riskClass() {
      return "risk-" + risk.replace(' ', '-');
    }

    static Traffic unknown() {
      return new Traffic(false, 0, "", 0, "", false, "unknown", "40 %");
    }
  }

  /** One row of the tenants table. */
  public record TenantRow(String id, String displayName, String status, Traffic traffic) {

    static TenantRow of(Tenant t, Traffic traffic) {
      return new TenantRow(t.id(), t.displayName(), lower(t.status()), traffic);
    }
  }

  /** The operator console's start page: every tenant with its last hour. */
  public record TenantsPage(String operator, List<TenantRow> tenants, List<Dashboard> dashboards) {}

  /** One tenant: status, rate limit, credentials and the last hour. */
  public record TenantPage(
      String operator,
      String id,
      String displayName,
      String status,
      boolean active,
      boolean suspended,
      int requestsPerSecond,
      int burst,
      Traffic traffic,
      List<CredentialRow> credentials,
      String dashboard,
      SignIn signIn,
      String notice) {}

  /**
   * Whether the tenant's admins can sign in with their own identity provider, and the address to
   * hand them ({@code configured} false: only setup links).
   */
  public record SignIn(
      boolean configured, String url, String issuer, String clientId, String requiredClaim) {}

  /** A new or successor secret, shown this once. */
  public record SecretPage(
      String operator,
      String tenantId,
      String credentialId,
      String secret,
      String expires,
      String replaced,
      String oldValidFor) {}

  /** Asks before a change that stops a tenant's provisioning. */
  public record ConfirmPage(
      String operator,
      String tenantId,
      String title,
      String question,
      String action,
      String credentialId,
      String button) {}

  static String lower(String status) {
    return status == null ? "" : status.toLowerCase(Locale.ROOT);
  }
}
