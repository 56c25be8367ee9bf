package io.provisioninghub.console.operator;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.upstream.RegistryApi.Credential;
import io.provisioninghub.console.upstream.RegistryApi.IssuedCredential;
import io.provisioninghub.console.upstream.RegistryApi.Tenant;
import io.provisioninghub.console.upstream.ServiceTokens;
import io.provisioninghub.console.upstream.Upstream;
import io.provisioninghub.console.upstream.Upstream.Reply;
import io.provisioninghub.console.upstream.UpstreamNotFound;
import io.provisioninghub.console.upstream.UpstreamUnavailable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant registry's admin API for the operator pages: any tenant, each call with an admin token
 * naming the operator ({@code console:operator:<name>}), so the registry's change log records who
 * acted.
 */
@Singleton
public class OperatorRegistry {

  static final String SERVICE = "registry";

  private final Upstream upstream;
  private final ServiceTokens tokens;
  private final URI base;

  public OperatorRegistry(Upstream upstream, ServiceTokens tokens, ConsoleConfig config) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.base = config.registryUrl();
  }

  public List<Tenant> tenants(Operator operator) {
    Reply reply = upstream.send(SERVICE, request(operator, "/tenants").GET().build());
    expect(reply, 200);
    return Arrays.asList(upstream.read(SERVICE, reply, Tenant[].class));
  }

  public Tenant tenant(Operator operator, String tenantId) {
    Reply reply = upstream.send(SERVICE, request(operator, tenantPath(tenantId)).GET().build());
    expect(reply, 200);
    return upstream.read(SERVICE, reply, Tenant.class);
  }

  public Tenant rateLimit(Operator operator, String tenantId, int perSecond, int burst) {
    Map<String, Object> body =
        Map.of("rateLimit", Map.of("requestsPerSecond", perSecond, "burst", burst));
    Reply reply =
        upstream.send(
            SERVICE,
            request(operator, tenantPath(tenantId))
                .header("Content-Type", "application/json")
                .method("PATCH", upstream.body(body))
                .build());
    expect(reply, 200);
    return upstream.read(SERVICE, reply, Tenant.class);
  }

  public Tenant suspend(Operator operator, String tenantId) {
    return tenantAction(operator, tenantId, "/suspend");
  }

  public Tenant resume(Operator operator, String tenantId) {
    return tenantAction(operator, tenantId, "/resume");
  }

  public List<Credential> credentials(Operator operator, String tenantId) {
    Reply reply =
        upstream.send(
            SERVICE, request(operator, tenantPath(tenantId) + "/credentials").GET().build());
    expect(reply, 200);
    return Arrays.asList(upstream.read(SERVICE, reply, Credential[].class));
  }

  /** A new credential, its secret in this answer only. */
  public IssuedCredential issue(Operator operator, String tenantId, Integer expiresInDays) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("expiresInDays", expiresInDays);
    Reply reply = post(operator, tenantPath(tenantId) + "/credentials", body);
    expect(reply, 201);
    return upstream.read(SERVICE, reply, IssuedCredential.class);
  }

  /** A successor; the old credential stays valid for {@code oldValidFor}. */
  public IssuedCredential rotate(
      Operator operator,
      String tenantId,
      String credentialId,
      Integer expiresInDays,
      Duration oldValidFor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("expiresInDays", expiresInDays);
    body.put("oldValidForSeconds", oldValidFor.toSeconds());
    Reply reply =
        post(
            operator,
            tenantPath(tenantId) + "/credentials/" + Upstream.segment(credentialId) + "/rotate",
            body);
    expect(reply, 201);
    return upstream.read(SERVICE, reply, IssuedCredential.class);
  }

  public Credential revoke(Operator operator, String tenantId, String credentialId) {
    Reply reply =
        post(
            operator,
            tenantPath(tenantId) + "/credentials/" + Upstream.segment(credentialId) + "/revoke",
            Map.of());
    expect(reply, 200);
    return upstream.read(SERVICE, reply, Credential.class);
  }

  private Tenant tenantAction(Operator operator, String tenantId, String action) {
    Reply reply = post(operator, tenantPath(tenantId) + action, Map.of());
    expect(reply, 200);
    return upstream.read(SERVICE, reply, Tenant.class);
  }

  private Reply post(Operator operator, String path, Object body) {
    return upstream.send(
        SERVICE,
        request(operator, path)
            .header("Content-Type", "application/json")
            .POST(upstream.body(body))
            .build());
  }

  /**
   * The tenant's sign-in with its own identity provider as the admin API shows it (never the
   * secret), or null if none is configured.
   */
  public ConsoleSignIn consoleSignIn(Operator operator, String tenantId) {
    Reply reply =
        upstream.send(
            SERVICE, request(operator, tenantPath(tenantId) + "/console-sign-in").GET().build());
    if (reply.status() == 404) {
      return null;
    }
    expect(reply, 200);
    return upstream.read(SERVICE, reply, ConsoleSignIn.class);
  }

  /** A tenant's console sign-in settings without the secret. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record ConsoleSignIn(
      String issuer,
      String clientId,
      io.provisioninghub.console.upstream.RegistryApi.RequiredClaim requiredClaim) {}

  private HttpRequest.Builder request(Operator operator, String path) {
    return upstream.request(base, "/admin/v1" + path, tokens.admin(operator.principal()));
  }

  private static String tenantPath(String tenantId) {
    return "/tenants/" + Upstream.segment(tenantId);
  }

  private void expect(Reply reply, int status) {
    if (reply.status() == status) {
      return;
    }
    if (reply.status() == 404) {
      throw new UpstreamNotFound("the registry has no such tenant or credential");
    }
    if (reply.status() == 400 || reply.status() == 409) {
      var problem = upstream.tree(reply);
      String detail =
          problem != null && problem.hasNonNull("detail")
              ? problem.get("detail").asText()
              : "HTTP " + reply.status();
      throw new ActionRefused("The registry refused: " + detail);
    }
    throw new UpstreamUnavailable(SERVICE, "answered HTTP " + reply.status());
  }
}
