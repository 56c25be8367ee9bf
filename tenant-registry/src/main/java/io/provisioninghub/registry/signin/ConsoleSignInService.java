package io.provisioninghub.registry.signin;

import static io.provisioninghub.registry.error.RegistryException.badRequest;
import static io.provisioninghub.registry.error.RegistryException.notFound;

import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.error.RegistryException;
import io.provisioninghub.registry.signin.ConsoleSignInApi.ConsoleSignInClient;
import io.provisioninghub.registry.signin.ConsoleSignInApi.ConsoleSignInInput;
import io.provisioninghub.registry.signin.ConsoleSignInApi.ConsoleSignInView;
import io.provisioninghub.registry.signin.ConsoleSignInApi.RequiredClaim;
import io.provisioninghub.registry.tenants.TenantRow;
import io.provisioninghub.registry.tenants.TenantStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Per tenant, the customer's own identity provider that signs its admins in to the console. The
 * client secret is sealed before it is stored and is never in an answer of the admin API, a log
 * line or the change log; only the console's own read ({@link #forConsole}) opens it.
 */
@ApplicationScoped
public class ConsoleSignInService {

  private static final Logger LOG = Logger.getLogger(ConsoleSignInService.class);

  /** The subject of the admin token the console signs to read the settings with the secret. */
  public static final String CONSOLE_SUBJECT = "console:sign-in";

  static final int MAX_TEXT = 512;
  static final int MAX_SECRET = 1024;
  static final int MAX_VALUES = 20;
  private static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,100}");

  private final Db db;
  private final TenantStore tenants;
  private final ConsoleSignInStore store;
  private final AdminChangeLog changes;
  private final SignInSecrets secrets;

  public ConsoleSignInService(
      Db db,
      TenantStore tenants,
      ConsoleSignInStore store,
      AdminChangeLog changes,
      SignInSecrets secrets) {
    this.db = db;
    this.tenants = tenants;
    this.store = store;
    this.changes = changes;
    this.secrets = secrets;
  }

  public ConsoleSignInView set(String tenantId, ConsoleSignInInput input) {
    if (input == null) {
      throw badRequest("send a JSON body with issuer, clientId and clientSecret");
    }
    String issuer = issuer(input.issuer());
    String clientId = text(input.clientId(), "clientId", MAX_TEXT);
    String secret =
        input.clientSecret() == null
            ? null
            : text(input.clientSecret(), "clientSecret", MAX_SECRET);
    RequiredClaim claim = claim(input.requiredClaim());
    ConsoleSignInRow row =
        db.inTransaction(
            c -> {
              existingTenant(c, tenantId, true);
              if (secret == null && store.find(c, tenantId).isEmpty()) {
                throw badRequest("clientSecret is required the first time the sign-in is set");
              }
              byte[] sealed = secret == null ? null : secrets.seal(tenantId, secret);
              ConsoleSignInRow saved =
                  store.upsert(c, tenantId, issuer, clientId, sealed, claim, changes.principal());
              changes.record(c, "console-sign-in.set", tenantId, issuer);
              return saved;
            });
    LOG.infof(
        "tenant %s: console sign-in set (issuer %s, client %s, secret %s)",
        tenantId, issuer, clientId, secret == null ? "kept" : "replaced");
    return ConsoleSignInView.of(row);
  }

  public ConsoleSignInView get(String tenantId) {
    return ConsoleSignInView.of(
        db.inTransaction(
            c -> {
              existingTenant(c, tenantId, false);
              return store.find(c, tenantId).orElseThrow(() -> notConfigured(tenantId));
            }));
  }

  public void remove(String tenantId) {
    db.inTransaction(
        c -> {
          existingTenant(c, tenantId, true);
          if (!store.delete(c, tenantId)) {
            throw notConfigured(tenantId);
          }
          changes.record(c, "console-sign-in.remove", tenantId, null);
          return null;
        });
    LOG.infof("tenant %s: console sign-in removed", tenantId);
  }

  /**
   * The settings with the opened secret, for the console only: 404 (type {@code
   * console-sign-in-not-configured}) without settings, 409 (type {@code tenant-not-active}) for a
   * tenant that is not active.
   */
  public ConsoleSignInClient forConsole(String tenantId, String principal) {
    if (!CONSOLE_SUBJECT.equals(principal)) {
      throw new RegistryException(
          403, "only the console reads the sign-in settings with their secret");
    }
    return db.inTransaction(
        c -> {
          TenantRow tenant =
              tenants.find(c, tenantId, false).orElseThrow(() -> notConfigured(tenantId));
          ConsoleSignInRow row = store.find(c, tenantId).orElseThrow(() -> notConfigured(tenantId));
          if (tenant.status() != TenantStatus.ACTIVE) {
            throw new RegistryException(
                409, "tenant-not-active", "tenant '" + tenantId + "' is not active");
          }
          return new ConsoleSignInClient(
              tenantId,
              tenant.displayName(),
              row.issuer(),
              row.clientId(),
              secrets.open(tenantId, row.clientSecretSealed()),
              row.requiredClaim());
        });
  }

  private static RegistryException notConfigured(String tenantId) {
    return new RegistryException(
        404,
        "console-sign-in-not-configured",
        "tenant '" + tenantId + "' has no console sign-in configured");
  }

  private TenantRow existingTenant(Connection c, String tenantId, boolean lock)
      throws SQLException {
    return tenants
        .find(c, tenantId, lock)
        .orElseThrow(() -> notFound("no tenant '" + tenantId + "'"));
  }

  /**
   * An https URL without query, fragment or user info; http only to a loopback host (tests and
   * local development), as for a tenant's oauthTrust URLs.
   */
  static String issuer(String value) {
    String issuer = text(value, "issuer", MAX_TEXT);
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (URISyntaxException e) {
      throw badRequest("issuer is not a URL");
    }
    boolean loopback =
        "http".equals(uri.getScheme())
            && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    if (uri.getHost() == null || !("https".equals(uri.getScheme()) || loopback)) {
      throw badRequest(
          "issuer must be an https URL, e.g. https://login.microsoftonline.com/{tid}/v2.0");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw badRequest("issuer must not have a query, a fragment or user info");
    }
    return issuer;
  }

  private static String text(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      throw badRequest(field + " is required");
    }
    if (value.length() > max
        || !value.strip().equals(value)
        || value.chars().anyMatch(ch -> ch < 0x20)) {
      throw badRequest(
          field
              + " must be at most "
              + max
              + " characters, without surrounding spaces or controls");
    }
    return value;
  }

  private static RequiredClaim claim(RequiredClaim claim) {
    if (claim == null) {
      return null;
    }
    if (claim.name() == null || !CLAIM_NAME.matcher(claim.name()).matches()) {
      throw badRequest(
          "requiredClaim.name must be a claim name (letters, digits, _ . : / -), e.g. roles");
    }
    List<String> values = claim.values();
    if (values == null || values.isEmpty() || values.size() > MAX_VALUES) {
      throw badRequest("requiredClaim.values must list 1-" + MAX_VALUES + " accepted values");
    }
    for (String v : values) {
      text(v, "requiredClaim.values[]", MAX_TEXT);
    }
    return new RequiredClaim(claim.name(), List.copyOf(values));
  }
}
