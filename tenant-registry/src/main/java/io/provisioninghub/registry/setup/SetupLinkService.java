package io.provisioninghub.registry.setup;

import static io.provisioninghub.registry.error.RegistryException.badRequest;
import static io.provisioninghub.registry.error.RegistryException.conflict;
import static io.provisioninghub.registry.error.RegistryException.notFound;

import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.credentials.Secrets;
import io.provisioninghub.registry.error.RegistryException;
import io.provisioninghub.registry.setup.SetupLinkApi.IssuedSetupLink;
import io.provisioninghub.registry.setup.SetupLinkApi.NewSetupLink;
import io.provisioninghub.registry.setup.SetupLinkApi.Redeemed;
import io.provisioninghub.registry.setup.SetupLinkApi.Redemption;
import io.provisioninghub.registry.setup.SetupLinkApi.SetupLinkView;
import io.provisioninghub.registry.setup.SetupLinkStore.Lookup;
import io.provisioninghub.registry.tenants.TenantRow;
import io.provisioninghub.registry.tenants.TenantStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One-time, expiring setup links: an operator creates one for an active tenant and hands its URL to
 * the customer's admin; the console redeems it once to open a session scoped to that tenant. The
 * secret is in the create answer only; the registry keeps its SHA-256, and logs, the change log and
 * {@code tenants.v1} never see it.
 */
@ApplicationScoped
public class SetupLinkService {

  private static final Logger LOG = Logger.getLogger(SetupLinkService.class);

  static final String PREFIX = "phub_setup_";
  static final int DEFAULT_MINUTES = 1440;
  static final int MIN_MINUTES = 5;
  static final int MAX_MINUTES = 10080;

  /** What {@link Secrets#newSecret(String)} makes with this prefix. */
  private static final Pattern TOKEN = Pattern.compile("phub_setup_[A-Za-z0-9_-]{43}");

  private final Db db;
  private final TenantStore tenants;
  private final SetupLinkStore links;
  private final AdminChangeLog changes;
  private final String setupUrl;

  public SetupLinkService(
      Db db,
      TenantStore tenants,
      SetupLinkStore links,
      AdminChangeLog changes,
      RegistryConfig config) {
    this.db = db;
    this.tenants = tenants;
    this.links = links;
    this.changes = changes;
    this.setupUrl = config.consoleBaseUrl().replaceAll("/+$", "") + "/console/setup/";
  }

  public IssuedSetupLink create(String tenantId, NewSetupLink request) {
    Integer asked = request == null ? null : request.validForMinutes();
    int minutes = asked == null ? DEFAULT_MINUTES : asked;
    if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      throw badRequest(
          "validForMinutes must be " + MIN_MINUTES + "-" + MAX_MINUTES + " (7 days); default 1440");
    }
    String secret = Secrets.newSecret(PREFIX);
    SetupLinkRow row =
        db.inTransaction(
            c -> {
              TenantRow tenant = existingTenant(c, tenantId, true);
              if (tenant.status() != TenantStatus.ACTIVE) {
                throw conflict(
                    "tenant '"
                        + tenantId
                        + "' is "
                        + notActive(tenant.status())
                        + ": a setup link is only created for an active tenant");
              }
              SetupLinkRow created =
                  links.insert(
                      c,
                      UUID.randomUUID(),
                      tenantId,
                      Secrets.sha256Hex(secret),
                      changes.principal(),
                      minutes);
              changes.record(c, "setup-link.create", tenantId, created.id().toString());
              return created;
            });
    LOG.infof("tenant %s: setup link %s created, expires %s", tenantId, row.id(), row.expiresAt());
    return new IssuedSetupLink(
        row.id().toString(),
        tenantId,
        setupUrl + secret,
        row.expiresAt(),
        row.createdAt(),
        row.createdBy());
  }

  public List<SetupLinkView> list(String tenantId) {
    return db.inTransaction(
        c -> {
          existingTenant(c, tenantId, false);
          return links.ofTenant(c, tenantId).stream().map(SetupLinkView::of).toList();
        });
  }

  /** Revokes a link; one already redeemed or revoked is answered as it is. */
  public SetupLinkView revoke(String tenantId, String linkId) {
    SetupLinkView revoked =
        db.inTransaction(
            c -> {
              existingTenant(c, tenantId, false);
              UUID id = linkId(tenantId, linkId);
              existingLink(c, tenantId, linkId, id);
              links.revoke(c, id);
              changes.record(c, "setup-link.revoke", tenantId, id.toString());
              return SetupLinkView.of(existingLink(c, tenantId, linkId, id));
            });
    LOG.infof("tenant %s: setup link %s revoked, now %s", tenantId, linkId, revoked.status());
    return revoked;
  }

  /**
   * Redeems a link once: the first redemption of a usable link of an active tenant wins, every
   * other is refused with a problem whose {@code type} says why.
   */
  public Redeemed redeem(Redemption request) {
    if (request == null || request.token() == null) {
      throw badRequest("send a JSON body with token: the phub_setup_... secret of the link");
    }
    if (!TOKEN.matcher(request.token()).matches()) {
      // The token is not repeated in the answer: it may be a secret of some other kind.
      throw badRequest("token is not a setup link's secret (phub_setup_ and 43 characters)");
    }
    String sha256 = Secrets.sha256Hex(request.token());
    Redeemed redeemed =
        db.inTransaction(
            c -> {
              Optional<Redeemed> won = links.redeem(c, sha256);
              if (won.isEmpty()) {
                throw refusal(links.findByHash(c, sha256));
              }
              changes.record(c, "setup-link.redeem", won.get().tenantId(), won.get().linkId());
              return won.get();
            });
    LOG.infof("tenant %s: setup link %s redeemed", redeemed.tenantId(), redeemed.linkId());
    return redeemed;
  }

  /** Why a redemption changed nothing: the link's own state first, else its tenant's. */
  private static RegistryException refusal(Optional<Lookup> found) {
    if (found.isEmpty()) {
      return new RegistryException(
          404,
          "setup-link-unknown",
          "no setup link has this token (mistyped, or its tenant was deleted): ask for a new link");
    }
    SetupLinkRow link = found.get().link();
    String again = ": ask the operator for a new one";
    RegistryException refused =
        switch (link.status()) {
          case "redeemed" ->
              gone(
                  "setup-link-redeemed",
                  "this setup link was used at " + link.redeemedAt() + again);
          case "revoked" ->
              gone(
                  "setup-link-revoked",
                  "this setup link was revoked at " + link.revokedAt() + again);
          case "expired" ->
              gone("setup-link-expired", "this setup link expired at " + link.expiresAt() + again);
          // The link itself is usable, so the redemption found its tenant not active.
          default ->
              gone(
                  "tenant-not-active",
                  "tenant '"
                      + link.tenantId()
                      + "' is "
                      + notActive(found.get().tenantStatus())
                      + ": its setup links cannot be used now");
        };
    LOG.infof(
        "tenant %s: redemption of setup link %s refused (%s)",
        link.tenantId(), link.id(), refused.type());
    return refused;
  }

  private static RegistryException gone(String type, String detail) {
    return new RegistryException(410, type, detail);
  }

  private static String notActive(TenantStatus status) {
    return status == TenantStatus.DELETING
        ? "being deleted"
        : status.name().toLowerCase(Locale.ROOT);
  }

  private TenantRow existingTenant(Connection c, String tenantId, boolean lock)
      throws SQLException {
    return tenants
        .find(c, tenantId, lock)
        .orElseThrow(() -> notFound("no tenant '" + tenantId + "'"));
  }

  private SetupLinkRow existingLink(Connection c, String tenantId, String linkId, UUID id)
      throws SQLException {
    return links.find(c, tenantId, id).orElseThrow(() -> noLink(tenantId, linkId));
  }

  private static UUID linkId(String tenantId, String linkId) {
    try {
      return UUID.fromString(linkId);
    } catch (IllegalArgumentException e) {
      throw noLink(tenantId, linkId);
    }
  }

  private static RegistryException noLink(String tenantId, String linkId) {
    return notFound("tenant '" + tenantId + "' has no setup link '" + linkId + "'");
  }
}
