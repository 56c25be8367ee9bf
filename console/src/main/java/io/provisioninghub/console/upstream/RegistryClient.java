package io.provisioninghub.console.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.session.CustomerSession;
import io.provisioninghub.console.upstream.RegistryApi.Credential;
import io.provisioninghub.console.upstream.RegistryApi.IssuedCredential;
import io.provisioninghub.console.upstream.RegistryApi.Redeemed;
import io.provisioninghub.console.upstream.RegistryApi.SignInClient;
import io.provisioninghub.console.upstream.Upstream.Reply;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The tenant registry's admin API, called with an admin token the console signs per call. Every
 * call about a tenant takes the customer's session and nothing else: the tenant in the path is the
 * session's.
 */
@Singleton
public class RegistryClient {

  static final String SERVICE = "registry";

  private final Upstream upstream;
  private final ServiceTokens tokens;
  private final URI base;

  public RegistryClient(Upstream upstream, ServiceTokens tokens, ConsoleConfig config) {
    this.upstream = upstream;
    this.tokens = tokens;
    this.base = config.registryUrl();
  }

  /**
   * Redeems a setup link once.
   *
   * @throws SetupLinkRefused unknown, already used, expired, revoked, or the tenant is not active
   */
  public Redeemed redeem(String token) {
    HttpRequest request =
        upstream
            .request(
                base,
                "/admin/v1/setup-links/redeem",
                tokens.admin(ServiceTokens.SETUP_LINK_SUBJECT))
            .header("Content-Type", "application/json")
            .POST(upstream.body(Map.of("token", token)))
            .build();
    Reply reply = upstream.send(SERVICE, request);
    if (reply.status() == 200) {
      Redeemed redeemed = upstream.read(SERVICE, reply, Redeemed.class);
      if (redeemed.tenantId() == null || redeemed.tenantId().isBlank()) {
        throw new UpstreamUnavailable(SERVICE, "redeemed a link without naming its tenant");
      }
      return redeemed;
    }
    JsonNode problem = upstream.tree(reply);
    String type =
        problem != null && problem.hasNonNull("type") ? problem.get("type").asText() : null;
    SetupLinkRefusal refusal = SetupLinkRefusal.of(reply.status(), type);
    if (refusal == null) {
      throw unexpected(reply);
    }
    throw new SetupLinkRefused(refusal);
  }

  /** The subject of the admin token that reads a tenant's sign-in settings (no session yet). */
  public static final String SIGN_IN_SUBJECT = "console:sign-in";

  /** What the registry says about a tenant's console sign-in. */
  public sealed interface SignInLookup {
    /** Configured, for an active tenant. */
    record Configured(SignInClient client) implements SignInLookup {}

    /** No such tenant, or no sign-in configured for it. */
    record NotConfigured() implements SignInLookup {}

    /** Configured, but the tenant is suspended or being deleted. */
    record NotActive() implements SignInLookup {}
  }

  /**
   * A tenant's console sign-in settings with the client secret, read with the console's own admin
   * token ({@value #SIGN_IN_SUBJECT}).
   */
  public SignInLookup signIn(String tenantId) {
    HttpRequest request =
        upstream
            .request(
                base,
                "/admin/v1/tenants/" + Upstream.segment(tenantId) + "/console-sign-in/client",
                tokens.admin(SIGN_IN_SUBJECT))
            .GET()
            .build();
    Reply reply = upstream.send(SERVICE, request);
    return switch (reply.status()) {
      case 200 -> {
        SignInClient client = upstream.read(SERVICE, reply, SignInClient.class);
        if (!tenantId.equals(client.tenantId())
            || client.issuer() == null
            || client.clientId() == null
            || client.clientSecret() == null) {
          throw new UpstreamUnavailable(SERVICE, "answered incomplete sign-in settings");
        }
        yield new SignInLookup.Configured(client);
      }
      case 404 -> new SignInLookup.NotConfigured();
      case 409 -> new SignInLookup.NotActive();
      default -> throw unexpected(reply);
    };
  }

  /** The session's tenant's credentials, newest first as the registry lists them. */
  public List<Credential> credentials(CustomerSession session) {
    Reply reply = upstream.send(SERVICE, get(session, "/credentials"));
    expect(reply, 200);
    return Arrays.asList(upstream.read(SERVICE, reply, Credential[].class));
  }

  /** A new credential for the session's tenant, its secret in this answer only. */
  public IssuedCredential issue(CustomerSession session) {
    Reply reply = upstream.send(SERVICE, post(session, "/credentials"));
    expect(reply, 201);
    return upstream.read(SERVICE, reply, IssuedCredential.class);
  }

  /** A successor of one of the session's tenant's credentials; the old one stays valid a while. */
  public IssuedCredential rotate(CustomerSession session, String credentialId) {
    Reply reply =
        upstream.send(
            SERVICE, post(session, "/credentials/" + Upstream.segment(credentialId) + "/rotate"));
    expect(reply, 201);
    return upstream.read(SERVICE, reply, IssuedCredential.class);
  }

  /** Revokes one of the session's tenant's credentials. */
  public Credential revoke(CustomerSession session, String credentialId) {
    Reply reply =
        upstream.send(
            SERVICE, post(session, "/credentials/" + Upstream.segment(credentialId) + "/revoke"));
    expect(reply, 200);
    return upstream.read(SERVICE, reply, Credential.class);
  }

  private HttpRequest get(CustomerSession session, String path) {
    return tenantRequest(session, path).GET().build();
  }

  private HttpRequest post(CustomerSession session, String path) {
    return tenantRequest(session, path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
  }

  private HttpRequest.Builder tenantRequest(CustomerSession session, String path) {
    return upstream.request(
        base,
        "/admin/v1/tenants/" + Upstream.segment(session.tenantId()) + path,
        tokens.admin(session.principal()));
  }

  private static void expect(Reply reply, int status) {
    if (reply.status() == 404) {
      throw new UpstreamNotFound("the registry has no such credential for this tenant");
    }
    if (reply.status() != status) {
      throw unexpected(reply);
    }
  }

  private static UpstreamUnavailable unexpected(Reply reply) {
    return new UpstreamUnavailable(SERVICE, "answered HTTP " + reply.status());
  }
}
