package io.provisioninghub.console.operator;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.operator.OperatorPages.ConfirmPage;
import io.provisioninghub.console.operator.OperatorPages.Dashboard;
import io.provisioninghub.console.operator.OperatorPages.SecretPage;
import io.provisioninghub.console.operator.OperatorPages.SignIn;
import io.provisioninghub.console.operator.OperatorPages.TenantPage;
import io.provisioninghub.console.operator.OperatorPages.TenantRow;
import io.provisioninghub.console.operator.OperatorPages.TenantsPage;
import io.provisioninghub.console.operator.OperatorPages.Traffic;
import io.provisioninghub.console.setup.SetupPage.CredentialRow;
import io.provisioninghub.console.signin.CustomerTenantResolver;
import io.provisioninghub.console.upstream.RegistryApi.IssuedCredential;
import io.provisioninghub.console.upstream.RegistryApi.Tenant;
import io.provisioninghub.console.upstream.Upstream;
import io.provisioninghub.console.upstream.UpstreamRejected;
import io.provisioninghub.console.upstream.UpstreamUnavailable;
import io.provisioninghub.console.web.BadInput;
import io.provisioninghub.console.web.Format;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The operator's tenants: every tenant with its last hour against Entra ID's quarantine threshold,
 * and one tenant's status, rate limit and SCIM credentials (issue, rotate, revoke). Each change
 * goes to the registry with an admin token naming the operator. A tenant is named in the query
 * ({@code ?id=}), not the path: quarkus-rest-csrf hands out form tokens on exact paths only.
 */
@Path("/console/operator")
@Blocking
public class OperatorTenantsResource {

  private static final Logger LOG = Logger.getLogger(OperatorTenantsResource.class);
  static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Duration WINDOW = Duration.ofHours(1);

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance tenants(TenantsPage page);

    static native TemplateInstance tenant(TenantPage page);

    static native TemplateInstance secret(SecretPage page);

    static native TemplateInstance confirm(ConfirmPage page);
  }

  private final Operators operators;
  private final OperatorRegistry registry;
  private final OperatorAudit audit;
  private final ConsoleConfig config;
  private final SecurityIdentity identity;

  private final UriInfo uriInfo;

  public OperatorTenantsResource(
      Operators operators,
      OperatorRegistry registry,
      OperatorAudit audit,
      ConsoleConfig config,
      SecurityIdentity identity,
      UriInfo uriInfo) {
    this.uriInfo = uriInfo;
    this.operators = operators;
    this.registry = registry;
    this.audit = audit;
    this.config = config;
    this.identity = identity;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance tenants() {
    Operator operator = operators.require(identity);
    Instant from = Instant.now().minus(WINDOW);
    List<TenantRow> rows = new ArrayList<>();
    for (Tenant t : registry.tenants(operator)) {
      rows.add(TenantRow.of(t, traffic(operator, t.id(), from)));
    }
    return Templates.tenants(new TenantsPage(operator.name(), rows, dashboards()));
  }

  @GET
  @Path("tenant")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance tenant(@QueryParam("id") String id, @QueryParam("done") String done) {
    Operator operator = operators.require(identity);
    return tenantPage(operator, tenantId(id), notice(done));
  }

  @POST
  @Path("tenant/rate-limit")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response rateLimit(
      @FormParam("id") String id,
      @FormParam("requestsPerSecond") String perSecond,
      @FormParam("burst") String burst) {
    Operator operator = operators.require(identity);
    String tenantId = tenantId(id);
    int rate = positive(perSecond, "Requests per second");
    int size = positive(burst, "Burst");
    registry.rateLimit(operator, tenantId, rate, size);
    LOG.infof(
        "operator %s: tenant %s rate limit %d/s burst %d", operator.name(), tenantId, rate, size);
    return back(tenantId, "rate-limit");
  }

  /** Without {@code confirm=yes}, asks first. */
  @POST
  @Path("tenant/suspend")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public Response suspend(@FormParam("id") String id, @FormParam("confirm") String confirm) {
    Operator operator = operators.require(identity);
    String tenantId = tenantId(id);
    if (!"yes".equals(confirm)) {
      return Response.ok(
              Templates.confirm(
                  new ConfirmPage(
                      operator.name(),
                      tenantId,
                      "Suspend " + tenantId + "?",
                      "The gateways refuse every SCIM request of this tenant (HTTP 403) within"
                          + " seconds, until it is resumed. Its identity provider counts the"
                          + " refusals as failures.",
                      "/console/operator/tenant/suspend",
                      null,
                      "Yes, suspend " + tenantId)))
          .build();
    }
    registry.suspend(operator, tenantId);
    LOG.infof("operator %s: tenant %s suspended", operator.name(), tenantId);
    return back(tenantId, "suspended");
  }

  @POST
  @Path("tenant/resume")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response resume(@FormParam("id") String id) {
    Operator operator = operators.require(identity);
    String tenantId = tenantId(id);
    registry.resume(operator, tenantId);
    LOG.infof("operator %s: tenant %s resumed", operator.name(), tenantId);
    return back(tenantId, "resumed");
  }

  @POST
  @Path("tenant/credentials")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance issue(
      @FormParam("id") String id, @FormParam("expiresInDays") String expiresInDays) {
    Operator operator = operators.require(identity);
    String tenantId = tenantId(id);
    IssuedCredential issued = registry.issue(operator, tenantId, days(expiresInDays));
    LOG.infof(
        "operator %s: tenant %s credential %s issued", operator.name(), tenantId, issued.id());
    return secret(operator, tenantId, issued, null, null);
  }

  @POST
  @Path("tenant/credentials/rotate")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance rotate(
      @FormParam("id") String id,
      @FormParam("credential") String credential,
      @FormParam("oldValidForHours") String oldValidForHours,
      @FormParam("expiresInDays") String expiresInDays) {
    Operator operator = operators.require(identity);
    String tenantId = tenantId(id);
    String credentialId = credentialId(credential);
    // 0: the old one stops at once (a leaked secret); otherwise the customer gets time to switch.
    Duration overlap =
        Duration.ofHours(
            oldValidForHours == null || oldValidForHours.isBlank()
                ? 168
                : zeroOrMore(oldValidForHours, "Old one valid for (hours)"));
    IssuedCredential issued =
        registry.rotate(operator, tenantId, credentialId, days(expiresInDays), overlap);
    LOG.infof(
        "operator %s: tenant %s credential %s rotated to %s",
        operator.name(), tenantId, credentialId, issued.id());
    return secret(
        operator,
        tenantId,
        issued,
        credentialId,
        overlap.isZero() ? null : overlap.toHours() + " hours");
  }

  /** Without {@code confirm=yes}, asks first. */
  @POST
  @Path("tenant/credentials/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  public Response revoke(
      @FormParam("id") String id,
      @FormParam("credential") String credential,
      @FormParam("confirm") String confirm) {
    Operator operator = operators.require(identity);
    String tenantId = tenantId(id);
    String credentialId = credentialId(credential);
    if (!"yes".equals(confirm)) {
      return Response.ok(
              Templates.confirm(
                  new ConfirmPage(
                      operator.name(),
                      tenantId,
                      "Revoke credential " + credentialId + "?",
                      "The gateways refuse this Secret Token within seconds; the tenant's"
                          + " identity provider stops provisioning until it has another one."
                          + " This cannot be undone.",
                      "/console/operator/tenant/credentials/revoke",
                      credentialId,
                      "Yes, revoke " + credentialId)))
          .build();
    }
    registry.revoke(operator, tenantId, credentialId);
    LOG.infof(
        "operator %s: tenant %s credential %s revoked", operator.name(), tenantId, credentialId);
    return back(tenantId, "revoked");
  }

  private TemplateInstance tenantPage(Operator operator, String tenantId, String notice) {
    Tenant t = registry.tenant(operator, tenantId);
    List<CredentialRow> credentials =
        registry.credentials(operator, tenantId).stream().map(CredentialRow::of).toList();
    return Templates.tenant(
        new TenantPage(
            operator.name(),
            t.id(),
            t.displayName(),
            OperatorPages.lower(t.status()),
            t.active(),
            t.suspended(),
            t.rateLimit() == null ? 0 : t.rateLimit().requestsPerSecond(),
            t.rateLimit() == null ? 0 : t.rateLimit().burst(),
            traffic(operator, tenantId, Instant.now().minus(WINDOW)),
            credentials,
            config
                .grafanaUrl()
                .map(g -> root(g.toString()) + "/d/phub-tenants?var-tenant=" + tenantId)
                .orElse(null),
            signIn(operator, tenantId),
            notice));
  }

  private SignIn signIn(Operator operator, String tenantId) {
    String url =
        root(uriInfo.getBaseUri().toString())
            + CustomerTenantResolver.PATH
            + Upstream.segment(tenantId);
    OperatorRegistry.ConsoleSignIn settings = registry.consoleSignIn(operator, tenantId);
    if (settings == null) {
      return new SignIn(false, url, null, null, null);
    }
    String claim =
        settings.requiredClaim() == null
            ? null
            : settings.requiredClaim().name()
                + " contains one of: "
                + String.join(", ", settings.requiredClaim().values());
    return new SignIn(true, url, settings.issuer(), settings.clientId(), claim);
  }

  private TemplateInstance secret(
      Operator operator,
      String tenantId,
      IssuedCredential issued,
      String replaced,
      String oldValidFor) {
    return Templates.secret(
        new SecretPage(
            operator.name(),
            tenantId,
            issued.id(),
            issued.secret(),
            issued.expiresAt() == null ? "never" : Format.time(issued.expiresAt()),
            replaced,
            oldValidFor));
  }

  /** The last hour's figures; a tenant the audit log cannot answer for shows "unknown". */
  private Traffic traffic(Operator operator, String tenantId, Instant from) {
    try {
      return Traffic.of(audit.summary(operator, tenantId, from));
    } catch (UpstreamUnavailable | UpstreamRejected e) {
      LOG.warnf("no summary for tenant %s: %s", tenantId, e.getMessage());
      return Traffic.unknown();
    }
  }

  private List<Dashboard> dashboards() {
    return config
        .grafanaUrl()
        .map(
            g -> {
              String root = root(g.toString());
              return List.of(
                  new Dashboard("Overview", root + "/d/phub-overview"),
                  new Dashboard("Per tenant", root + "/d/phub-tenants"),
                  new Dashboard("Kafka pipeline", root + "/d/phub-kafka-pipeline"),
                  new Dashboard("Audit and support API", root + "/d/phub-audit"),
                  new Dashboard("JVM and database pools", root + "/d/phub-jvm-db"),
                  new Dashboard("Kafka and PostgreSQL servers", root + "/d/phub-infra"));
            })
        .orElse(List.of());
  }

  private static String root(String url) {
    return url.replaceAll("/+$", "");
  }

  private static Response back(String tenantId, String done) {
    return Response.status(Response.Status.SEE_OTHER)
        .header("Location", "/console/operator/tenant?id=" + tenantId + "&done=" + done)
        .build();
  }

  private static String notice(String done) {
    if (done == null) {
      return null;
    }
    return switch (done) {
      case "rate-limit" -> "Rate limit changed. The gateways apply it within seconds.";
      case "suspended" -> "Tenant suspended. Its SCIM requests are refused until it is resumed.";
      case "resumed" -> "Tenant resumed. Its SCIM requests are accepted again.";
      case "revoked" -> "Credential revoked. The gateways refuse it within seconds.";
      default -> null;
    };
  }

  static String tenantId(String id) {
    if (id == null || !TENANT_ID.matcher(id).matches()) {
      throw new BadInput("That is not a tenant id.");
    }
    return id;
  }

  private static String credentialId(String id) {
    if (id == null || !CREDENTIAL_ID.matcher(id).matches()) {
      throw new BadInput("That is not a credential id.");
    }
    return id;
  }

  private static Integer days(String value) {
    return value == null || value.isBlank() ? null : positive(value, "Expires in (days)");
  }

  private static int zeroOrMore(String value, String field) {
    return "0".equals(value == null ? null : value.trim()) ? 0 : positive(value, field);
  }

  private static int positive(String value, String field) {
    try {
      int n = Integer.parseInt(value == null ? "" : value.trim());
      if (n > 0 && n <= 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new BadInput(field + " must be a whole number from 1 to 1000000.");
  }
}
