package io.provisioninghub.console.signin;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.session.SessionCodec;
import io.provisioninghub.console.upstream.RegistryApi.SignInClient;
import io.provisioninghub.console.upstream.RegistryClient.SignInLookup;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.oidc.runtime.OidcTenantConfig.TokenStateManager.Strategy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * The OIDC tenant of a customer's sign-in: on {@code /console/tenant-sign-in/<T>} only, a web-app
 * tenant {@code customer-<T>} built from the registry's settings for T (issuer, client id and
 * secret), so quarkus-oidc runs the authorization code flow (state, nonce, PKCE, ID token checks)
 * against the customer's own identity provider. Every other path keeps the configured tenants (the
 * operators' default tenant on {@code /console/operator}).
 */
@ApplicationScoped
public class CustomerTenantResolver implements TenantConfigResolver {

  /** Where a customer's admin starts, and where the identity provider sends the code back. */
  public static final String PATH = "/console/tenant-sign-in/";

  /** The OIDC tenant id of tenant T's sign-in. */
  public static final String TENANT_PREFIX = "customer-";

  private static final Logger LOG = Logger.getLogger(CustomerTenantResolver.class);

  private final SignInDirectory directory;
  private final SessionCodec codec;
  private final boolean cookieSecure;

  public CustomerTenantResolver(
      SignInDirectory directory, SessionCodec codec, ConsoleConfig config) {
    this.directory = directory;
    this.codec = codec;
    this.cookieSecure = config.cookieSecure();
  }

  /**
   * The OIDC tenant id of these settings: {@code customer-<T>-} and a fingerprint of issuer, client
   * and secret, so changed settings make a new OIDC tenant instead of reusing the old one.
   */
  public static String oidcTenantId(SignInClient client) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (client.issuer() + "\n" + client.clientId() + "\n" + client.clientSecret())
                      .getBytes(StandardCharsets.UTF_8));
      return TENANT_PREFIX + client.tenantId() + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tenant a sign-in path names, or null for any other path. */
  public static String tenantOf(String path) {
    if (path == null || !path.startsWith(PATH)) {
      return null;
    }
    String tenant = path.substring(PATH.length());
    return SignInDirectory.isTenantId(tenant) ? tenant : null;
  }

  @Override
  public Uni<OidcTenantConfig> resolve(
      RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
    String tenant = tenantOf(context.normalizedPath());
    if (tenant == null) {
      return Uni.createFrom().nullItem();
    }
    return requestContext.runBlocking(() -> config(tenant));
  }

  private OidcTenantConfig config(String tenant) {
    SignInLookup lookup;
    try {
      lookup = directory.lookup(tenant);
    } catch (RuntimeException e) {
      // The sign-in page itself asks again and shows the failure.
      LOG.debugf("sign-in settings of tenant %s unavailable: %s", tenant, e.getMessage());
      return null;
    }
    if (!(lookup instanceof SignInLookup.Configured configured)) {
      return null;
    }
    SignInClient client = configured.client();
    String path = PATH + tenant;
    return OidcTenantConfig.builder()
        .tenantId(oidcTenantId(client))
        .applicationType(ApplicationType.WEB_APP)
        .authServerUrl(client.issuer())
        .clientId(client.clientId())
        .credentials(client.clientSecret())
        .authentication()
        .redirectPath(path)
        .restorePathAfterRedirect(false)
        // The code is redeemed and the page answers in the same request: no second round trip
        // with an OIDC session cookie, which the page ends at once anyway.
        .removeRedirectParameters(false)
        .cookiePath(path)
        .cookieForceSecure(cookieSecure)
        .pkceRequired(true)
        .nonceRequired(true)
        .idTokenRequired(true)
        .scopes("profile")
        .stateSecret(codec.signInStateSecret())
        .javaScriptAutoRedirect(false)
        .end()
        .tokenStateManager()
        .strategy(Strategy.ID_TOKEN)
        .encryptionSecret(codec.signInStateSecret())
        .end()
        .build();
  }
}
